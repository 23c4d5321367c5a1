package dev.tandem.conf.ipsec;

/** The C-locale ctype(3) classes the lexer relies on; bytes above 127 belong to none. */
final class Ctype {

    private Ctype() {
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAlnum(int c) {
        return isDigit(c) || isAlpha(c);
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static boolean isPunct(int c) {
        return c > ' ' && c < 127 && !isAlnum(c);
    }

    static boolean isXdigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
