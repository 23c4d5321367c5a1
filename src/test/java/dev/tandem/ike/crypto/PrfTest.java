package dev.tandem.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PrfTest {

    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    /** RFC 2202 test case 2 and RFC 4231 test case 2, fed in two parts. */
    @Test
    void publishedHmacVectors() {
        check(Prf.HMAC_SHA1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        check(Prf.HMAC_SHA2_256, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        check(Prf.HMAC_SHA2_384, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec373"
                + "6322445e8e2240ca5e69e2c78b3239ecfab21649");
        check(Prf.HMAC_SHA2_512, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    }

    private static void check(Prf prf, String hex) {
        byte[] expected = HexFormat.of().parseHex(hex);
        byte[] head = java.util.Arrays.copyOf(DATA, 10);
        byte[] tail = java.util.Arrays.copyOfRange(DATA, 10, DATA.length);
        assertThat(prf.apply(JEFE, head, tail)).isEqualTo(expected);
        assertThat(prf.length()).isEqualTo(expected.length);
    }

    @Test
    void plainHashIsTheUnkeyedDigest() throws Exception {
        assertThat(Prf.HMAC_SHA1.hash(new byte[] {'a', 'b'}, new byte[] {'c'}))
                .isEqualTo(HexFormat.of().parseHex("a9993e364706816aba3e25717850c26c9cd0d89d"));
        assertThat(Prf.HMAC_SHA2_384.hash(DATA))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-384").digest(DATA));
    }

    @Test
    void emptyKeyIsRefused() {
        assertThatThrownBy(() -> Prf.HMAC_SHA1.apply(new byte[0], DATA)).isInstanceOf(IllegalArgumentException.class);
    }
}
