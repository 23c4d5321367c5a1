package dev.tandem.sync.wire;

import dev.tandem.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Big-endian output into a growing array; the mirror of {@link WireReader}. */
final class WireWriter {

    static final int FAMILY_NONE = 0;
    static final int FAMILY_INET = 4;
    static final int FAMILY_INET6 = 6;

    private byte[] buf;
    private int len;

    WireWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void room(int n) {
        if (buf.length - len < n) {
            byte[] bigger = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            // the old array may hold key bytes: leave nothing of them behind
            Arrays.fill(buf, (byte) 0);
            buf = bigger;
        }
    }

    WireWriter u8(int v) {
        room(1);
        buf[len++] = (byte) v;
        return this;
    }

    WireWriter u16(int v) {
        room(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    WireWriter u32(long v) {
        room(4);
        for (int i = 3; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    WireWriter u64(long v) {
        room(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    WireWriter bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    WireWriter address(IpAddress a) {
        byte[] o = a.octets();
        u8(o.length == 4 ? FAMILY_INET : FAMILY_INET6);
        return bytes(o);
    }

    WireWriter optionalAddress(IpAddress a) {
        return a == null ? u8(FAMILY_NONE) : address(a);
    }

    WireWriter string(String s) {
        byte[] u = utf8(s);
        u16(u.length);
        return bytes(u);
    }

    WireWriter optionalString(String s) {
        return s == null ? bool(false) : bool(true).string(s);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Zeroes the buffer, for messages that carried keys. */
    void wipe() {
        Arrays.fill(buf, (byte) 0);
    }

    /**
     * Strict UTF-8: a string with an unpaired surrogate has no encoding
     * that decodes back to it, so it is refused rather than altered.
     */
    static byte[] utf8(String s) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] r = new byte[bb.remaining()];
            bb.get(r);
            return r;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid Unicode (unpaired surrogate)");
        }
    }

    /** Checks a string for the wire: encodable and at most {@code maxBytes} of UTF-8. */
    static String checkString(String s, int maxBytes, String what) {
        int n = utf8(s).length;
        if (n > maxBytes) {
            throw new IllegalArgumentException(what + " of " + n + " bytes, at most " + maxBytes);
        }
        return s;
    }
}
