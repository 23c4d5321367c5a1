package dev.tandem.conf.ipsec;

import dev.tandem.net.LibcTable;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CNum against the C library. strtoul.tsv and strtol.tsv hold what glibc's
 * strtoul/strtol(s, &end, 0) make of each input (through ctypes, see
 * {@code src/test/oracle/gen_libc_cases.py}), judged as ipsecctl's atoul() judges it
 * (whole string consumed, no ERANGE). strtonum.tsv applies OpenBSD strtonum(3)'s
 * decision logic to glibc's strtoll. Base-0 conversion, whitespace and sign handling are
 * the same in glibc and OpenBSD's libc.
 */
class CNumTest {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    static String unsigned(OptionalLong v) {
        return v.isPresent() ? Long.toUnsignedString(v.getAsLong()) : "-";
    }

    static String signed(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
    }

    static Named<String> named(LibcTable.Row r) {
        return Named.of("\"" + r.escaped() + "\"", r.input());
    }

    // ------------------------------------------------------------------ strtoul

    @Test
    void tablesAreLoaded() {
        assertThat(LibcTable.read("strtoul.tsv")).hasSizeGreaterThan(400)
                .anyMatch(r -> r.field(0).equals("-")).anyMatch(r -> !r.field(0).equals("-"));
        assertThat(LibcTable.read("strtol.tsv")).hasSizeGreaterThan(400);
        assertThat(LibcTable.read("strtonum.tsv")).hasSizeGreaterThan(600);
    }

    static Stream<Arguments> strtoulRows() {
        return LibcTable.read("strtoul.tsv").stream().map(r -> Arguments.of(named(r), r.field(0)));
    }

    @ParameterizedTest(name = "strtoul({0}, &end, 0) = {1}")
    @MethodSource("strtoulRows")
    void strtoulMatchesGlibc(String input, String expected) {
        assertThat(unsigned(CNum.strtoul(input))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "strtoul(\"{0}\") = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                        | 0
            00                       | 0
            0x1f                     | 31
            0X1F                     | 31
            0777                     | 511
            ' 42'                    | 42
            +42                      | 42
            -1                       | 18446744073709551615
            -0                       | 0
            18446744073709551615     | 18446744073709551615
            0xffffffffffffffff       | 18446744073709551615
            01777777777777777777777  | 18446744073709551615
            -18446744073709551615    | 1
            0x0000000000000000000001 | 1
            """)
    void strtoulExamples(String in, String expected) {
        assertThat(unsigned(CNum.strtoul(in))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "strtoul(\"{0}\") fails")
    @ValueSource(strings = {"", " ", "+", "-", "0x", "0X", "0xg", "08", "09", "1e3", "12 ", "--1", "+-1", "- 1",
        "18446744073709551616", "-18446744073709551616", "0x10000000000000000", "02000000000000000000000",
        "99999999999999999999", "\uff11", "1\u00a0"})
    void strtoulFailures(String in) {
        assertThat(CNum.strtoul(in)).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void strtoulReadsEveryUnsignedValueInEveryBase(long seed) {
        RandomGenerator rng = rng(seed);
        for (int n = 0; n < 3000; n++) {
            long v = randomLong(rng);
            BigInteger big = new BigInteger(Long.toUnsignedString(v));
            String dec = big.toString();
            String hex = (rng.nextBoolean() ? "0x" : "0X") + (rng.nextBoolean() ? big.toString(16)
                    : big.toString(16).toUpperCase());
            String oct = "0" + big.toString(8);
            for (String s : List.of(dec, hex, oct)) {
                assertThat(CNum.strtoul(s)).as(s).hasValue(v);
                assertThat(CNum.strtoul("+" + s)).as("+" + s).hasValue(v);
                assertThat(CNum.strtoul("-" + s)).as("-" + s).hasValue(-v);
                assertThat(CNum.strtoul(" \t" + s)).as("leading space " + s).hasValue(v);
                assertThat(CNum.strtoul(s + " ")).as("trailing space " + s).isEmpty();
            }
            // one past 2^64 - 1 overflows
            BigInteger over = big.add(TWO_64);
            assertThat(CNum.strtoul(over.toString())).as(over.toString()).isEmpty();
            assertThat(CNum.strtoul("0x" + over.toString(16))).isEmpty();
            assertThat(CNum.strtoul("-" + over)).isEmpty();
        }
    }

    // ------------------------------------------------------------------ strtol

    static Stream<Arguments> strtolRows() {
        return LibcTable.read("strtol.tsv").stream().map(r -> Arguments.of(named(r), r.field(0)));
    }

    @ParameterizedTest(name = "strtol({0}, &end, 0) = {1}")
    @MethodSource("strtolRows")
    void strtolMatchesGlibc(String input, String expected) {
        assertThat(signed(CNum.strtol(input))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "strtol({0}, &end, 0) = LONG_MIN")
    @ValueSource(strings = {"-9223372036854775808", "-0x8000000000000000"})
    void strtolAcceptsLongMin(String input) {
        assertThat(CNum.strtol(input)).hasValue(Long.MIN_VALUE);
        assertThat(CNum.strtol(input.replace("8", "9").replace("0x9", "0x8000000000000001"))).isEmpty();
    }

    @ParameterizedTest(name = "strtol(\"{0}\") = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            32                    | 32
            0x20                  | 32
            040                   | 32
            -1                    | -1
            ' +128'               | 128
            9223372036854775807   | 9223372036854775807
            0x7fffffffffffffff    | 9223372036854775807
            -9223372036854775807  | -9223372036854775807
            """)
    void strtolExamples(String in, long expected) {
        assertThat(CNum.strtol(in)).hasValue(expected);
    }

    @ParameterizedTest(name = "strtol(\"{0}\") fails")
    @ValueSource(strings = {"", "/", "x", "24x", "0x", "08", "9223372036854775808", "0x8000000000000000",
        "18446744073709551615", "-9223372036854775809", "-18446744073709551615"})
    void strtolFailures(String in) {
        assertThat(CNum.strtol(in)).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void strtolReadsEverySignedValueAndRejectsTheRest(long seed) {
        RandomGenerator rng = rng(seed);
        for (int n = 0; n < 3000; n++) {
            long v = randomLong(rng);
            if (v == Long.MIN_VALUE) {
                continue; // see strtolAcceptsLongMin
            }
            assertThat(CNum.strtol(Long.toString(v))).as("%d", v).hasValue(v);
            String hex = (v < 0 ? "-0x" : "0x") + Long.toHexString(Math.abs(v));
            assertThat(CNum.strtol(hex)).as(hex).hasValue(v);
            // magnitudes from 2^63 + 1 up to 2^64 - 1 overflow a long whatever the sign
            BigInteger big = BigInteger.valueOf(v).abs().add(BigInteger.ONE.shiftLeft(63)).add(BigInteger.ONE);
            if (big.compareTo(TWO_64) < 0) {
                assertThat(CNum.strtol(big.toString())).as(big.toString()).isEmpty();
                assertThat(CNum.strtol("-" + big)).as("-" + big).isEmpty();
            }
        }
    }

    // ------------------------------------------------------------------ strtonum

    static Stream<Arguments> strtonumRows() {
        return LibcTable.read("strtonum.tsv").stream()
                .filter(r -> Long.parseLong(r.field(0)) <= Long.parseLong(r.field(1)))
                .map(r -> Arguments.of(named(r), Long.parseLong(r.field(0)), Long.parseLong(r.field(1)),
                        Long.parseLong(r.field(2)), r.field(3)));
    }

    @ParameterizedTest(name = "strtonum({0}, {1}, {2}) = {3} {4}")
    @MethodSource("strtonumRows")
    void strtonumMatchesOpenBsd(String input, long min, long max, long value, String error) {
        CNum.StrToNum got = CNum.strtonum(input, min, max);
        assertThat(got.error()).isEqualTo(error.equals("-") ? null : error);
        assertThat(got.value()).isEqualTo(value);
    }

    static Stream<Arguments> strtonumInvertedRangeRows() {
        return LibcTable.read("strtonum.tsv").stream()
                .filter(r -> Long.parseLong(r.field(0)) > Long.parseLong(r.field(1)))
                .map(r -> Arguments.of(named(r), Long.parseLong(r.field(0)), Long.parseLong(r.field(1)),
                        Long.parseLong(r.field(2)), r.field(3)));
    }

    @ParameterizedTest(name = "strtonum({0}, {1}, {2}) = {3} {4}")
    @MethodSource("strtonumInvertedRangeRows")
    void strtonumRejectsAnInvertedRange(String input, long min, long max, long value, String error) {
        assertThat(error).isEqualTo("invalid");
        CNum.StrToNum got = CNum.strtonum(input, min, max);
        assertThat(got.error()).isEqualTo(error);
        assertThat(got.value()).isEqualTo(value);
    }

    @ParameterizedTest(name = "strtonum(\"{0}\", {1}, {2}) = {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            0                    | 0           | 4294967295          | 0          | NULL
            4294967295           | 0           | 4294967295          | 4294967295 | NULL
            4294967296           | 0           | 4294967295          | 0          | too large
            -1                   | 0           | 4294967295          | 0          | too small
            010                  | 0           | 100                 | 10         | NULL
            ' 7'                 | 0           | 100                 | 7          | NULL
            +7                   | 0           | 100                 | 7          | NULL
            '7 '                 | 0           | 100                 | 0          | invalid
            0x10                 | 0           | 100                 | 0          | invalid
            ''                   | 0           | 100                 | 0          | invalid
            -                    | 0           | 100                 | 0          | invalid
            9223372036854775808  | 0           | 100                 | 0          | too large
            -9223372036854775809 | 0           | 100                 | 0          | too small
            -9223372036854775808 | -9223372036854775808 | 9223372036854775807 | -9223372036854775808 | NULL
            99999999999999999999 | -100        | -1                  | 0          | too large
            """)
    void strtonumExamples(String in, long min, long max, long value, String error) {
        CNum.StrToNum got = CNum.strtonum(in, min, max);
        assertThat(got.error()).isEqualTo(error);
        assertThat(got.value()).isEqualTo(value);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void strtonumHonoursTheRange(long seed) {
        RandomGenerator rng = rng(seed);
        for (int n = 0; n < 3000; n++) {
            long a = randomLong(rng);
            long b = randomLong(rng);
            long min = Math.min(a, b);
            long max = Math.max(a, b);
            long v = switch (rng.nextInt(4)) {
                case 0 -> min;
                case 1 -> max;
                case 2 -> randomLong(rng);
                default -> min + (long) (rng.nextDouble() * ((double) max - (double) min));
            };
            CNum.StrToNum got = CNum.strtonum(Long.toString(v), min, max);
            String why = v + " in [" + min + ", " + max + "]";
            if (v < min) {
                assertThat(got).as(why).isEqualTo(new CNum.StrToNum(0, "too small"));
            } else if (v > max) {
                assertThat(got).as(why).isEqualTo(new CNum.StrToNum(0, "too large"));
            } else {
                assertThat(got).as(why).isEqualTo(new CNum.StrToNum(v, null));
            }
        }
    }

    // ------------------------------------------------------------------ generators

    static RandomGenerator rng(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /** Values spread over all bit widths, plus the boundaries. */
    static long randomLong(RandomGenerator rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> rng.nextInt(20) - 10;
            case 1 -> rng.nextBoolean() ? Long.MAX_VALUE - rng.nextInt(3) : Long.MIN_VALUE + rng.nextInt(3);
            case 2 -> -1L - rng.nextInt(3);
            default -> rng.nextLong() >> rng.nextInt(64);
        };
    }
}
