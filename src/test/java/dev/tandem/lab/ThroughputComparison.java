package dev.tandem.lab;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Lab benchmark: iperf3 TCP throughput and ping round trip from ha to hb
 * through plain forwarding, two tandemd gateways and two strongSwan
 * (kernel-libipsec) gateways, in the same topology and the same run. Every
 * measurement gets a fresh lab, and each round measures every path once,
 * starting with a different one each round, so drift on a shared machine
 * hits all paths alike. Run by bench/lab-throughput; needs root.
 *
 * <pre>
 * --time S     measured seconds per iperf3 run (default 10)
 * --omit S     seconds left out at the start of each run (default 2)
 * --rounds N   rounds (default 3)
 * --pings N    pings for the round trip after each run (default 20)
 * --paths a,b  which paths, by id (default all: plain,tandem-udp,tandem-raw,strongswan)
 * </pre>
 */
public final class ThroughputComparison {

    /** The goal: Tandem at least this many times strongSwan's throughput. */
    static final double GOAL = 5.0;

    private ThroughputComparison() {
    }

    public static void main(String[] args) throws Exception {
        int time = 10;
        int omit = 2;
        int rounds = 3;
        int pings = 20;
        List<BenchPath> paths = List.of(BenchPath.values());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                return;
            }
            if (i + 1 >= args.length) {
                fail("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--time" -> time = atLeast(a, v, 1);
                case "--omit" -> omit = atLeast(a, v, 0);
                case "--rounds" -> rounds = atLeast(a, v, 1);
                case "--pings" -> pings = atLeast(a, v, 1);
                case "--paths" -> paths = paths(v);
                default -> fail("unknown option " + a);
            }
        }
        if (!Lab.root()) {
            fail("needs root: network namespaces, TUN devices, raw sockets");
        }

        System.out.println(LabEnvironment.describe());
        System.out.printf(Locale.ROOT, "iperf3 TCP ha -> hb, %d s measured after %d s omitted, %d rounds; "
                + "ping: %d x 0.2 s after each run%n", time, omit, rounds, pings);
        for (BenchPath p : paths) {
            System.out.println("  " + p.id + ": " + p.description);
        }
        System.out.println();

        ResultTable table = new ResultTable(paths, rounds);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < paths.size(); k++) {
                BenchPath p = paths.get((r + k) % paths.size());
                measure(table, p, r, time, omit, pings);
            }
        }

        System.out.println();
        System.out.println("load average at the end: " + LabEnvironment.loadAverage());
        System.out.println();
        System.out.print(table.render());
        String notes = table.renderNotes();
        if (!notes.isEmpty()) {
            System.out.println();
            System.out.println("Notes (non-zero drop counters, ping loss, failures):");
            System.out.print(notes);
        }
        if (paths.contains(BenchPath.TANDEM_UDP) && paths.contains(BenchPath.STRONGSWAN)) {
            double ratio = table.median(BenchPath.TANDEM_UDP, Iperf.Measurement::mbps)
                    / table.median(BenchPath.STRONGSWAN, Iperf.Measurement::mbps);
            System.out.printf(Locale.ROOT, "%nGoal Tandem >= %.0fx strongSwan (ESP-in-UDP both, medians): %s%n", GOAL,
                    Double.isNaN(ratio) ? "not measured (a path failed in every round)"
                            : String.format(Locale.ROOT, "%.2fx, %s", ratio, ratio >= GOAL ? "met" : "NOT met"));
        }
    }

    private static void measure(ResultTable table, BenchPath p, int round, int time, int omit, int pings) {
        Instant start = Instant.now();
        System.err.printf(Locale.ROOT, "round %d: %-10s ", round + 1, p.id);
        try (Lab lab = Lab.twoGateways()) {
            BenchPath.Diagnostics diag = p.up(lab);
            PathCheck.verify(lab, p);
            Iperf.Measurement m = Iperf.measure(lab, time, omit, pings);
            String note = diag.after() + (m.pingLoss() > 0 ? " ping loss " + m.pingLoss() + "/" + pings : "");
            table.put(p, round, m, note);
            System.err.printf(Locale.ROOT, "%8.0f Mbit/s, %6d retransmits, ping avg %.3f ms (%d s)%s%n", m.mbps(),
                    m.retransmits(), m.rttAvgMs(), start.until(Instant.now(), ChronoUnit.SECONDS), note);
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            table.put(p, round, null, " failed: " + why.lines().findFirst().orElse(why));
            System.err.println("FAILED: " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<BenchPath> paths(String ids) {
        try {
            return java.util.Arrays.stream(ids.split(",")).map(String::strip).map(BenchPath::byId).distinct().toList();
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return List.of();
        }
    }

    private static int atLeast(String option, String v, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, like a number that is too small
        }
        fail(option + " needs a whole number of at least " + min + ", not " + v);
        return min;
    }

    private static void usage() {
        System.out.println("usage: ThroughputComparison [--time S] [--omit S] [--rounds N] [--pings N] "
                + "[--paths " + String.join(",", java.util.Arrays.stream(BenchPath.values()).map(p -> p.id)
                .toList()) + "]");
    }

    private static void fail(String message) {
        System.err.println("ThroughputComparison: " + message);
        System.exit(2);
    }
}
