package dev.tandem.conf.sasyncd;

/**
 * One whitespace-separated word of sasyncd.conf with the line it started on.
 * The kind is decided from the text alone, in sasyncd's order: hex, number,
 * keyword, string. That order is what makes "sharedkey 1234..." a number.
 */
record Token(Kind kind, String text, int line, Keyword keyword) {

    enum Kind { HEX, NUMBER, KEYWORD, STRING }

    /** Longest piece of a token quoted back in a message. */
    private static final int SHOWN_MAX = 60;

    static Token of(String text, int line) {
        if (text.startsWith("0x")) {
            // sasyncd jumps straight to the keyword/string test when the rest
            // is not all hex, so "0xzz" is a string although it starts with a digit.
            return allHex(text) ? new Token(Kind.HEX, text, line, null) : word(text, line);
        }
        if (isDigit(text.charAt(0)) && text.indexOf('.') < 0 && text.indexOf(':') < 0) {
            return new Token(Kind.NUMBER, text, line, null);
        }
        return word(text, line);
    }

    private static Token word(String text, int line) {
        return Keyword.of(text)
                .map(k -> new Token(Kind.KEYWORD, text, line, k))
                .orElseGet(() -> new Token(Kind.STRING, text, line, null));
    }

    boolean startsStatement() {
        return keyword != null && keyword.startsStatement;
    }

    boolean is(Keyword k) {
        return keyword == k;
    }

    /** Digits of a HEX token after "0x"; an odd last digit is among them. */
    int hexDigits() {
        return text.length() - 2;
    }

    /** The bytes of a HEX token: pairs of digits; an odd trailing digit is dropped, as sasyncd does. */
    byte[] hexBytes() {
        byte[] b = new byte[hexDigits() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(text.charAt(2 + 2 * i), 16);
            int lo = Character.digit(text.charAt(3 + 2 * i), 16);
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    /** A NUMBER token written with digits only (sasyncd's strtol would ignore trailing junk). */
    boolean allDigits() {
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text for a message: control characters replaced so a hostile file
     * cannot forge log lines, and long tokens cut short.
     */
    String shown() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && i < SHOWN_MAX; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > SHOWN_MAX) {
            sb.append("...");
        }
        return sb.toString();
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean allHex(String s) {
        for (int i = 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
