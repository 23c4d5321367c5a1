package dev.tandem.ike.crypto;

/**
 * Input from the peer that the IKE cryptography refuses: a Diffie-Hellman
 * public value out of range or off the curve, a degenerate shared secret, a
 * ciphertext that is not whole blocks. The message names the field and never
 * carries key material.
 */
public final class IkeCryptoException extends Exception {

    private static final long serialVersionUID = 1L;

    public IkeCryptoException(String message) {
        super(message);
    }

    public IkeCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
