package dev.tandem.lab;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.DhKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lab benchmark of IKEv1 negotiations per second (main mode + one quick
 * mode, PSK, AES-128/SHA-1/MODP-2048, ESP AES-128/SHA2-256, without and with
 * PFS): the {@link IkeLoadGenerator} in the peer namespace drives a
 * responder in gwa, tandemd and strongSwan's charon one after the other,
 * same duration and concurrency, alternating which goes first in each
 * round. Prints every run, the medians and the ratio Tandem/strongSwan.
 * Run by bench/ike-negotiations; needs root and strongSwan.
 *
 * <pre>
 * --rounds N       rounds per scenario, each one run of each responder (default 3)
 * --seconds S      measured window of each run (default 10)
 * --warmup S       seconds before the window (default 5)
 * --concurrency N  negotiations outstanding (default 16)
 * --pfs no|yes|both  quick mode PFS (default both)
 * </pre>
 */
public final class IkeNegotiationsBench {

    static final String GWA_WAN = "198.51.100.2";
    static final String FIRST_SOURCE = "198.51.100.100";
    static final String GWA_NET = IkeLoadGenerator.REMOTE_NET;
    static final String PEER_NET = IkeLoadGenerator.LOCAL_NET;
    private static final Pattern RESULT = Pattern.compile("RESULT completed=(\\d+) seconds=(\\S+) rate=(\\S+)"
            + " timeouts=(\\d+) retransmits=(\\d+) median_ms=(\\S+) cpu_percent=(\\S+)");

    /** One run: the generator's figures and the responder's CPU over the window (% of one core). */
    record Run(String responder, double rate, long timeouts, long retransmits, double medianMs, double generatorCpu,
               double responderCpu) {

        /** The responder's CPU time per completed negotiation: what it costs, whoever was the bottleneck. */
        double cpuMsPerNegotiation() {
            return rate == 0 ? 0 : responderCpu * 10 / rate;
        }
    }

    private IkeNegotiationsBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 10;
        int warmup = 5;
        int concurrency = 16;
        String pfs = "both";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: bench/ike-negotiations [--rounds N] [--seconds S] [--warmup S]"
                        + " [--concurrency N] [--pfs no|yes|both]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--pfs" -> pfs = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (concurrency < 1 || concurrency > 150) {
            throw new IllegalArgumentException("--concurrency 1 to 150 (one source address each)");
        }
        if (!Lab.root()) {
            System.err.println("bench/ike-negotiations: needs root");
            System.exit(1);
        }
        if (!Files.isExecutable(Path.of(StrongSwan.CHARON))) {
            System.err.println("bench/ike-negotiations: strongSwan is not installed (" + StrongSwan.CHARON + ")");
            System.exit(1);
        }
        List<Boolean> scenarios = switch (pfs) {
            case "no" -> List.of(false);
            case "yes" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new IllegalArgumentException("--pfs no, yes or both");
        };
        System.out.println("IKEv1 negotiations benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println(LabEnvironment.describeHost());
        System.out.printf(Locale.ROOT, "MODP-2048 in this JVM (DhGroup, one thread): %.0f generate()/s,"
                + " %.0f agree()/s%n", dhRate(false), dhRate(true));
        System.out.printf(Locale.ROOT, "%d rounds, %d s window after %d s warm-up, %d negotiations outstanding%n",
                rounds, seconds, warmup, concurrency);
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String psk = HexFormat.of().formatHex(key);
        Map<String, List<Run>> all = new TreeMap<>();
        try (Lab lab = Lab.ikePair()) {
            for (int i = 0; i < concurrency; i++) {
                lab.ipCommand("-n", lab.ns(Lab.PEER), "addr", "add", offset(i) + "/24", "dev", "wan0");
            }
            Path pskFile = lab.dir().resolve("bench.psk");
            Files.writeString(pskFile, psk);
            Files.setPosixFilePermissions(pskFile, PosixFilePermissions.fromString("rw-------"));
            for (boolean withPfs : scenarios) {
                String scenario = withPfs ? "PFS" : "no PFS";
                for (int r = 1; r <= rounds; r++) {
                    List<String> order = r % 2 == 1 ? List.of("tandem", "strongswan") : List.of("strongswan", "tandem");
                    for (String responder : order) {
                        Run run = run(lab, responder, withPfs, psk, pskFile, r, concurrency, warmup, seconds);
                        all.computeIfAbsent(scenario + "/" + responder, k -> new ArrayList<>()).add(run);
                        System.out.printf(Locale.ROOT, "%s, round %d, %-10s: %7.1f negotiations/s, median %.1f ms,"
                                + " %d timeouts, %d retransmits, CPU generator %.0f %% responder %.0f %%"
                                + " (%.1f ms per negotiation)%n", scenario, r, responder, run.rate, run.medianMs,
                                run.timeouts, run.retransmits, run.generatorCpu, run.responderCpu,
                                run.cpuMsPerNegotiation());
                    }
                }
            }
        }
        // another job on the machine shows here: the numbers are only as good as the machine was idle
        System.out.println("load average at the end: " + LabEnvironment.loadAverage());
        System.out.printf(Locale.ROOT, "%n| quick mode | Tandem (median) | strongSwan (median) | Tandem/strongSwan"
                + " | timeouts T/S | responder CPU T/S | responder CPU per negotiation T/S | generator CPU T/S |"
                + "%n|---|---|---|---|---|---|---|---|%n");
        for (boolean withPfs : scenarios) {
            String scenario = withPfs ? "PFS" : "no PFS";
            List<Run> t = all.get(scenario + "/tandem");
            List<Run> s = all.get(scenario + "/strongswan");
            double tm = median(t.stream().map(Run::rate).toList());
            double sm = median(s.stream().map(Run::rate).toList());
            System.out.printf(Locale.ROOT, "| %s | %.1f /s | %.1f /s | %.2f | %d / %d | %.0f %% / %.0f %% |"
                    + " %.1f ms / %.1f ms | %.0f %% / %.0f %% |%n",
                    withPfs ? "PFS (MODP-2048)" : "no PFS", tm, sm, tm / sm,
                    t.stream().mapToLong(Run::timeouts).sum(), s.stream().mapToLong(Run::timeouts).sum(),
                    median(t.stream().map(Run::responderCpu).toList()), median(s.stream().map(Run::responderCpu).toList()),
                    median(t.stream().map(Run::cpuMsPerNegotiation).toList()),
                    median(s.stream().map(Run::cpuMsPerNegotiation).toList()),
                    median(t.stream().map(Run::generatorCpu).toList()), median(s.stream().map(Run::generatorCpu).toList()));
        }
    }

    private static Run run(Lab lab, String responder, boolean pfs, String psk, Path pskFile, int round,
                           int concurrency, int warmup, int seconds) throws Exception {
        String quickGroup = pfs ? "modp2048" : "none";
        Process process;
        AutoCloseable stop;
        if (responder.equals("tandem")) {
            String conf = "ike passive esp from " + GWA_NET + " to " + PEER_NET + " local " + GWA_WAN
                    + " main auth hmac-sha1 enc aes-128 group modp2048"
                    + " quick auth hmac-sha2-256 enc aes-128 group " + quickGroup + " psk \"" + psk + "\"\n";
            Lab.Daemon d = lab.tandemd(Lab.GWA, conf);
            process = d.process();
            stop = () -> {
                d.process().destroy();
                if (!d.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    d.process().destroyForcibly().waitFor();
                }
            };
        } else {
            StrongSwanConfig c = StrongSwanConfig.ikev1(lab.dir().resolve("swan-" + (pfs ? "pfs-" : "") + round),
                    GWA_WAN, "%any", GWA_NET, PEER_NET, psk)
                    .withProposals("aes128-sha1-modp2048", pfs ? "aes128-sha256-modp2048" : "aes128-sha256");
            StrongSwan s = StrongSwan.start(lab, Lab.GWA, c, tunedStrongswanConf(c), tunedSwanctlConf(c));
            process = s.process();
            stop = s::kill;
        }
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            // the generator logs only warnings: its own cost should go to negotiating
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                    classPath(), IkeLoadGenerator.class.getName(), "--responder", GWA_WAN, "--first-source",
                    FIRST_SOURCE, "--psk-file", pskFile.toString(), "--concurrency", Integer.toString(concurrency),
                    "--warmup", Integer.toString(warmup), "--seconds", Integer.toString(seconds)));
            if (pfs) {
                cmd.add("--pfs");
            }
            Lab.Background g = lab.spawnReady(Lab.PEER, "WINDOW start", cmd.toArray(String[]::new));
            long cpu0 = cpuTicks(process);
            long t0 = System.nanoTime();
            g.out().await(0, "WINDOW end", Duration.ofSeconds(seconds + 30));
            long cpu1 = cpuTicks(process);
            long t1 = System.nanoTime();
            String out = g.awaitOutput(60);
            Matcher m = RESULT.matcher(out);
            if (!m.find()) {
                throw new IOException("the load generator printed no result:\n" + out);
            }
            double responderCpu = (cpu1 - cpu0) * 10.0 / ((t1 - t0) / 1e6) * 100;
            return new Run(responder, Double.parseDouble(m.group(3)), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7)),
                    responderCpu);
        } finally {
            stop.close();
        }
    }

    /**
     * charon tuned for many IKE_SAs from many peers: a bigger IKE_SA table,
     * no limit on half-open SAs per peer, and (unique = never) no
     * INITIAL-CONTACT handling that a peer per address would not need anyway.
     */
    static String tunedStrongswanConf(StrongSwanConfig c) {
        return replaceOnce(c.strongswanConf(), "charon {\n", """
                charon {
                    threads = 16
                    ikesa_table_size = 1024
                    ikesa_table_segments = 16
                    init_limit_half_open = 0
                    block_threshold = 1000
                """);
    }

    static String tunedSwanctlConf(StrongSwanConfig c) {
        String s = replaceOnce(c.swanctlConf(), "        mobike = no\n", "        mobike = no\n        unique = never\n");
        // a secret for any peer: only our identity names it
        return replaceOnce(s, "        id-remote = %any\n", "");
    }

    private static String replaceOnce(String text, String what, String with) {
        int i = text.indexOf(what);
        if (i < 0 || text.indexOf(what, i + 1) >= 0) {
            throw new IllegalStateException("not exactly one \"" + what.strip() + "\" in the strongSwan configuration");
        }
        return text.substring(0, i) + with + text.substring(i + what.length());
    }

    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            parts.add(Path.of(p).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static String offset(int i) {
        return "198.51.100." + (100 + i);
    }

    /** CPU ticks (10 ms) of {@code p} and everything it started: ip netns exec, unshare and sh exec into the daemon. */
    private static long cpuTicks(Process p) {
        if (p == null) {
            return 0;
        }
        long sum = ticks(p.pid());
        for (ProcessHandle h : p.descendants().toList()) {
            sum += ticks(h.pid());
        }
        return sum;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** MODP-2048 operations per second of {@link DhGroup} on one thread, after a warm-up. */
    static double dhRate(boolean agree) throws Exception {
        SecureRandom random = new SecureRandom();
        DhGroup g = DhGroup.MODP_2048;
        DhKeyPair mine = g.generate(random);
        byte[] theirs = g.generate(random).publicValue();
        long rate = 0;
        for (int pass = 0; pass < 2; pass++) {
            long end = System.nanoTime() + 1_500_000_000L;
            long n = 0;
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                if (agree) {
                    g.agree(mine, theirs);
                } else {
                    g.generate(random);
                }
                n++;
            }
            rate = Math.round(n / ((System.nanoTime() - start) / 1e9));
        }
        return rate;
    }

    static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
