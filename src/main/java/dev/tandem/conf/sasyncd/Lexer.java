package dev.tandem.conf.sasyncd;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits sasyncd.conf into tokens the way sasyncd does: the file is one
 * stream of whitespace-separated words and line breaks mean nothing to the
 * grammar. Lines are still counted so every message can name one.
 *
 * <p>Two deliberate differences from OpenBSD, both about broken input: a
 * comment ends at its newline (OpenBSD drops that newline too, gluing a word
 * written right before '#' to the first word of the next line), and a NUL
 * character is a problem (OpenBSD silently ignores the rest of the file).
 */
final class Lexer {

    private Lexer() {
    }

    static List<Token> tokens(String text, Diagnostics diag) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        boolean nulReported = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '\0') {
                if (!nulReported) {
                    diag.error(line, "the file contains a NUL character; sasyncd.conf must be plain text");
                    nulReported = true;
                }
                i++;
            } else if (isSpace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else {
                int start = i;
                while (i < n && !ends(text.charAt(i))) {
                    i++;
                }
                out.add(Token.of(text.substring(start, i), line));
            }
        }
        return out;
    }

    /** Number of the last line, where problems about the file as a whole are reported. */
    static int lastLine(String text) {
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                line++;
            }
        }
        return line;
    }

    private static boolean ends(char c) {
        return isSpace(c) || c == '#' || c == '\0';
    }

    /** C's isspace in the C locale: sasyncd separates tokens on exactly these. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
