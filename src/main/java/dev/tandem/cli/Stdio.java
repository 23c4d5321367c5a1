package dev.tandem.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a command runs with; tests pass their own.
 *
 * @param terminal whether the output goes to a terminal, where C programs
 *                 flush stdout at every line instead of at exit
 */
public record Stdio(InputStream in, PrintStream out, PrintStream err, boolean terminal) {

    public Stdio(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, false);
    }

    public static Stdio system() {
        java.io.Console c = System.console();
        return new Stdio(System.in, System.out, System.err, c != null && c.isTerminal());
    }
}
