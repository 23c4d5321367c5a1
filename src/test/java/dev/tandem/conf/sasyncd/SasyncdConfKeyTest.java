package dev.tandem.conf.sasyncd;

import static dev.tandem.conf.sasyncd.Conf.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SasyncdConfKeyTest {

    private static final String NUMBER_KEY = "the sharedkey starts with a digit and contains no '.' or ':', so it is"
            + " read as a number, not as a key (OpenBSD's sasyncd reads it the same way); write the key in hex as"
            + " 0x followed by 32, 48 or 64 hex digits";

    private static String keyFile(String key) {
        return "interface carp0\nsharedkey " + key + "\n";
    }

    /** Distinct bytes, so a reordering or an off-by-one shows. */
    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0xf0 - 7 * i);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 24, 32})
    void hexKeysOfEveryAllowedLength(int n) {
        byte[] want = counting(n);
        SasyncdConf conf = Conf.run().ok(keyFile("0x" + HexFormat.of().formatHex(want)));
        assertThat(conf.sharedKey().bytes()).containsExactly(want);
    }

    @Test
    void hexDigitsMayBeUpperCase() {
        SasyncdConf conf = Conf.run().ok(keyFile("0xA0B1C2D3E4F5A6B7C8D9EAFB0C1D2E3F"));
        assertThat(conf.sharedKey().bytes()).containsExactly(
                HexFormat.of().parseHex("a0b1c2d3e4f5a6b7c8d9eafb0c1d2e3f"));
    }

    @Test
    void anOddLastHexDigitIsDroppedWithAWarning() {
        Conf c = Conf.run();
        byte[] want = counting(16);
        SasyncdConf conf = c.ok(keyFile("0x" + HexFormat.of().formatHex(want) + "7"));
        assertThat(conf.sharedKey().bytes()).containsExactly(want);
        assertThat(c.warnings).containsExactly(at(2, "the sharedkey has an odd number of hex digits (33); the"
                + " last digit is ignored, as OpenBSD's sasyncd does"));
    }

    @Test
    void anOddDigitCountOneShortOfAValidLengthIsTooShort() {
        Conf c = Conf.run();
        assertThat(c.problem(keyFile("0x" + "a".repeat(31)))).isEqualTo(at(2, "the sharedkey is 15 bytes"
                + " (31 hex digits); it must be 16, 24 or 32 bytes: 0x followed by 32, 48 or 64 hex digits"));
        assertThat(c.warnings).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 30, 34, 40, 62, 66, 128})
    void hexKeysOfOtherLengthsAreRejected(int digits) {
        String problem = Conf.run().problem(keyFile("0x" + "5".repeat(digits)));
        assertThat(problem).isEqualTo(at(2, "the sharedkey is " + digits / 2 + " bytes (" + digits
                + " hex digits); it must be 16, 24 or 32 bytes: 0x followed by 32, 48 or 64 hex digits"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghijklmnop", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxyzABCDEF",
        "k3y.with:punct!!"})
    void textKeysAreTheirBytes(String key) {
        SasyncdConf conf = Conf.run().ok(keyFile(key));
        assertThat(conf.sharedKey().bytes()).containsExactly(key.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "abcdefghijklmno", "abcdefghijklmnopq", "abcdefghijklmnopqrstuvw",
        "abcdefghijklmnopqrstuvwxyzABCDEFG"})
    void textKeysOfOtherLengthsAreRejected(String key) {
        assertThat(Conf.run().problem(keyFile(key))).isEqualTo(at(2, "the sharedkey is " + key.length()
                + " bytes long; a key written as text must be exactly 16, 24 or 32 bytes (one per ASCII"
                + " character), or write it as 0x followed by 32, 48 or 64 hex digits"));
    }

    @Test
    void aNonAsciiTextKeyCountsItsUtf8Bytes() {
        String key = "ääääääää"; // 8 characters, 16 bytes in UTF-8, as sasyncd would read the file
        SasyncdConf conf = Conf.run().ok(keyFile(key));
        assertThat(conf.sharedKey().bytes()).containsExactly(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aKeyStartingWithADigitIsANumberAsInOpenBsd() {
        assertThat(Conf.run().problem(keyFile("0123456789abcdef"))).isEqualTo(at(2, NUMBER_KEY));
        assertThat(Conf.run().problem(keyFile("1234567890123456789012345678901234567890"))).isEqualTo(at(2, NUMBER_KEY));
    }

    @Test
    void aKeyStartingWithADigitButContainingADotOrColonIsText() {
        assertThat(Conf.run().ok(keyFile("1234567.90123456")).sharedKey().length()).isEqualTo(16);
        assertThat(Conf.run().ok(keyFile("1234567:90123456")).sharedKey().length()).isEqualTo(16);
    }

    @Test
    void aKeyStartingWith0xThatIsNotAllHexIsTextWithAWarning() {
        Conf c = Conf.run();
        SasyncdConf conf = c.ok(keyFile("0x0123456789abcg"));
        assertThat(conf.sharedKey().bytes()).containsExactly("0x0123456789abcg".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.warnings).containsExactly(at(2, "the sharedkey starts with 0x but is not all hex digits, so"
                + " its 16 characters are used as a text key, as OpenBSD's sasyncd does"));
    }

    @Test
    void upperCase0XIsNotHexButANumber() {
        assertThat(Conf.run().problem(keyFile("0X00112233445566778899aabbccddeeff"))).isEqualTo(at(2, NUMBER_KEY));
    }

    @Test
    void aKeywordCannotBeAKey() {
        assertThat(Conf.run().problem(keyFile("sync"))).isEqualTo(at(2, "sharedkey needs a key, but found the"
                + " keyword 'sync', which cannot be a key; use 16, 24 or 32 characters, or 0x followed by 32, 48"
                + " or 64 hex digits"));
    }

    @Test
    void aStatementAfterSharedkeyIsNotTakenAsTheKey() {
        assertThat(Conf.run().problems("sharedkey\ninterface carp0\n")).containsExactly(
                at(1, "sharedkey needs a key of 16, 24 or 32 characters, or 0x followed by 32, 48 or 64 hex"
                        + " digits, but the next statement (interface) follows"));
    }

    @Test
    void aKeyWithSpacesIsCutAndTheRestIsNotShown() {
        Conf c = Conf.run();
        String secret = "abcdefghijklmnop qrstuvwx";
        assertThat(c.problems(keyFile(secret))).containsExactly(at(2, "more text follows the sharedkey where a"
                + " statement should start; a key is one word without spaces (the text is not shown, it may be"
                + " part of the key)"));
    }

    @Test
    void noMessageOrWarningEverContainsTheKey() {
        String[] keys = {"0x0011223344556677889900112233445566", "abcdefghijklmnopq", "0123456789abcdefXY",
            "0xdeadbeefdeadbeefdeadbeefdeadbeef1", "0xsecretsecretsecret12"};
        for (String k : keys) {
            Conf c = Conf.run();
            String text = keyFile(k) + "sharedkey " + k + " sharedkey " + k + " trailing";
            try {
                SasyncdConf.parse(Conf.FILE, text, c.warnings::add);
            } catch (SasyncdConf.Invalid e) {
                assertThat(e.getMessage()).doesNotContain(k).doesNotContain(k.substring(2, 12));
            }
            assertThat(String.join("\n", c.warnings)).doesNotContain(k.substring(2, 12));
        }
    }

    @Test
    void aSecondKeyReplacesTheFirstWithAWarning() {
        Conf c = Conf.run();
        SasyncdConf conf = c.ok(keyFile("abcdefghijklmnop") + "sharedkey ponmlkjihgfedcba\n");
        assertThat(conf.sharedKey().bytes()).containsExactly("ponmlkjihgfedcba".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.warnings).containsExactly(at(3, "sharedkey is set again: this key replaces the one from line 2"));
    }
}
