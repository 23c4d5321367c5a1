package dev.tandem.ike.crypto;

import static dev.tandem.ike.crypto.Hmac.fill;
import static dev.tandem.ike.crypto.Hmac.mac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Phase1KeysTest {

    private static final byte[] PSK = "correct horse battery staple".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NI = fill(16, 0x10);
    private static final byte[] NR = fill(20, 0x40);
    private static final byte[] GXY = fill(128, 0x80);
    private static final byte[] CKY_I = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] CKY_R = {9, 10, 11, 12, 13, 14, 15, 16};
    private static final byte[] GXI = fill(128, 0x01);
    private static final byte[] GXR = fill(128, 0x33);
    private static final byte[] SAI_B = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x20, 1, 1, 0, 1};
    private static final byte[] IDII_B = {1, 17, 1, (byte) 0xf4, (byte) 192, (byte) 168, 1, 1};
    private static final byte[] IDIR_B = {1, 17, 1, (byte) 0xf4, (byte) 192, (byte) 168, 1, 2};

    private static Phase1Keys keys(Prf prf, IkeCipher cipher) {
        return Phase1Keys.preSharedKey(prf, cipher, PSK, NI, NR, GXY, CKY_I, CKY_R);
    }

    @Test
    void skeyidChainMatchesSection5WithHmacSha1() {
        String a = "HmacSHA1";
        byte[] skeyid = mac(a, PSK, NI, NR);
        byte[] d = mac(a, skeyid, GXY, CKY_I, CKY_R, new byte[] {0});
        byte[] au = mac(a, skeyid, d, GXY, CKY_I, CKY_R, new byte[] {1});
        byte[] e = mac(a, skeyid, au, GXY, CKY_I, CKY_R, new byte[] {2});
        Phase1Keys k = keys(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC);
        assertThat(k.skeyid()).isEqualTo(skeyid);
        assertThat(k.skeyidD()).isEqualTo(d);
        assertThat(k.skeyidA()).isEqualTo(au);
        assertThat(k.skeyidE()).isEqualTo(e);
        assertThat(k.encryptionKey()).isEqualTo(Arrays.copyOf(e, 16));
    }

    @Test
    void skeyidChainMatchesSection5WithHmacSha512() {
        String a = "HmacSHA512";
        byte[] skeyid = mac(a, PSK, NI, NR);
        byte[] d = mac(a, skeyid, GXY, CKY_I, CKY_R, new byte[] {0});
        byte[] au = mac(a, skeyid, d, GXY, CKY_I, CKY_R, new byte[] {1});
        byte[] e = mac(a, skeyid, au, GXY, CKY_I, CKY_R, new byte[] {2});
        Phase1Keys k = keys(Prf.HMAC_SHA2_512, IkeCipher.AES_256_CBC);
        assertThat(k.skeyidE()).hasSize(64).isEqualTo(e);
        assertThat(k.encryptionKey()).isEqualTo(Arrays.copyOf(e, 32));
    }

    /** Appendix B: SKEYID_e of SHA-1 (20 bytes) is too short for 3DES and AES-192/256. */
    @Test
    void appendixBExpandsWhenSkeyidEIsTooShort() {
        Phase1Keys k = keys(Prf.HMAC_SHA1, IkeCipher.TRIPLE_DES_CBC);
        byte[] e = k.skeyidE();
        byte[] k1 = mac("HmacSHA1", e, new byte[] {0});
        byte[] k2 = mac("HmacSHA1", e, k1);
        byte[] ka = new byte[40];
        System.arraycopy(k1, 0, ka, 0, 20);
        System.arraycopy(k2, 0, ka, 20, 20);
        assertThat(k.encryptionKey()).hasSize(24).isEqualTo(Arrays.copyOf(ka, 24));
        assertThat(k.encryptionKey()).isNotEqualTo(Arrays.copyOf(e, 24));

        byte[] k3 = mac("HmacSHA1", e, k2);
        byte[] ka3 = new byte[60];
        System.arraycopy(ka, 0, ka3, 0, 40);
        System.arraycopy(k3, 0, ka3, 40, 20);
        assertThat(Phase1Keys.encryptionKey(Prf.HMAC_SHA1, e, 32)).isEqualTo(Arrays.copyOf(ka3, 32));
        assertThat(keys(Prf.HMAC_SHA1, IkeCipher.AES_256_CBC).encryptionKey()).isEqualTo(Arrays.copyOf(ka3, 32));
        assertThat(keys(Prf.HMAC_SHA1, IkeCipher.AES_192_CBC).encryptionKey()).isEqualTo(Arrays.copyOf(ka, 24));
        assertThat(Phase1Keys.encryptionKey(Prf.HMAC_SHA1, e, 41)).hasSize(41);
    }

    @Test
    void noExpansionWhenSkeyidEIsLongEnough() {
        for (IkeCipher c : IkeCipher.values()) {
            Phase1Keys k = keys(Prf.HMAC_SHA2_256, c);
            assertThat(k.encryptionKey()).as("%s", c).hasSize(c.keyLength())
                    .isEqualTo(Arrays.copyOf(k.skeyidE(), c.keyLength()));
        }
        byte[] e = fill(20, 7);
        assertThat(Phase1Keys.encryptionKey(Prf.HMAC_SHA1, e, 20)).isEqualTo(e);
    }

    @Test
    void hashIAndHashRSwapTheDirectionalInputs() {
        Phase1Keys k = keys(Prf.HMAC_SHA2_256, IkeCipher.AES_128_CBC);
        byte[] skeyid = mac("HmacSHA256", PSK, NI, NR);
        assertThat(k.hashI(GXI, GXR, CKY_I, CKY_R, SAI_B, IDII_B))
                .isEqualTo(mac("HmacSHA256", skeyid, GXI, GXR, CKY_I, CKY_R, SAI_B, IDII_B));
        assertThat(k.hashR(GXI, GXR, CKY_I, CKY_R, SAI_B, IDIR_B))
                .isEqualTo(mac("HmacSHA256", skeyid, GXR, GXI, CKY_R, CKY_I, SAI_B, IDIR_B));
    }

    @Test
    void aDifferentPreSharedKeyGivesDifferentKeys() {
        Phase1Keys a = keys(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC);
        Phase1Keys b = Phase1Keys.preSharedKey(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC,
                "other".getBytes(StandardCharsets.US_ASCII), NI, NR, GXY, CKY_I, CKY_R);
        assertThat(b.skeyidD()).isNotEqualTo(a.skeyidD());
        assertThat(b.encryptionKey()).isNotEqualTo(a.encryptionKey());
    }

    @Test
    void cookiesMustBeEightBytes() {
        assertThatThrownBy(() -> Phase1Keys.preSharedKey(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC, PSK, NI, NR, GXY,
                new byte[7], CKY_R)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringHidesKeys() {
        Phase1Keys k = keys(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC);
        String hex = java.util.HexFormat.of().formatHex(k.skeyid());
        assertThat(k.toString()).doesNotContain(hex).contains("hidden");
        assertThat(k.quickMode().toString()).contains("hidden");
    }

    @Test
    void establishedKeysFromAnotherNodeProtectLikeTheOriginals() {
        Phase1Keys k = keys(Prf.HMAC_SHA2_256, IkeCipher.AES_256_CBC);
        Phase1Keys copy = Phase1Keys.established(k.prf(), k.cipher(), k.skeyidD(), k.skeyidA(), k.skeyidE());
        assertThat(copy.encryptionKey()).isEqualTo(k.encryptionKey());
        byte[] payloads = "payloads".getBytes(StandardCharsets.UTF_8);
        assertThat(copy.quickMode().hash1(7, payloads)).isEqualTo(k.quickMode().hash1(7, payloads));
        // SKEYID does not travel: the phase 1 hashes cannot be made from a copy
        assertThatThrownBy(copy::skeyid).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> copy.hashI(NI, NR, CKY_I, CKY_R, NI, NR)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Phase1Keys.established(Prf.HMAC_SHA1, IkeCipher.AES_128_CBC, k.skeyidD(),
                k.skeyidA(), k.skeyidE())).isInstanceOf(IllegalArgumentException.class);
    }
}
