package dev.tandem.sync;

import dev.tandem.lab.LabEnvironment;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sadb.SadbException;
import dev.tandem.sadb.SaSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Benchmark of replication over real TCP on loopback, both nodes in this
 * JVM (see {@link SyncBenchNode}): a master on 127.0.0.1 ({@code mode
 * master}), a backup on 127.0.0.2 ({@code mode slave}). Run by bench/sync;
 * needs no root.
 *
 * <ol>
 *   <li>The master's SADB is filled ({@link SyncBenchData}: {@code --sas}
 *       SAs, {@code --flows} flows).</li>
 *   <li>Snapshot, {@code --runs} times: a fresh backup starts; the time from
 *       its {@link Replicator#start} to the end of the step that applied the
 *       snapshot ({@link Replicator#firstSnapshotApplied}) covers connect,
 *       handshake, ROLE, the master's encoding and sending, the transfer and
 *       the backup's decoding and installing. The backup's heap is what
 *       full collections find live with it minus without it.</li>
 *   <li>Latency: one more fresh backup takes the snapshot; then the master
 *       adds one SA at a time on its loop, and the time from just before
 *       {@code Sadb.add} to the backup's SADB announcing that SA (Added, on
 *       the backup's loop) is one sample. The next add waits for the
 *       arrival. {@code --warmup} adds are not counted, {@code --samples}
 *       are.</li>
 * </ol>
 */
public final class SyncBench {

    /** The goals. */
    static final double GOAL_P99_MS = 5;
    static final double GOAL_SNAPSHOT_MS = 2000;

    static final IpAddress MASTER = IpAddress.parse("127.0.0.1").orElseThrow();
    static final IpAddress BACKUP = IpAddress.parse("127.0.0.2").orElseThrow();
    static final long SEED = 20_261_128L;
    /** SAs added per task on the master's loop while filling it, so its timers and I/O run in between. */
    static final int FILL_BATCH = 1000;
    static final long WAIT_SECONDS = 120;

    /**
     * What to run.
     *
     * @param port 0: a free one is picked
     */
    record Settings(int sas, int flows, int runs, int warmup, int samples, int port) {

        static final Settings DEFAULT = new Settings(100_000, 1_000, 5, 2_000, 10_000, 0);

        Settings {
            if (sas < 0 || flows < 0 || runs < 1 || warmup < 0 || samples < 1 || port < 0 || port > 65_535) {
                throw new IllegalArgumentException("sas, flows, warmup >= 0; runs, samples >= 1; port 0..65535");
            }
        }
    }

    /**
     * One snapshot run.
     *
     * @param nanos         backup start to snapshot applied
     * @param bytesReceived by the backup on the connection by then (handshake and ROLE included)
     * @param backupHeap    live heap with the backup minus without it
     * @param liveBefore    live heap before the backup started (the master and the JVM)
     */
    record SnapshotRun(long nanos, long bytesReceived, long backupHeap, long liveBefore,
                       SyncBenchMemory.Usage usage) { }

    /**
     * Everything measured, with the time it took the master's loop to fill its SADB.
     *
     * @param latencyNanos  per add: from just before {@code Sadb.add} on the master's loop to the backup's Added
     * @param requestNanos  per add: from handing the add to the master's loop (it may be busy) to the backup's Added
     * @param latencyPauses GC pauses while the measured adds ran: count and total ms
     */
    record Result(Settings settings, long fillNanos, List<SnapshotRun> snapshots, long[] latencyNanos,
                  long[] requestNanos, long[] latencyPauses) { }

    /** The two latencies of each measured add, and the GC pauses meanwhile. */
    private record Latencies(long[] fromAdd, long[] fromRequest, long[] pauses) { }

    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/sync: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (s == null) {
            System.out.println(usage());
            return;
        }
        System.out.println("Replication benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println(LabEnvironment.describeHost());
        System.out.println("heap: max " + mb(Runtime.getRuntime().maxMemory()) + ", JVM arguments "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        Result r = run(s, System.err);
        System.out.println("load average at the end: " + LabEnvironment.loadAverage());
        System.out.println();
        System.out.print(report(r));
    }

    static String usage() {
        return "usage: bench/sync [--sas N] [--flows N] [--runs N] [--warmup N] [--samples N] [--port N]\n"
                + "  defaults: --sas 100000 --flows 1000 --runs 5 --warmup 2000 --samples 10000, a free port";
    }

    /** The settings, or null for --help. */
    static Settings parse(String[] args) {
        Settings d = Settings.DEFAULT;
        int[] v = {d.sas(), d.flows(), d.runs(), d.warmup(), d.samples(), d.port()};
        List<String> names = List.of("--sas", "--flows", "--runs", "--warmup", "--samples", "--port");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                return null;
            }
            int k = names.indexOf(args[i]);
            if (k < 0) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            try {
                v[k] = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number after " + args[i - 1] + ": " + args[i]);
            }
        }
        return new Settings(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /** Runs all phases; progress goes to {@code log}. */
    static Result run(Settings s, PrintStream log) throws Exception {
        int port = s.port() != 0 ? s.port() : freePort();
        SyncBenchData data = new SyncBenchData(SEED);
        try (SyncBenchNode master = SyncBenchNode.create("master", MASTER, BACKUP, port, true)) {
            master.start();
            long fill = fill(master, data, s);
            log.printf(Locale.ROOT, "sync bench: master filled with %,d SAs and %,d flows in %.1f ms%n", s.sas(),
                    s.flows(), fill / 1e6);
            List<SnapshotRun> runs = new ArrayList<>();
            for (int i = 1; i <= s.runs(); i++) {
                long liveBefore = SyncBenchMemory.liveHeap();
                SnapshotRun r = snapshotRun(master, s, port, liveBefore);
                runs.add(new SnapshotRun(r.nanos(), r.bytesReceived(),
                        r.backupHeap() - SyncBenchMemory.liveHeap(), liveBefore, r.usage()));
                log.printf(Locale.ROOT, "sync bench: snapshot run %d: %.1f ms%n", i, r.nanos() / 1e6);
            }
            Latencies l = latency(master, data, s, port, log);
            return new Result(s, fill, runs, l.fromAdd(), l.fromRequest(), l.pauses());
        }
    }

    /** Adds the SAs and flows to the master's SADB; returns the loop's time doing it. */
    private static long fill(SyncBenchNode master, SyncBenchData data, Settings s) throws Exception {
        long busy = 0;
        for (int from = 0; from < s.sas(); from += FILL_BATCH) {
            int first = from;
            int end = Math.min(s.sas(), from + FILL_BATCH);
            busy += master.call(() -> {
                long t = System.nanoTime();
                for (int i = first; i < end; i++) {
                    master.sadb.add(data.sa(i));
                }
                return System.nanoTime() - t;
            });
        }
        busy += master.call(() -> {
            long t = System.nanoTime();
            master.sadb.addFlows(SyncBenchData.flows(s.flows()));
            return System.nanoTime() - t;
        });
        return busy;
    }

    /**
     * One fresh backup takes the snapshot and is closed again. Its figures come
     * back with {@code backupHeap} still the live heap while it existed; the
     * caller subtracts the live heap once it is gone, after this method has
     * dropped every reference to it.
     */
    private static SnapshotRun snapshotRun(SyncBenchNode master, Settings s, int port, long liveBefore)
            throws Exception {
        SyncBenchMemory.Watch watch = SyncBenchMemory.start();
        Started b = startBackup(port);
        SyncBenchMemory.Usage usage = watch.stop();
        try (SyncBenchNode backup = b.node()) {
            check(master, backup, s);
            long live = SyncBenchMemory.liveHeap();
            return new SnapshotRun(b.nanos(), b.bytesReceived(), live, liveBefore, usage);
        }
    }

    /** A backup that has applied its first snapshot, how long that took and what it received. */
    private record Started(SyncBenchNode node, long nanos, long bytesReceived) { }

    private static Started startBackup(int port) throws Exception {
        SyncBenchNode backup = SyncBenchNode.create("backup", BACKUP, MASTER, port, false);
        try {
            CompletableFuture<long[]> applied = new CompletableFuture<>();
            // runs on the backup's loop in the step that applied the snapshot
            backup.replicator.firstSnapshotApplied().thenRun(() -> applied.complete(new long[] {
                System.nanoTime(), backup.replicator.status().peers().getFirst().bytesIn()}));
            long started = backup.call(() -> {
                long t = System.nanoTime();
                backup.replicator.start();
                return t;
            });
            long[] a = applied.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return new Started(backup, a[0] - started, a[1]);
        } catch (Exception | Error e) {
            backup.close();
            throw e;
        }
    }

    /** The backup holds what the master holds: a run that lost data must not count. */
    private static void check(SyncBenchNode master, SyncBenchNode backup, Settings s) throws Exception {
        int sas = backup.call(() -> backup.sadb.sas().size());
        int flows = backup.call(() -> backup.sadb.flows().size());
        int masterSas = master.call(() -> master.sadb.sas().size());
        if (sas != masterSas || flows != s.flows()) {
            throw new IllegalStateException("the backup has " + sas + " SAs and " + flows + " flows after the snapshot,"
                    + " the master " + masterSas + " SAs and " + s.flows() + " flows");
        }
    }

    private static Latencies latency(SyncBenchNode master, SyncBenchData data, Settings s, int port, PrintStream log)
            throws Exception {
        try (SyncBenchNode backup = startBackup(port).node()) {
            BlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>();
            AtomicInteger expected = new AtomicInteger();
            Consumer<SadbEvent> arrived = e -> {
                if (e instanceof SadbEvent.Added a && a.sa().id().spi() == expected.get()) {
                    arrivals.add(new long[] {a.sa().id().spi(), System.nanoTime()});
                }
            };
            backup.call(() -> {
                backup.sadb.subscribe(arrived);
                return null;
            });
            long[] samples = new long[s.samples()];
            long[] requested = new long[s.samples()];
            int total = s.warmup() + s.samples();
            long[] pausesBefore = SyncBenchMemory.pauses();
            for (int i = 0; i < total; i++) {
                SaSpec spec = data.sa(s.sas() + i);
                expected.set(spec.id().spi());
                CompletableFuture<Long> added = new CompletableFuture<>();
                long request = System.nanoTime();
                master.loop.execute(() -> {
                    long t = System.nanoTime();
                    try {
                        master.sadb.add(spec);
                        added.complete(t);
                    } catch (SadbException | RuntimeException e) {
                        added.completeExceptionally(e);
                    }
                });
                long t0 = added.get(WAIT_SECONDS, TimeUnit.SECONDS);
                long[] a = arrivals.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                if (a == null) {
                    throw new IllegalStateException("SA " + Integer.toHexString(spec.id().spi())
                            + " did not reach the backup within " + WAIT_SECONDS + " s");
                }
                if (i >= s.warmup()) {
                    samples[i - s.warmup()] = a[1] - t0;
                    requested[i - s.warmup()] = a[1] - request;
                }
                if (i + 1 == s.warmup()) {
                    pausesBefore = SyncBenchMemory.pauses();
                    log.printf(Locale.ROOT, "sync bench: %,d warm-up adds done%n", s.warmup());
                }
            }
            log.printf(Locale.ROOT, "sync bench: %,d measured adds done%n", s.samples());
            long[] pausesAfter = SyncBenchMemory.pauses();
            return new Latencies(samples, requested,
                    new long[] {pausesAfter[0] - pausesBefore[0], pausesAfter[1] - pausesBefore[1]});
        }
    }

    /** A port free on both loopback addresses just now. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket a = new ServerSocket()) {
                a.bind(new InetSocketAddress(InetAddress.getByAddress(MASTER.octets()), 0));
                port = a.getLocalPort();
                try (ServerSocket b = new ServerSocket()) {
                    b.bind(new InetSocketAddress(InetAddress.getByAddress(BACKUP.octets()), port));
                    return port;
                } catch (IOException taken) {
                    // taken on the second address: try another
                }
            }
        }
        throw new IOException("no port free on both 127.0.0.1 and 127.0.0.2");
    }

    // ---- the report --------------------------------------------------------

    /** The nearest-rank percentile {@code p} (0..100] of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    static String report(Result r) {
        StringBuilder b = new StringBuilder();
        Settings s = r.settings();
        b.append(String.format(Locale.ROOT, "Master's SADB filled with %,d SAs (Sadb.add) and %,d flows "
                + "(one addFlows) in %.1f ms of its loop's time.%n%n", s.sas(), s.flows(), r.fillNanos() / 1e6));
        b.append(String.format(Locale.ROOT, "### Snapshot of %,d SAs and %,d flows, %d runs, a fresh backup each%n%n",
                s.sas(), s.flows(), s.runs()));
        b.append("| run | start to applied | SAs/s | sent to the backup | backup's heap (live) | per SA "
                + "| peak heap in use (over live before) | allocated | GC pauses |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        List<SnapshotRun> runs = r.snapshots();
        for (int i = 0; i < runs.size(); i++) {
            SnapshotRun x = runs.get(i);
            SyncBenchMemory.Usage u = x.usage();
            b.append(String.format(Locale.ROOT, "| %d%s | %.1f ms | %,.0f | %s | %s | %s | %s (+%s) | %s | %d (%d ms) |%n",
                    i + 1, i == 0 ? " (cold)" : "", x.nanos() / 1e6, s.sas() / (x.nanos() / 1e9), mb(x.bytesReceived()),
                    mb(x.backupHeap()), s.sas() == 0 ? "-" : x.backupHeap() / s.sas() + " B",
                    mb(u.peakHeapUsed()), mb(u.peakHeapUsed() - x.liveBefore()),
                    u.allocated() < 0 ? "?" : mb(u.allocated()), u.pauses(), u.pauseMillis()));
        }
        for (String stat : List.of("median", "min", "max")) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f ms | | | %s | | %s | %s | |%n", stat,
                    stat(runs, stat, x -> x.nanos()) / 1e6, mb((long) stat(runs, stat, x -> x.backupHeap())),
                    mb((long) stat(runs, stat, x -> x.usage().peakHeapUsed())),
                    mb((long) stat(runs, stat, x -> x.usage().allocated()))));
        }
        double worst = stat(runs, "max", x -> x.nanos()) / 1e6;
        b.append(String.format(Locale.ROOT, "%nGoal: every run <= %.0f ms: %s (slowest %.1f ms).%n%n", GOAL_SNAPSHOT_MS,
                worst <= GOAL_SNAPSHOT_MS ? "**met**" : "**not met**", worst));

        b.append(String.format(Locale.ROOT, "### Latency of single SA adds, %,d samples after %,d warm-up adds%n%n",
                r.latencyNanos().length, s.warmup()));
        b.append("| measured from | min | p50 | p90 | p99 | max | mean | goal p99 <= 5 ms |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        latencyRow(b, "`Sadb.add` on the master's loop", r.latencyNanos());
        latencyRow(b, "the add handed to the master's loop", r.requestNanos());
        b.append(String.format(Locale.ROOT, "%nGC pauses while the measured adds ran: %d, %d ms in all.%n",
                r.latencyPauses()[0], r.latencyPauses()[1]));
        return b.toString();
    }

    private static void latencyRow(StringBuilder b, String from, long[] nanos) {
        long[] l = nanos.clone();
        Arrays.sort(l);
        double mean = Arrays.stream(l).average().orElse(0);
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", from, ms(l[0]),
                ms(percentile(l, 50)), ms(percentile(l, 90)), ms(percentile(l, 99)), ms(l[l.length - 1]),
                ms((long) mean), percentile(l, 99) / 1e6 <= GOAL_P99_MS ? "**met**" : "**not met**"));
    }

    private static double stat(List<SnapshotRun> runs, String which, ToDoubleFunction<SnapshotRun> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return switch (which) {
            case "min" -> v[0];
            case "max" -> v[v.length - 1];
            default -> v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        };
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
