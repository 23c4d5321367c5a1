package dev.tandem.ike.crypto;

import static dev.tandem.ike.crypto.Hmac.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IkeCipherTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** NIST SP 800-38A F.2.1, first block. */
    @Test
    void aesCbcKnownAnswer() throws Exception {
        byte[] key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] iv = hex("000102030405060708090a0b0c0d0e0f");
        byte[] pt = hex("6bc1bee22e409f96e93d7e117393172a");
        byte[] ct = IkeCipher.AES_128_CBC.encrypt(key, iv, pt);
        assertThat(ct).isEqualTo(hex("7649abac8119b246cee98e9b12e9197d"));
        assertThat(IkeCipher.AES_128_CBC.decrypt(key, iv, ct)).isEqualTo(pt);
    }

    @ParameterizedTest
    @EnumSource(IkeCipher.class)
    void padsWithZerosToTheNextBlockOnly(IkeCipher c) throws Exception {
        byte[] key = fill(c.keyLength(), 3);
        byte[] iv = fill(c.blockSize(), 9);
        for (int len : new int[] {1, c.blockSize() - 1, c.blockSize(), c.blockSize() + 1, 3 * c.blockSize()}) {
            byte[] pt = fill(len, 0x41);
            byte[] ct = c.encrypt(key, iv, pt);
            int padded = (len + c.blockSize() - 1) / c.blockSize() * c.blockSize();
            assertThat(ct).as("%s of %d bytes", c, len).hasSize(padded);
            byte[] back = c.decrypt(key, iv, ct);
            assertThat(back).isEqualTo(Arrays.copyOf(pt, padded));
            // Independently: plain JCA decryption gives the same zero-padded text.
            String alg = c == IkeCipher.TRIPLE_DES_CBC ? "DESede" : "AES";
            Cipher jca = Cipher.getInstance(alg + "/CBC/NoPadding");
            jca.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, alg), new IvParameterSpec(iv));
            assertThat(jca.doFinal(ct)).isEqualTo(Arrays.copyOf(pt, padded));
        }
    }

    @ParameterizedTest
    @EnumSource(IkeCipher.class)
    void partialBlocksAreRejectedAsPeerInput(IkeCipher c) {
        byte[] key = fill(c.keyLength(), 3);
        byte[] iv = fill(c.blockSize(), 9);
        assertThatThrownBy(() -> c.decrypt(key, iv, new byte[0])).isInstanceOf(IkeCryptoException.class);
        assertThatThrownBy(() -> c.decrypt(key, iv, new byte[c.blockSize() + 1]))
                .isInstanceOf(IkeCryptoException.class).hasMessageContaining("blocks");
    }

    @Test
    void wrongKeyOrIvLengthIsAProgrammingError() {
        assertThatThrownBy(() -> IkeCipher.AES_256_CBC.encrypt(new byte[16], new byte[16], new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IkeCipher.TRIPLE_DES_CBC.encrypt(new byte[24], new byte[16], new byte[8]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lengthsOfEachCipher() {
        assertThat(IkeCipher.AES_128_CBC.keyLength()).isEqualTo(16);
        assertThat(IkeCipher.AES_192_CBC.keyLength()).isEqualTo(24);
        assertThat(IkeCipher.AES_256_CBC.keyLength()).isEqualTo(32);
        assertThat(IkeCipher.TRIPLE_DES_CBC.keyLength()).isEqualTo(24);
        assertThat(IkeCipher.TRIPLE_DES_CBC.blockSize()).isEqualTo(8);
        assertThat(IkeCipher.AES_256_CBC.blockSize()).isEqualTo(16);
    }
}
