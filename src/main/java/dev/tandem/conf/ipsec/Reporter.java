package dev.tandem.conf.ipsec;

import java.util.function.Consumer;

/**
 * Writes diagnostics the way ipsecctl does: {@code file: line: message} for
 * problems in the configuration, {@code ipsecctl: message} for the rest.
 * Every error counts against the file being read.
 */
final class Reporter {

    private final Consumer<String> stderr;
    private final String progname;
    private Lexer lexer;

    Reporter(Consumer<String> stderr, String progname) {
        this.stderr = stderr;
        this.progname = progname;
    }

    void attach(Lexer l) {
        this.lexer = l;
    }

    /** yyerror: a counted error at the current token's line. */
    void error(String message) {
        lexer.file().errors++;
        stderr.accept(lexer.file().name + ": " + lexer.tokenLine() + ": " + message);
    }

    /** yywarn: the same format, not counted. */
    void warn(String message) {
        stderr.accept(lexer.file().name + ": " + lexer.tokenLine() + ": " + message);
    }

    /** warnx: a message about the program, not about a line. */
    void program(String message) {
        stderr.accept(progname + ": " + message);
    }

    /** A bare line, as ipsecctl's host lookup prints "no IP address found for ...". */
    void plain(String line) {
        stderr.accept(line);
    }
}
