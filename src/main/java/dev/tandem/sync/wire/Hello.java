package dev.tandem.sync.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The cleartext greeting each side sends first, always {@link #LENGTH}
 * bytes: magic "TNDMSYNC", protocol version (u16), a fresh 32-byte nonce,
 * the sender's node id (u64, random per daemon start) and its role intent
 * flags (u8). Nothing in it is secret; both HELLOs are authenticated
 * afterwards by the AUTH messages, which hash them.
 *
 * @param flags a combination of {@link #INTENT_MASTER} and {@link #INTENT_LOCKED}
 */
public record Hello(int version, byte[] nonce, long nodeId, int flags) {

    public static final byte[] MAGIC = "TNDMSYNC".getBytes(StandardCharsets.US_ASCII);
    /** 2: a phase 1 SA carries its last answer (MM6) for a backup to repeat. */
    public static final int VERSION = 2;
    public static final int NONCE_LENGTH = 32;
    public static final int LENGTH = MAGIC.length + 2 + NONCE_LENGTH + 8 + 1;

    /** The sender is, or expects to become, the master: the source of SAs. */
    public static final int INTENT_MASTER = 0x01;
    /** The sender's role is fixed by configuration (sasyncd's "mode master|slave"), not by CARP. */
    public static final int INTENT_LOCKED = 0x02;
    static final int KNOWN_FLAGS = INTENT_MASTER | INTENT_LOCKED;

    public Hello {
        if (version < 0 || version > 0xffff) {
            throw new IllegalArgumentException("version " + version);
        }
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce of " + nonce.length + " bytes");
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown flags " + Integer.toHexString(flags));
        }
        nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    public boolean intentMaster() {
        return (flags & INTENT_MASTER) != 0;
    }

    public boolean intentLocked() {
        return (flags & INTENT_LOCKED) != 0;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(LENGTH);
        w.bytes(MAGIC).u16(version).bytes(nonce).u64(nodeId).u8(flags);
        return w.toByteArray();
    }

    /**
     * Reads a HELLO of exactly {@link #LENGTH} bytes. Any version is read so
     * that the caller can say which one the peer speaks; accepting it is the
     * handshake's decision.
     */
    public static Hello decode(byte[] b) throws MalformedSyncMessage {
        if (b.length != LENGTH) {
            throw new MalformedSyncMessage("length", b.length + " bytes, a HELLO has " + LENGTH);
        }
        checkMagic(b, b.length);
        WireReader r = new WireReader(b, MAGIC.length, b.length - MAGIC.length);
        int version = r.u16("version");
        byte[] nonce = r.bytes(NONCE_LENGTH, "nonce");
        long nodeId = r.u64("nodeId");
        int flags = r.u8("flags");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new MalformedSyncMessage("flags", "unknown bits " + Integer.toHexString(flags & ~KNOWN_FLAGS));
        }
        r.end();
        return new Hello(version, nonce, nodeId, flags);
    }

    /** Checks the magic in the first {@code n} bytes received, so a stranger is refused without waiting for more. */
    static void checkMagic(byte[] b, int n) throws MalformedSyncMessage {
        int k = Math.min(n, MAGIC.length);
        if (!Arrays.equals(b, 0, k, MAGIC, 0, k)) {
            throw new MalformedSyncMessage("magic", "not a Tandem sync peer (expected \"TNDMSYNC\")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hello h && h.version == version && Arrays.equals(h.nonce, nonce)
                && h.nodeId == nodeId && h.flags == flags;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nodeId) * 31 + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "Hello[v" + version + " node " + HexFormat.of().toHexDigits(nodeId) + " flags " + flags + "]";
    }
}
