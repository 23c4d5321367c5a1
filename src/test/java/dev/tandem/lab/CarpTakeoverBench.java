package dev.tandem.lab;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lab benchmark of CARP takeover: two tandemd nodes on a bridged segment,
 * the master (preempt, smaller advskew) killed with SIGKILL at a random
 * point of its advertisement interval, the time until the VIP is on the
 * backup's interface measured from the kill; then the master restarts and
 * preempts, and the next trial begins. Run by bench/carp-takeover; needs root.
 *
 * <pre>
 * --trials N     kill-the-master trials (default 20)
 * --advbase S    advbase of both nodes (default 0)
 * --master K     advskew of the master (default 10)
 * --backup K     advskew of the backup (default 20)
 * </pre>
 */
public final class CarpTakeoverBench {

    /** The goal for the median, in ms. */
    static final double GOAL_MEDIAN_MS = 300;

    private CarpTakeoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = 20;
        int advbase = 0;
        int master = 10;
        int backup = 20;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: bench/carp-takeover [--trials N] [--advbase S] [--master SKEW] [--backup SKEW]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            int v = Integer.parseInt(args[++i]);
            switch (a) {
                case "--trials" -> trials = v;
                case "--advbase" -> advbase = v;
                case "--master" -> master = v;
                case "--backup" -> backup = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!Lab.root()) {
            System.err.println("bench/carp-takeover: needs root");
            System.exit(1);
        }
        double intervalMs = (advbase + master / 256.0) * 1000;
        double downMs = 3 * (advbase + backup / 256.0) * 1000;
        System.out.println("CARP takeover benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println(LabEnvironment.describeHost());
        System.out.printf(Locale.ROOT, "master advbase %d advskew %d (interval %.1f ms), backup advskew %d "
                + "(master-down %.1f ms, bound +100 ms = %.1f ms)%n", advbase, master, intervalMs, backup, downMs,
                downMs + 100);
        String masterConf = CarpLabTest.carpConf("advbase " + advbase + " advskew " + master + " preempt");
        String backupConf = CarpLabTest.carpConf("advbase " + advbase + " advskew " + backup);
        List<Double> times = new ArrayList<>();
        try (Lab lab = Lab.segment("a", "b")) {
            Lab.Daemon a = lab.tandemd("a", Map.of("carp.conf", masterConf));
            CarpLabTest.awaitState(a, 0, "MASTER");
            Lab.Daemon b = lab.tandemd("b", Map.of("carp.conf", backupConf));
            CarpLabTest.awaitState(b, 0, "BACKUP");
            AddressWatch watch = AddressWatch.start(lab, "b");
            for (int t = 1; t <= trials; t++) {
                // a random phase of the master's interval, so trials sample all of it
                Thread.sleep(Duration.ofNanos((long) (ThreadLocalRandom.current().nextDouble(1.0, 2.0)
                        * Math.max(intervalMs, 1) * 1e6)));
                int mark = watch.mark();
                int mb = b.log().mark();
                long killed = System.nanoTime();
                a.process().destroyForcibly();
                LogLines.Line added = watch.added(mark, CarpLabTest.VIP, Duration.ofSeconds(20));
                double ms = (added.nanos() - killed) / 1e6;
                times.add(ms);
                System.out.printf(Locale.ROOT, "trial %2d: %.1f ms%n", t, ms);
                a.process().waitFor();
                int mark2 = watch.mark();
                a = lab.tandemd("a", Map.of("carp.conf", masterConf));
                CarpLabTest.awaitState(a, 0, "MASTER");
                CarpLabTest.awaitState(b, mb, "BACKUP");
                watch.removed(mark2, CarpLabTest.VIP, Duration.ofSeconds(20));
            }
        }
        List<Double> sorted = times.stream().sorted().toList();
        double median = percentile(sorted, 50);
        double p95 = percentile(sorted, 95);
        System.out.printf(Locale.ROOT, "%n| trials | min | median | p95 | max | bound | goal (median) |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| %d | %.1f ms | **%.1f ms** | %.1f ms | %.1f ms | %.0f ms | < %.0f ms: %s |%n",
                sorted.size(), sorted.getFirst(), median, p95, sorted.getLast(), downMs + 100, GOAL_MEDIAN_MS,
                median < GOAL_MEDIAN_MS ? "met" : "NOT met");
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
