package dev.tandem.ike.crypto;

import java.util.Arrays;

/**
 * CBC IVs of IKEv1 (RFC 2409 Appendix B): every IV is either derived by
 * hashing and truncating to the block size, or the last ciphertext block of
 * the previous message of the same exchange.
 */
public final class IkeIv {

    private IkeIv() {
    }

    /** IV of the first encrypted phase 1 message: hash(g^xi | g^xr). */
    public static byte[] phase1(Prf hash, IkeCipher cipher, byte[] gxi, byte[] gxr) {
        return Bytes.prefix(hash.hash(gxi, gxr), cipher.blockSize());
    }

    /**
     * IV of the first message of a quick mode or informational exchange:
     * hash(last phase 1 CBC output block | M-ID). Each exchange starts from the
     * phase 1 value, never from another exchange's chain.
     */
    public static byte[] forExchange(Prf hash, IkeCipher cipher, byte[] lastPhase1Block, int messageId) {
        if (lastPhase1Block.length != cipher.blockSize()) {
            throw new IllegalArgumentException("phase 1 IV of " + lastPhase1Block.length + " bytes");
        }
        return Bytes.prefix(hash.hash(lastPhase1Block, Bytes.int32(messageId)), cipher.blockSize());
    }

    /** The IV for the next message of the same exchange: the last block of this ciphertext. */
    public static byte[] next(IkeCipher cipher, byte[] ciphertext) {
        int b = cipher.blockSize();
        if (ciphertext.length < b || ciphertext.length % b != 0) {
            throw new IllegalArgumentException("ciphertext of " + ciphertext.length + " bytes");
        }
        return Arrays.copyOfRange(ciphertext, ciphertext.length - b, ciphertext.length);
    }
}
