package dev.tandem.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} for the rare configuration changes (links,
 * routes, addresses): a few milliseconds each, and the same commands an
 * admin would type. The child inherits the calling thread's network
 * namespace.
 */
public final class IpCommand {

    private IpCommand() {
    }

    /** How a command ended: its exit status and what it printed (stdout and stderr together). */
    public record Result(int status, String output) {
        public boolean ok() {
            return status == 0;
        }
    }

    /** Runs {@code ip ARGS}; throws with ip's own message when it fails. */
    public static void run(String... args) throws IOException {
        Result r = call(args);
        if (!r.ok()) {
            throw new IOException(describe(args) + ": " + r.output());
        }
    }

    /**
     * Runs {@code ip ARGS} and reports how it ended, also when it failed;
     * throws only when it could not be run or did not end within 10 s.
     */
    public static Result call(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(describe(args) + ": timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(describe(args) + ": interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(p.exitValue(), out);
    }

    static String describe(String... args) {
        return "ip " + String.join(" ", args);
    }
}
