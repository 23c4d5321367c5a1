package dev.tandem.ike.wire;

import java.util.List;

/**
 * One ISAKMP message as carried in a UDP datagram (RFC 2408 §3): header and
 * payload chain. {@link #decode} handles plaintext messages; for a message
 * with flag E the caller uses {@link #decodeHeader}, decrypts the octets
 * after the header and hands them to {@link PayloadChain#decodePadded}.
 *
 * <p>On encoding, the header's next-payload and length fields are derived
 * from the payloads, so a decoded message encodes back to its own octets.
 */
public record IsakmpMessage(IsakmpHeader header, List<Payload> payloads) {

    /** A UDP datagram cannot be longer; anything claiming more is malformed. */
    public static final int MAX_LENGTH = 65535;

    public IsakmpMessage {
        payloads = List.copyOf(payloads);
    }

    /**
     * Decodes and validates the header of a datagram: major version 1 and a
     * length field equal to the datagram's length (see {@link IsakmpHeader}).
     */
    public static IsakmpHeader decodeHeader(byte[] datagram) throws MalformedIsakmp {
        if (datagram.length > MAX_LENGTH) {
            throw new MalformedIsakmp("header.length", "datagram of " + datagram.length + " octets");
        }
        IsakmpHeader h = IsakmpHeader.read(new Cursor(datagram, 0, datagram.length, ""));
        if (h.length() != datagram.length) {
            throw new MalformedIsakmp("header.length", h.length() + " but the datagram has " + datagram.length
                    + " octets");
        }
        return h;
    }

    /** Decodes a plaintext message; one with flag E set is refused (its body needs decrypting first). */
    public static IsakmpMessage decode(byte[] datagram) throws MalformedIsakmp {
        IsakmpHeader h = decodeHeader(datagram);
        if (h.encrypted()) {
            throw new MalformedIsakmp("header.flags", "payloads are encrypted; decrypt and use PayloadChain");
        }
        List<Payload> payloads = PayloadChain.decode(h.nextPayload(), datagram, IsakmpHeader.SIZE,
                datagram.length, false);
        return new IsakmpMessage(h, payloads);
    }

    /** Header and payloads, with next payload and length filled in. */
    public byte[] encode() {
        byte[] body = PayloadChain.encode(payloads);
        long length = (long) IsakmpHeader.SIZE + body.length;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("message of " + length + " octets does not fit a datagram");
        }
        Writer w = new Writer();
        header.withChain(PayloadChain.firstType(payloads), length).write(w);
        w.bytes(body);
        return w.toArray();
    }

    /**
     * Header for a message whose payloads the caller encrypts: flag E set,
     * next payload from the plaintext chain, length covering the ciphertext.
     * Prepend it to the ciphertext to form the datagram.
     */
    public static byte[] encryptedHeader(IsakmpHeader header, List<? extends Payload> payloads,
            int ciphertextLength) {
        long length = (long) IsakmpHeader.SIZE + ciphertextLength;
        if (ciphertextLength < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("message of " + length + " octets does not fit a datagram");
        }
        return new IsakmpHeader(header.initiatorCookie(), header.responderCookie(),
                PayloadChain.firstType(payloads), header.majorVersion(), header.minorVersion(),
                header.exchangeType(), header.flags() | IsakmpHeader.FLAG_ENCRYPTION, header.messageId(), length)
                .encode();
    }
}
