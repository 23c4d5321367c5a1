package dev.tandem.conf.ipsec;

import static dev.tandem.conf.ipsec.Ctype.isAlnum;
import static dev.tandem.conf.ipsec.Ctype.isDigit;
import static dev.tandem.conf.ipsec.Ctype.isPunct;
import static dev.tandem.conf.ipsec.Ctype.isSpace;
import static dev.tandem.conf.ipsec.SourceFile.EOF;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The ipsec.conf lexer. It reproduces OpenBSD ipsecctl's lexer closely because
 * its quirks are visible in the output: which line an error is reported on,
 * that a word may contain quote characters, that macros are expanded where a
 * token starts (never inside quotes or inside another expansion), that a
 * backslash joins lines, that newlines inside quotes vanish.
 */
final class Lexer {

    private static final int MAX_PUSHBACK = 128;

    private final Reporter reporter;
    private final Macros macros;
    private final ParseLimits limits;
    private final Deque<SourceFile> files = new ArrayDeque<>();
    private final SourceFile topFile;

    private String parsebuf;
    private int parseindex;
    private final int[] pushback = new int[MAX_PUSHBACK];
    private int pushbackIndex;
    private long expanded;

    /** Line of the token most recently read: error messages carry it (yylval.lineno). */
    private int tokenLine;

    Lexer(SourceFile top, Macros macros, ParseLimits limits, Reporter reporter) {
        this.topFile = top;
        this.macros = macros;
        this.limits = limits;
        this.reporter = reporter;
        files.push(top);
        this.tokenLine = top.lineno;
    }

    SourceFile file() {
        return files.peek();
    }

    int tokenLine() {
        return tokenLine;
    }

    int includeDepth() {
        return files.size() - 1;
    }

    boolean isOpen(String identity) {
        for (SourceFile f : files) {
            if (f.identity.equals(identity)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Switches to an included file and pushes back the newline that ends the
     * include line, as ipsecctl does. Lexing that newline counts a line in the
     * new file, so the file starts at line 0 then (OpenBSD's ipsecctl starts
     * at 1 and reports every included line one too high). When the include
     * came from a macro, the newline is swallowed by the expansion and the
     * file starts at line 1.
     */
    void include(SourceFile f) {
        files.push(f);
        boolean pushed = parsebuf == null || parseindex <= 0;
        lungetc('\n');
        f.lineno = pushed ? 0 : 1;
    }

    /** Errors counted in the top-level file, included files folded in as they end. */
    int topErrors() {
        return topFile.errors;
    }

    /** Folds the errors of every still-open include into the top file (at EOF or abort). */
    void closeAll() {
        while (files.peek() != topFile) {
            popFile();
        }
    }

    private boolean popFile() {
        if (file() == topFile) {
            return false;
        }
        SourceFile done = files.pop();
        file().errors += done.errors;
        return true;
    }

    int lgetc(int quotec) {
        if (parsebuf != null) {
            if (parseindex >= 0) {
                if (parseindex < parsebuf.length()) {
                    return parsebuf.charAt(parseindex++) & 0xff;
                }
                parsebuf = null;
            } else {
                parseindex++;
            }
        }
        if (pushbackIndex > 0) {
            return pushback[--pushbackIndex];
        }
        int c;
        if (quotec != 0) {
            if ((c = file().getc()) == EOF) {
                reporter.error("reached end of file while parsing quoted string");
                if (!popFile()) {
                    return EOF;
                }
                return quotec;
            }
            return c;
        }
        while ((c = file().getc()) == '\\') {
            int next = file().getc();
            if (next != '\n') {
                c = next;
                break;
            }
            tokenLine = file().lineno;
            file().lineno++;
        }
        while (c == EOF) {
            if (!popFile()) {
                return EOF;
            }
            c = file().getc();
        }
        return c;
    }

    void lungetc(int c) {
        if (c == EOF) {
            return;
        }
        if (parsebuf != null) {
            parseindex--;
            if (parseindex >= 0) {
                return;
            }
        }
        if (pushbackIndex + 1 >= MAX_PUSHBACK) {
            return;
        }
        pushback[pushbackIndex++] = c;
    }

    /** Skips to the end of the line after a lexical error. */
    private Token findeol() {
        parsebuf = null;
        while (true) {
            int c = pushbackIndex > 0 ? pushback[--pushbackIndex] : lgetc(0);
            if (c == '\n') {
                file().lineno++;
                break;
            }
            if (c == EOF) {
                break;
            }
        }
        return Token.ERROR;
    }

    private static boolean allowedToEndNumber(int c) {
        return isSpace(c) || c == ')' || c == ',' || c == '/' || c == '}' || c == '=';
    }

    private static boolean allowedInString(int c) {
        return isAlnum(c) || (isPunct(c) && c != '(' && c != ')' && c != '{' && c != '}'
                && c != '<' && c != '>' && c != '!' && c != '=' && c != '/' && c != '#' && c != ',');
    }

    Token next() {
        int max = limits.maxTokenLength();
        while (true) {
            StringBuilder p = new StringBuilder();
            int c;
            while ((c = lgetc(0)) == ' ' || c == '\t') {
                // blanks separate tokens
            }
            tokenLine = file().lineno;
            if (c == '#') {
                while ((c = lgetc(0)) != '\n' && c != EOF) {
                    // comment to end of line
                }
            }
            if (c == '$' && parsebuf == null) {
                while (true) {
                    if ((c = lgetc(0)) == EOF) {
                        return Token.EOF;
                    }
                    if (p.length() + 1 >= max - 1) {
                        reporter.error("string too long");
                        return findeol();
                    }
                    if (isAlnum(c) || c == '_') {
                        p.append((char) c);
                        continue;
                    }
                    lungetc(c);
                    break;
                }
                String val = macros.get(p.toString());
                if (val == null) {
                    reporter.error("macro '" + p + "' not defined");
                    return findeol();
                }
                expanded += val.length();
                if (expanded > limits.maxExpansion()) {
                    reporter.error("macro expansion exceeds " + limits.maxExpansion() + " characters");
                    return findeol();
                }
                parsebuf = val;
                parseindex = 0;
                continue;
            }

            if (c == '\'' || c == '"') {
                int quotec = c;
                while (true) {
                    if ((c = lgetc(quotec)) == EOF) {
                        return Token.EOF;
                    }
                    if (c == '\n') {
                        file().lineno++;
                        continue;
                    } else if (c == '\\') {
                        int next = lgetc(quotec);
                        if (next == EOF) {
                            return Token.EOF;
                        }
                        if (next == quotec || next == ' ' || next == '\t') {
                            c = next;
                        } else if (next == '\n') {
                            file().lineno++;
                            continue;
                        } else {
                            lungetc(next);
                        }
                    } else if (c == quotec) {
                        break;
                    } else if (c == 0) {
                        reporter.error("syntax error");
                        return findeol();
                    }
                    if (p.length() + 1 >= max - 1) {
                        reporter.error("string too long");
                        return findeol();
                    }
                    p.append((char) c);
                }
                return new Token(TokenKind.STRING, p.toString(), 0, -1);
            }

            if (c == '-' || isDigit(c)) {
                do {
                    p.append((char) c);
                    if (p.length() >= max) {
                        reporter.error("string too long");
                        return findeol();
                    }
                } while ((c = lgetc(0)) != EOF && isDigit(c));
                lungetc(c);
                boolean lone = p.length() == 1 && p.charAt(0) == '-';
                if (!lone && (c == EOF || allowedToEndNumber(c))) {
                    return number(p.toString());
                }
                for (int n = p.length(); n > 1; ) {
                    lungetc(p.charAt(--n));
                }
                c = p.charAt(0);
                if (c == '-') {
                    return Token.ofChar('-');
                }
                p.setLength(0);
            }

            if (isAlnum(c) || c == ':' || c == '_' || c == '*') {
                do {
                    p.append((char) c);
                    if (p.length() >= max) {
                        reporter.error("string too long");
                        return findeol();
                    }
                } while ((c = lgetc(0)) != EOF && allowedInString(c));
                lungetc(c);
                String word = p.toString();
                TokenKind kind = TokenKind.lookup(word);
                return new Token(kind, word, 0, -1);
            }
            if (c == '\n') {
                tokenLine = file().lineno;
                file().lineno++;
            }
            if (c == EOF) {
                return Token.EOF;
            }
            return Token.ofChar(c);
        }
    }

    /** strtonum(3) over the whole 64-bit range. */
    private Token number(String digits) {
        try {
            return new Token(TokenKind.NUMBER, digits, Long.parseLong(digits), -1);
        } catch (NumberFormatException e) {
            String why = digits.startsWith("-") ? "too small" : "too large";
            reporter.error("\"" + digits + "\" invalid number: " + why);
            return findeol();
        }
    }
}
