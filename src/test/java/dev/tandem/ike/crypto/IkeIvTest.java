package dev.tandem.ike.crypto;

import static dev.tandem.ike.crypto.Hmac.fill;
import static dev.tandem.ike.crypto.Hmac.sha1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IkeIvTest {

    private static final byte[] GXI = fill(96, 1);
    private static final byte[] GXR = fill(96, 0x70);

    @Test
    void phase1IvIsTheHashOfBothPublicValuesTruncated() {
        byte[] h = sha1(GXI, GXR);
        assertThat(IkeIv.phase1(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC, GXI, GXR)).isEqualTo(Arrays.copyOf(h, 16));
        assertThat(IkeIv.phase1(Prf.HMAC_SHA1, IkeCipher.TRIPLE_DES_CBC, GXI, GXR)).isEqualTo(Arrays.copyOf(h, 8));
        assertThat(IkeIv.phase1(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC, GXR, GXI)).isNotEqualTo(Arrays.copyOf(h, 16));
    }

    @Test
    void exchangeIvHashesLastPhase1BlockAndBigEndianMessageId() {
        byte[] last = fill(16, 0x20);
        byte[] mid = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef};
        assertThat(IkeIv.forExchange(Prf.HMAC_SHA1, IkeCipher.AES_256_CBC, last, 0xdeadbeef))
                .isEqualTo(Arrays.copyOf(sha1(last, mid), 16));
        assertThat(IkeIv.forExchange(Prf.HMAC_SHA1, IkeCipher.AES_256_CBC, last, 0xdeadbef0))
                .isNotEqualTo(Arrays.copyOf(sha1(last, mid), 16));
        assertThatThrownBy(() -> IkeIv.forExchange(Prf.HMAC_SHA1, IkeCipher.AES_256_CBC, new byte[8], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Chaining the IV message to message makes the exchange one CBC stream. */
    @Test
    void chainedMessagesEqualOneCbcStream() throws Exception {
        IkeCipher c = IkeCipher.AES_128_CBC;
        byte[] key = fill(16, 0x55);
        byte[] iv = IkeIv.phase1(Prf.HMAC_SHA1, c, GXI, GXR);
        byte[] m5 = fill(48, 0x01);
        byte[] m6 = fill(32, 0x90);
        byte[] ct5 = c.encrypt(key, iv, m5);
        byte[] iv6 = IkeIv.next(c, ct5);
        assertThat(iv6).isEqualTo(Arrays.copyOfRange(ct5, 32, 48));
        byte[] ct6 = c.encrypt(key, iv6, m6);
        byte[] both = new byte[80];
        System.arraycopy(m5, 0, both, 0, 48);
        System.arraycopy(m6, 0, both, 48, 32);
        byte[] stream = c.encrypt(key, iv, both);
        assertThat(Arrays.copyOfRange(stream, 48, 80)).isEqualTo(ct6);
        assertThat(c.decrypt(key, iv6, ct6)).isEqualTo(m6);
        assertThatThrownBy(() -> IkeIv.next(c, new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}
