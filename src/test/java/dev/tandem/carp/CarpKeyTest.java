package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CarpKeyTest {

    @Test
    void shortPassIsItsBytesThenZeros() {
        CarpKey k = CarpKey.fromPass("s3cret");
        byte[] expected = new byte[20];
        System.arraycopy("s3cret".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 6);
        assertThat(k.bytes()).isEqualTo(expected);
        assertThat(k.truncated()).isFalse();
    }

    @Test
    void nineteenBytesFitAndTheTwentiethIsTheNul() {
        CarpKey k = CarpKey.fromPass("abcdefghijklmnopqrs");
        assertThat(new String(k.bytes(), 0, 19, StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrs");
        assertThat(k.bytes()[19]).isZero();
        assertThat(k.truncated()).isFalse();
    }

    @Test
    void longerPassIsCutAfterNineteenBytes() {
        CarpKey k = CarpKey.fromPass("abcdefghijklmnopqrstuvwxyz");
        assertThat(new String(k.bytes(), 0, 19, StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrs");
        assertThat(k.bytes()[19]).isZero();
        assertThat(k.truncated()).isTrue();
        // everything past the 19th byte is lost, as on OpenBSD
        assertThat(CarpKey.fromPass("abcdefghijklmnopqrsXYZ").bytes()).isEqualTo(k.bytes());
    }

    @Test
    void nonAsciiCountsInUtf8BytesAndMayBeCutInsideACharacter() {
        String pass = "é".repeat(12); // 24 UTF-8 bytes c3 a9 ...
        byte[] key = CarpKey.fromPass(pass).bytes();
        assertThat(HexFormat.of().formatHex(key)).isEqualTo("c3a9".repeat(9) + "c3" + "00");
        assertThat(CarpKey.fromPass(pass).truncated()).isTrue();
    }

    @Test
    void noPassIsTheZeroKey() {
        assertThat(CarpKey.fromPass(null).bytes()).isEqualTo(new byte[20]);
        assertThat(CarpKey.fromPass("").bytes()).isEqualTo(new byte[20]);
        assertThat(CarpKey.none().bytes()).isEqualTo(new byte[20]);
    }

    @Test
    void aCStringEndsAtItsFirstNul() {
        assertThat(CarpKey.fromPass("abc\0def").bytes()).isEqualTo(CarpKey.fromPass("abc").bytes());
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        CarpKey k = CarpKey.fromPass("topsecretpassphrase-and-more");
        String s = k.toString() + new OpenBsdHmac(k) + CarpAuth.openBsd(k);
        assertThat(s).doesNotContain("topsecret").doesNotContain("secret")
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(Arrays.copyOf(k.bytes(), 4)));
        assertThat(k.toString()).contains("hidden").contains("truncated");
    }
}
