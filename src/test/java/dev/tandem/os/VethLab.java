package dev.tandem.os;

import dev.tandem.lab.Lab;
import dev.tandem.net.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Two network namespaces joined by one veth pair, for the CARP port labs:
 *
 * <pre>
 *   [A] ca 10.77.0.1/24 ---- cb 10.77.0.2/24 [B]
 * </pre>
 *
 * Namespace names get a random prefix so runs never collide; {@link #close}
 * ends every process started here and everything left in the namespaces,
 * then deletes them, also after a failure.
 */
final class VethLab implements AutoCloseable {

    static final String DEV_A = "ca";
    static final String DEV_B = "cb";
    static final IpAddress ADDR_A = IpAddress.parse("10.77.0.1").orElseThrow();
    static final IpAddress ADDR_B = IpAddress.parse("10.77.0.2").orElseThrow();

    final String a;
    final String b;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    private VethLab() {
        String prefix = "tdc" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        a = prefix + "-a";
        b = prefix + "-b";
    }

    static VethLab create() throws IOException, InterruptedException {
        VethLab lab = new VethLab();
        try {
            for (String n : List.of(lab.a, lab.b)) {
                lab.ip("netns", "add", n);
                lab.namespaces.add(n);
                lab.ip("-n", n, "link", "set", "lo", "up");
            }
            lab.ip("link", "add", DEV_A, "netns", lab.a, "type", "veth", "peer", "name", DEV_B, "netns", lab.b);
            lab.ip("-n", lab.a, "addr", "add", ADDR_A + "/24", "dev", DEV_A);
            lab.ip("-n", lab.b, "addr", "add", ADDR_B + "/24", "dev", DEV_B);
            lab.ip("-n", lab.a, "link", "set", DEV_A, "up");
            lab.ip("-n", lab.b, "link", "set", DEV_B, "up");
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Runs {@code ip ARGS} from the host and fails with its output when it fails. */
    String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a command inside namespace {@code ns} and returns its output; fails when it fails. */
    String exec(String ns, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(full);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** The Ethernet address of {@code dev} in {@code ns}, as ip prints it. */
    String mac(String ns, String dev) throws IOException, InterruptedException {
        String out = ip("-n", ns, "-o", "link", "show", dev);
        String[] w = out.trim().split("\\s+");
        for (int i = 0; i + 1 < w.length; i++) {
            if (w[i].equals("link/ether")) {
                return w[i + 1];
            }
        }
        throw new IOException("no link/ether in: " + out);
    }

    /** The addresses on {@code dev} in {@code ns} as "inet A/P" and "inet6 A/P" words. */
    List<String> addresses(String ns, String dev) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (String line : ip("-n", ns, "-o", "addr", "show", "dev", dev).split("\n")) {
            String[] w = line.trim().split("\\s+");
            for (int i = 0; i + 1 < w.length; i++) {
                if (w[i].equals("inet") || w[i].equals("inet6")) {
                    out.add(w[i] + " " + w[i + 1]);
                }
            }
        }
        return out;
    }

    /** A command running in a namespace whose output lines can be awaited. */
    static final class Watched {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer all = new StringBuffer();

        private Watched(Process p) {
            Thread.ofPlatform().daemon().name("watch-" + p.pid()).start(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** The next line that matches, waiting at most {@code timeout}; fails with all output otherwise. */
        String await(Predicate<String> match, Duration timeout) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new IOException("no matching line within " + timeout + "; output:\n" + all);
                }
                if (match.test(line)) {
                    return line;
                }
            }
        }

        String output() {
            return all.toString();
        }
    }

    /** Starts {@code cmd} in namespace {@code ns}; {@link #close} ends it. */
    Watched spawn(String ns, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        processes.add(p);
        return new Watched(p);
    }

    @Override
    public void close() {
        Lab.cleanUp(processes, namespaces);
    }
}
