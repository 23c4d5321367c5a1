package dev.tandem.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** The standard streams a command runs with; tests pass their own. */
public record Stdio(InputStream in, PrintStream out, PrintStream err) {

    public static Stdio system() {
        return new Stdio(System.in, System.out, System.err);
    }
}
