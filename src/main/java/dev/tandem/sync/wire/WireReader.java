package dev.tandem.sync.wire;

import dev.tandem.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over received bytes that checks every read against what is
 * left before making it, so a lying length can neither read past the end
 * nor make anything allocate more than the message holds.
 */
final class WireReader {

    private final byte[] b;
    private final int end;
    private int pos;

    WireReader(byte[] b, int off, int len) {
        this.b = b;
        this.pos = off;
        this.end = off + len;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String field) throws MalformedSyncMessage {
        if (end - pos < n) {
            throw new MalformedSyncMessage(field, "truncated: needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    int u8(String field) throws MalformedSyncMessage {
        need(1, field);
        return b[pos++] & 0xff;
    }

    int u16(String field) throws MalformedSyncMessage {
        need(2, field);
        int v = (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32(String field) throws MalformedSyncMessage {
        need(4, field);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (b[pos + i] & 0xff);
        }
        pos += 4;
        return v;
    }

    /** Any 64-bit value, the unsigned ones above 2^63-1 as negative longs. */
    long u64(String field) throws MalformedSyncMessage {
        need(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    /** A u64 that must fit a non-negative long (counters, ages, lifetimes). */
    long u63(String field) throws MalformedSyncMessage {
        long v = u64(field);
        if (v < 0) {
            throw new MalformedSyncMessage(field, Long.toUnsignedString(v) + " above 2^63-1");
        }
        return v;
    }

    /** A u32 that must fit a non-negative int (counts). */
    int u31(String field) throws MalformedSyncMessage {
        long v = u32(field);
        if (v > Integer.MAX_VALUE) {
            throw new MalformedSyncMessage(field, v + " above 2^31-1");
        }
        return (int) v;
    }

    boolean bool(String field) throws MalformedSyncMessage {
        int v = u8(field);
        if (v > 1) {
            throw new MalformedSyncMessage(field, v + " is neither 0 nor 1");
        }
        return v == 1;
    }

    byte[] bytes(int n, String field) throws MalformedSyncMessage {
        need(n, field);
        byte[] r = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return r;
    }

    /** Family byte 4 or 6, then 4 or 16 octets. */
    IpAddress address(String field) throws MalformedSyncMessage {
        int family = u8(field);
        return switch (family) {
            case WireWriter.FAMILY_INET -> new IpAddress(bytes(4, field));
            case WireWriter.FAMILY_INET6 -> new IpAddress(bytes(16, field));
            default -> throw new MalformedSyncMessage(field, "address family " + family + ", expected 4 or 6");
        };
    }

    /** Family byte 0 for none, else as {@link #address}. */
    IpAddress optionalAddress(String field) throws MalformedSyncMessage {
        need(1, field);
        if (b[pos] == WireWriter.FAMILY_NONE) {
            pos++;
            return null;
        }
        return address(field);
    }

    /** u16 length, then that many bytes of strict UTF-8, at most {@code maxBytes}. */
    String string(int maxBytes, String field) throws MalformedSyncMessage {
        int n = u16(field);
        if (n > maxBytes) {
            throw new MalformedSyncMessage(field, n + " bytes, at most " + maxBytes);
        }
        need(n, field);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new MalformedSyncMessage(field, "not UTF-8");
        }
    }

    /** Presence byte 0 or 1, then {@link #string}. */
    String optionalString(int maxBytes, String field) throws MalformedSyncMessage {
        return bool(field) ? string(maxBytes, field) : null;
    }

    /** Every byte must have been read: a longer message is not this message. */
    void end() throws MalformedSyncMessage {
        if (pos != end) {
            throw new MalformedSyncMessage("trailing", (end - pos) + " bytes after the message");
        }
    }
}
