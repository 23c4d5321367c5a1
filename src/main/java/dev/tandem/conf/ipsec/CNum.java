package dev.tandem.conf.ipsec;

import java.util.OptionalLong;

/**
 * The C library number conversions whose exact acceptance rules show in
 * ipsec.conf: strtoul/strtol with base 0 (hex "0x", octal "0", decimal) and
 * strtonum.
 */
final class CNum {

    private CNum() {
    }

    /** Result of strtonum: a value or the error string OpenBSD prints. */
    record StrToNum(long value, String error) { }

    /**
     * strtoul(s, &end, 0) as ipsecctl's atoul() uses it: the whole string must
     * be consumed; a value beyond 64 bits fails. The result is an unsigned
     * 64-bit value held in a long; a leading '-' negates modulo 2^64, as C does.
     */
    static OptionalLong strtoul(String s) {
        Parsed p = parse(s);
        if (p == null || p.overflow || p.end != s.length()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(p.negative ? -p.magnitude : p.magnitude);
    }

    /**
     * strtol(s, &end, 0) for a netmask: empty when nothing was parsed, when
     * characters follow, or on overflow.
     */
    static OptionalLong strtol(String s) {
        Parsed p = parse(s);
        if (p == null || p.overflow || p.end != s.length()) {
            return OptionalLong.empty();
        }
        // LONG_MIN's magnitude, 2^63, does not fit a positive long but is in range
        long limit = p.negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        if (Long.compareUnsigned(p.magnitude, limit) > 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(p.negative ? -p.magnitude : p.magnitude);
    }

    /** strtonum(3): decimal only, within [min, max]. */
    static StrToNum strtonum(String s, long min, long max) {
        if (min > max) {
            return new StrToNum(0, "invalid");
        }
        int i = 0;
        int n = s.length();
        while (i < n && Ctype.isSpace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < n && Ctype.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == digits || i != n) {
            return new StrToNum(0, "invalid");
        }
        long v;
        try {
            v = Long.parseLong(s.substring(start).startsWith("+") ? s.substring(start + 1) : s.substring(start));
        } catch (NumberFormatException e) {
            return new StrToNum(0, s.charAt(start) == '-' ? "too small" : "too large");
        }
        if (v < min) {
            return new StrToNum(0, "too small");
        }
        if (v > max) {
            return new StrToNum(0, "too large");
        }
        return new StrToNum(v, null);
    }

    private record Parsed(long magnitude, boolean negative, boolean overflow, int end) { }

    private static Parsed parse(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Ctype.isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Ctype.isXdigit(s.charAt(i + 2))) {
            base = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            base = 8;
        }
        int first = i;
        long value = 0;
        boolean overflow = false;
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 'z') {
                break;
            }
            // value * base + d must stay within 64 unsigned bits
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = value * base + d;
            i++;
        }
        if (i == first) {
            return null;
        }
        return new Parsed(value, negative, overflow, i);
    }
}
