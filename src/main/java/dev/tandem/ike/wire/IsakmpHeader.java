package dev.tandem.ike.wire;

/**
 * The fixed 28-octet ISAKMP header (RFC 2408 §3.1). Cookies are kept as the
 * big-endian long of their 8 octets; message id and length as unsigned 32-bit
 * values in a long.
 *
 * <p>Length policy: RFC 2408 §5.1 requires the message to be rejected when
 * its length and the payload lengths disagree, and one UDP datagram carries
 * exactly one message, so {@link IsakmpMessage#decodeHeader} demands that the
 * length field equal the datagram length exactly (no trailing bytes).
 */
public record IsakmpHeader(long initiatorCookie, long responderCookie, int nextPayload, int majorVersion,
        int minorVersion, int exchangeType, int flags, long messageId, long length) {

    public static final int SIZE = 28;
    /** Flag E: the payloads after the header are encrypted. */
    public static final int FLAG_ENCRYPTION = 0x01;
    /** Flag C: commit, the sender wants a CONNECTED notify before using the SA. */
    public static final int FLAG_COMMIT = 0x02;
    /** Flag A: authentication only, payloads are integrity-protected but not encrypted. */
    public static final int FLAG_AUTH_ONLY = 0x04;
    /** The ISAKMP version this codec speaks (1.0); a larger major version is IKEv2 or later. */
    public static final int MAJOR_VERSION = 1;

    public IsakmpHeader {
        check(nextPayload, 0xff, "nextPayload");
        check(majorVersion, 0xf, "majorVersion");
        check(minorVersion, 0xf, "minorVersion");
        check(exchangeType, 0xff, "exchangeType");
        check(flags, 0xff, "flags");
        if (messageId < 0 || messageId > 0xffffffffL) {
            throw new IllegalArgumentException("messageId out of range: " + messageId);
        }
        if (length < 0 || length > 0xffffffffL) {
            throw new IllegalArgumentException("length out of range: " + length);
        }
    }

    /** A version 1.0 header; next payload and length are filled in by the encoder. */
    public static IsakmpHeader of(long initiatorCookie, long responderCookie, int exchangeType, int flags,
            long messageId) {
        return new IsakmpHeader(initiatorCookie, responderCookie, 0, MAJOR_VERSION, 0, exchangeType, flags,
                messageId, 0);
    }

    private static void check(int v, int max, String name) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(name + " out of range: " + v);
        }
    }

    public boolean encrypted() {
        return (flags & FLAG_ENCRYPTION) != 0;
    }

    public boolean commit() {
        return (flags & FLAG_COMMIT) != 0;
    }

    public boolean authOnly() {
        return (flags & FLAG_AUTH_ONLY) != 0;
    }

    /** The same header with the chain-dependent fields replaced. */
    public IsakmpHeader withChain(int nextPayload, long length) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, majorVersion, minorVersion,
                exchangeType, flags, messageId, length);
    }

    /** The 28 octets as they stand, for a caller that appends an encrypted body itself. */
    public byte[] encode() {
        Writer w = new Writer();
        write(w);
        return w.toArray();
    }

    void write(Writer w) {
        w.u32(initiatorCookie >>> 32);
        w.u32(initiatorCookie & 0xffffffffL);
        w.u32(responderCookie >>> 32);
        w.u32(responderCookie & 0xffffffffL);
        w.u8(nextPayload);
        w.u8((majorVersion << 4) | minorVersion);
        w.u8(exchangeType);
        w.u8(flags);
        w.u32(messageId);
        w.u32(length);
    }

    static IsakmpHeader read(Cursor c) throws MalformedIsakmp {
        long ic = (c.u32("header.initiatorCookie") << 32) | c.u32("header.initiatorCookie");
        long rc = (c.u32("header.responderCookie") << 32) | c.u32("header.responderCookie");
        int next = c.u8("header.nextPayload");
        int version = c.u8("header.version");
        int exchange = c.u8("header.exchangeType");
        int flags = c.u8("header.flags");
        long mid = c.u32("header.messageId");
        long length = c.u32("header.length");
        if ((version >>> 4) != MAJOR_VERSION) {
            throw new MalformedIsakmp("header.version", "major version " + (version >>> 4) + ", expected 1");
        }
        return new IsakmpHeader(ic, rc, next, version >>> 4, version & 0xf, exchange, flags, mid, length);
    }
}
