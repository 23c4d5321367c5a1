package dev.tandem.ike.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The phase 1 encryption algorithm, used for every encrypted ISAKMP message
 * of the IKE SA (main mode 5 and 6, quick mode, informational).
 *
 * <p>Padding: RFC 2409 section 5.3 describes a self-describing pad (last
 * byte = pad count) while Appendix B says pad with 0x00 and let the ISAKMP
 * header length cover it. We send zeros only up to the next block boundary
 * (none when already aligned), as isakmpd does; receivers find the end of
 * the payloads from the generic payload headers, so both kinds of sender
 * decode, and {@link #decrypt} returns the plaintext with its padding.
 */
public enum IkeCipher {
    AES_128_CBC("AES", 16, 16),
    AES_192_CBC("AES", 24, 16),
    AES_256_CBC("AES", 32, 16),
    TRIPLE_DES_CBC("DESede", 24, 8);

    private final String algorithm;
    private final int keyLength;
    private final int blockSize;

    IkeCipher(String algorithm, int keyLength, int blockSize) {
        this.algorithm = algorithm;
        this.keyLength = keyLength;
        this.blockSize = blockSize;
    }

    public int keyLength() {
        return keyLength;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Pads with zeros to whole blocks, then encrypts in CBC mode. */
    public byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext) {
        int padded = (plaintext.length + blockSize - 1) / blockSize * blockSize;
        byte[] in = java.util.Arrays.copyOf(plaintext, padded);
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, iv).doFinal(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(this + " encryption failed", e);
        }
    }

    /** Decrypts whole blocks; the result still carries the sender's padding. */
    public byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext) throws IkeCryptoException {
        if (ciphertext.length == 0 || ciphertext.length % blockSize != 0) {
            throw new IkeCryptoException("encrypted payloads of " + ciphertext.length
                    + " bytes are not whole " + blockSize + "-byte blocks");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, key, iv).doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(this + " decryption failed", e);
        }
    }

    private Cipher cipher(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        if (key.length != keyLength) {
            throw new IllegalArgumentException(this + " key of " + key.length + " bytes, needs " + keyLength);
        }
        if (iv.length != blockSize) {
            throw new IllegalArgumentException(this + " IV of " + iv.length + " bytes, needs " + blockSize);
        }
        Cipher c = Cipher.getInstance(algorithm + "/CBC/NoPadding");
        c.init(mode, new SecretKeySpec(key, algorithm), new IvParameterSpec(iv));
        return c;
    }
}
