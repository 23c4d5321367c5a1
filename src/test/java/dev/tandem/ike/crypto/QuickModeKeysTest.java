package dev.tandem.ike.crypto;

import static dev.tandem.ike.crypto.Hmac.fill;
import static dev.tandem.ike.crypto.Hmac.mac;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuickModeKeysTest {

    private static final byte[] SKEYID_D = fill(20, 0xd0);
    private static final byte[] SKEYID_A = fill(20, 0xa0);
    private static final byte[] NI = fill(16, 0x11);
    private static final byte[] NR = fill(24, 0x22);
    private static final byte[] PAYLOADS = fill(60, 0x33);
    private static final byte[] GQM = fill(256, 0x44);
    private static final int MID = 0x01020304;
    private static final byte[] MID_B = {1, 2, 3, 4};
    private static final int SPI = 0xcafe0001;
    private static final byte[] SPI_B = {(byte) 0xca, (byte) 0xfe, 0, 1};
    private static final byte[] ESP = {3};

    private final QuickModeKeys qm = new QuickModeKeys(Prf.HMAC_SHA1, SKEYID_D, SKEYID_A);

    @Test
    void hashesOfSection55() {
        assertThat(qm.hash1(MID, PAYLOADS)).isEqualTo(mac("HmacSHA1", SKEYID_A, MID_B, PAYLOADS));
        assertThat(qm.hash2(MID, NI, PAYLOADS)).isEqualTo(mac("HmacSHA1", SKEYID_A, MID_B, NI, PAYLOADS));
        assertThat(qm.hash3(MID, NI, NR)).isEqualTo(mac("HmacSHA1", SKEYID_A, new byte[] {0}, MID_B, NI, NR));
    }

    @Test
    void keymatWithoutPfsExpandsK1K2() {
        byte[] k1 = mac("HmacSHA1", SKEYID_D, ESP, SPI_B, NI, NR);
        byte[] k2 = mac("HmacSHA1", SKEYID_D, k1, ESP, SPI_B, NI, NR);
        byte[] k3 = mac("HmacSHA1", SKEYID_D, k2, ESP, SPI_B, NI, NR);
        byte[] all = concat(k1, k2, k3);
        assertThat(qm.keymat(null, 3, SPI, NI, NR, 20)).isEqualTo(k1);
        assertThat(qm.keymat(null, 3, SPI, NI, NR, 16)).isEqualTo(Arrays.copyOf(k1, 16));
        assertThat(qm.keymat(null, 3, SPI, NI, NR, 36)).isEqualTo(Arrays.copyOf(all, 36));
        assertThat(qm.keymat(null, 3, SPI, NI, NR, 60)).isEqualTo(all);
        assertThat(qm.keymat(null, 3, SPI, NI, NR, 0)).isEmpty();
    }

    @Test
    void keymatWithPfsPutsTheQuickModeSecretFirst() {
        byte[] k1 = mac("HmacSHA1", SKEYID_D, GQM, ESP, SPI_B, NI, NR);
        byte[] k2 = mac("HmacSHA1", SKEYID_D, k1, GQM, ESP, SPI_B, NI, NR);
        assertThat(qm.keymat(GQM, 3, SPI, NI, NR, 40)).isEqualTo(concat(k1, k2));
        assertThat(qm.keymat(GQM, 3, SPI, NI, NR, 40)).isNotEqualTo(qm.keymat(null, 3, SPI, NI, NR, 40));
    }

    @Test
    void eachDirectionHasItsOwnKeysBySpi() {
        EspTransform t = new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA1_96);
        EspKeys in = qm.espKeys(t, null, SPI, NI, NR);
        EspKeys out = qm.espKeys(t, null, SPI + 1, NI, NR);
        assertThat(in.encKeyBytes()).isNotEqualTo(out.encKeyBytes());
        assertThat(in.authKeyBytes()).isNotEqualTo(out.authKeyBytes());
    }

    static Stream<EspTransform> transforms() {
        return Stream.of(
                new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA1_96),
                new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA1_96),
                new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128),
                new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_256_128),
                new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_384_192),
                new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_512_256),
                new EspTransform.AesGcm(16),
                new EspTransform.AesGcm(32),
                new EspTransform.NullHmac(Integrity.HMAC_SHA2_256_128));
    }

    /** Encryption key first, then the authentication key; GCM's material is key | salt. */
    @ParameterizedTest
    @MethodSource("transforms")
    void espKeysSplitKeymatEncryptionFirst(EspTransform t) {
        int enc = t.encKeyLength();
        int auth = t.authKeyLength();
        byte[] expected = new byte[0];
        byte[] k = new byte[0];
        while (expected.length < enc + auth) {
            k = mac("HmacSHA1", SKEYID_D, k, GQM, ESP, SPI_B, NI, NR);
            expected = concat(expected, k);
        }
        EspKeys keys = qm.espKeys(t, GQM, SPI, NI, NR);
        assertThat(keys.transform()).isEqualTo(t);
        assertThat(keys.encKeyBytes()).isEqualTo(Arrays.copyOfRange(expected, 0, enc));
        assertThat(keys.authKeyBytes()).isEqualTo(Arrays.copyOfRange(expected, enc, enc + auth));
    }

    @Test
    void phase1KeysFeedQuickMode() {
        Phase1Keys p1 = Phase1Keys.preSharedKey(Prf.HMAC_SHA2_256, IkeCipher.AES_128_CBC, fill(8, 1),
                NI, NR, GQM, fill(8, 2), fill(8, 3));
        QuickModeKeys q = p1.quickMode();
        assertThat(q.hash3(MID, NI, NR)).isEqualTo(mac("HmacSHA256", p1.skeyidA(), new byte[] {0}, MID_B, NI, NR));
        assertThat(q.keymat(null, 3, SPI, NI, NR, 32))
                .isEqualTo(mac("HmacSHA256", p1.skeyidD(), ESP, SPI_B, NI, NR));
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] p : parts) {
            int o = out.length;
            out = Arrays.copyOf(out, o + p.length);
            System.arraycopy(p, 0, out, o, p.length);
        }
        return out;
    }
}
