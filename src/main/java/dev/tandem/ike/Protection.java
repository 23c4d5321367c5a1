package dev.tandem.ike;

import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.IkeCryptoException;
import dev.tandem.ike.crypto.IkeIv;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.IsakmpMessage;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import java.util.Arrays;
import java.util.List;

/**
 * Encryption of ISAKMP messages with the phase 1 key (RFC 2409 Appendix B).
 * The caller owns the IV chain and advances it only when the message was
 * sent or, received, authenticated: a forged message must not move it.
 */
final class Protection {

    private Protection() {
    }

    /** A sealed datagram and the IV that follows it. */
    record Sealed(byte[] datagram, byte[] nextIv) { }

    /** Decrypted payloads, their raw octets, and the IV that follows this message. */
    record Opened(List<Payload> payloads, RawChain raw, byte[] nextIv) { }

    static Sealed seal(IkeCipher cipher, byte[] key, byte[] iv, IsakmpHeader header, List<Payload> payloads) {
        byte[] ciphertext = cipher.encrypt(key, iv, PayloadChain.encode(payloads));
        byte[] head = IsakmpMessage.encryptedHeader(header, payloads, ciphertext.length);
        byte[] out = Arrays.copyOf(head, head.length + ciphertext.length);
        System.arraycopy(ciphertext, 0, out, head.length, ciphertext.length);
        return new Sealed(out, IkeIv.next(cipher, ciphertext));
    }

    static Opened open(IkeCipher cipher, byte[] key, byte[] iv, IsakmpHeader header, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        byte[] ciphertext = Arrays.copyOfRange(datagram, IsakmpHeader.SIZE, datagram.length);
        byte[] plaintext = cipher.decrypt(key, iv, ciphertext);
        List<Payload> payloads = PayloadChain.decodePadded(header.nextPayload(), plaintext);
        return new Opened(payloads, RawChain.walk(plaintext, 0, header.nextPayload()), IkeIv.next(cipher, ciphertext));
    }
}
