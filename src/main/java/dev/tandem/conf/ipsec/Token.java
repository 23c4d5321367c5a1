package dev.tandem.conf.ipsec;

/**
 * A token with the line it started on.
 *
 * @param text   the word for STRING tokens, the keyword for keywords
 * @param number the value of NUMBER tokens
 * @param ch     the character of CHAR tokens
 */
record Token(TokenKind kind, String text, long number, int ch) {

    static final Token EOF = new Token(TokenKind.EOF, null, 0, -1);
    static final Token ERROR = new Token(TokenKind.ERROR, null, 0, -1);

    static Token ofChar(int c) {
        return new Token(TokenKind.CHAR, null, 0, c);
    }

    boolean is(TokenKind k) {
        return kind == k;
    }

    boolean isChar(int c) {
        return kind == TokenKind.CHAR && ch == c;
    }

    boolean isNewline() {
        return isChar('\n');
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STRING -> "STRING(" + text + ")";
            case NUMBER -> "NUMBER(" + number + ")";
            case CHAR -> ch == '\n' ? "'\\n'" : "'" + (char) ch + "'";
            default -> kind.toString();
        };
    }
}
