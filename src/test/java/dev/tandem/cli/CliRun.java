package dev.tandem.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the tandem command line with captured streams. */
record CliRun(int status, String out, String err, String merged) {

    static CliRun of(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(new Tee(out, merged), true);
        PrintStream e = new PrintStream(new Tee(err, merged), true);
        int status = Tandem.run(args, new Stdio(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)), o, e));
        return new CliRun(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1),
                merged.toString(StandardCharsets.ISO_8859_1));
    }

    /** Writes to two sinks, so a test sees each stream and their interleaving. */
    private static final class Tee extends java.io.OutputStream {
        private final ByteArrayOutputStream a;
        private final ByteArrayOutputStream b;

        Tee(ByteArrayOutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
