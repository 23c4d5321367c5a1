package dev.tandem.lab;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code tandem demo --lab}: the failover demo with the real daemons. In
 * network namespaces ({@link IkeClusterLab}), strongSwan 5.9.8 in gp holds
 * an IKEv1 tunnel to the cluster gwa/gwb while ha and hp exchange 1,000
 * sequence-numbered datagrams per second each way; gwa, the master, gets
 * kill -9, and the demo prints what strongSwan saw: the same IKE SA and
 * CHILD SPIs, no renegotiation, no replay or ICV failure, and the gap in
 * traffic against the bound of the node taking over. The namespaces and
 * processes go away at the end, also on failure or Ctrl-C.
 */
public final class LabDemo {

    /** Traffic sent before the window closes has this long to arrive before the window is read. */
    private static final long TAIL_NANOS = 500_000_000L;
    /** Traffic flows this long before the kill, so the window shows the stream as it was. */
    private static final long STEADY_NANOS = 2_000_000_000L;
    /** The day in front of a daemon's log line: the time of day is enough here. */
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} ");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final PrintStream out;
    private final Map<Long, String> timeline = new TreeMap<>();
    private long startNanos;

    private LabDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Why the demo cannot run on this machine (not root, no strongSwan), or
     * null when it can.
     */
    public static String unavailable(boolean root, boolean charonInstalled) {
        if (!root) {
            return "tandem demo --lab needs root: it creates network namespaces and TUN devices and runs "
                    + "strongSwan in them (sudo ./tandem demo --lab; without root, ./tandem demo runs the same "
                    + "failover on a simulated network)";
        }
        if (!charonInstalled) {
            return "tandem demo --lab needs strongSwan (" + StrongSwan.CHARON + " is missing): apt-get install "
                    + "strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins";
        }
        return null;
    }

    /** {@link #unavailable(boolean, boolean)} for this machine. */
    public static String unavailable() {
        return unavailable(Lab.root(), Files.isExecutable(Path.of(StrongSwan.CHARON)));
    }

    /**
     * Runs the demo: 0 if the peer never noticed, 1 if it did or the lab
     * failed, 2 if it cannot run here. The daemons' and charon's logs go to
     * {@code err} after a failure, and with {@code verbose} always.
     */
    public static int run(PrintStream out, PrintStream err, boolean verbose) {
        String why = unavailable();
        if (why != null) {
            err.println(why);
            return 2;
        }
        return new LabDemo(out).run(err, verbose);
    }

    private int run(PrintStream err, boolean verbose) {
        out.println("Tandem failover demo in the lab: the cluster's master dies; does strongSwan notice?");
        out.println("Network namespaces on this machine: tandemd on gwa and gwb (CARP, sync, IKE), unmodified");
        out.println("strongSwan (charon, kernel-libipsec) on gp initiating IKEv1 to the cluster's address, and hosts");
        out.println("ha and hp sending " + IkeClusterLab.RATE + " sequence-numbered datagrams per second each way"
                + " through the tunnel.");
        out.println();
        startNanos = System.nanoTime();
        IkeClusterLab cluster = null;
        try (Lab lab = Lab.cluster()) {
            cluster = new IkeClusterLab(lab);
            int status = failover(cluster);
            if (verbose) {
                cluster.printLogs(err);
            }
            return status;
        } catch (Exception e) {
            flushTimeline();
            if (cluster != null) {
                cluster.printLogs(err);
            }
            err.println("tandem demo --lab: the lab failed: " + e.getMessage());
            return 1;
        } finally {
            out.println("(the namespaces and processes of the lab are gone)");
        }
    }

    private int failover(IkeClusterLab cluster) throws Exception {
        printConfig(cluster);
        out.println("--- timeline (seconds since the start; daemon lines carry their own clock) ---");
        List<Lab.Daemon> ab = cluster.startCluster();
        Lab.Daemon a = ab.get(0);
        Lab.Daemon b = ab.get(1);
        logLines(Lab.GWA, a.log(), 0, "-> MASTER", "ike: active");
        logLines(Lab.GWB, b.log(), 0, "snapshot from", "-> BACKUP");
        SwanctlSas.IkeSa ike = cluster.startPeer(b);
        StrongSwan swan = cluster.swan();
        logLines("gp", swan.log(), 0, StrongSwan.IKE_ESTABLISHED, "established with SPIs");
        try (IkeClusterLab.Traffic t = cluster.traffic()) {
            t.awaitDelivered(System.nanoTime());
            event(System.nanoTime(), "traffic flows both ways between ha and hp");
            t.awaitDelivered(System.nanoTime() + STEADY_NANOS);
            cluster.awaitCountersReplicated(a, b);
            event(System.nanoTime(), "gwb holds gwa's sequence numbers and replay windows (sync)");
            flushTimeline();

            String rolesA = NodeStatus.of(a).roles();
            String rolesB = NodeStatus.of(b).roles();
            ike = swan.established();
            SwanctlSas.ChildSa child = ike.child(StrongSwanConfig.CHILD).orElseThrow();
            int peerMark = swan.log().mark();
            int bMark = b.log().mark();
            long killed = System.nanoTime();
            a.process().destroyForcibly();
            event(killed, "** kill -9 of gwa, the master (" + LocalTime.now().format(CLOCK) + ")");
            IkeClusterLab.awaitInterfaces(b, bMark, "MASTER");
            b.log().await(bMark, "sync: BACKUP -> MASTER", IkeClusterLab.LONG);
            t.awaitDelivered(System.nanoTime());
            long end = System.nanoTime();
            t.awaitDelivered(end + TAIL_NANOS);
            // a new master's IKE turns active once it has been master a while (IkePassiveMode)
            b.log().await(bMark, "ike: active", IkeClusterLab.LONG);
            logLines(Lab.GWB, b.log(), bMark, "-> MASTER", "ike: active");
            SequencedStream.Window up = t.up().window(killed, end);
            SequencedStream.Window down = t.down().window(killed, end);
            resumed(killed, up, "cluster->peer (ha->hp)");
            resumed(killed, down, "peer->cluster (hp->ha)");
            SwanctlSas.IkeSa ikeAfter = swan.established();
            SwanctlSas.ChildSa childAfter = ikeAfter.child(StrongSwanConfig.CHILD).orElseThrow();
            String rolesAfter = NodeStatus.of(b).roles();
            List<String> negotiations = swan.logged(peerMark, StrongSwan.NEGOTIATIONS);
            negotiations.forEach(l -> event(System.nanoTime(), "gp: " + l));
            flushTimeline();

            out.println();
            out.println("--- roles ---");
            out.println("before  gwa: " + rolesA);
            out.println("        gwb: " + rolesB);
            out.println("after   gwa: killed");
            out.println("        gwb: " + rolesAfter);
            return verdict(ike, child, ikeAfter, childAfter, swan, peerMark, negotiations, up, down);
        }
    }

    private int verdict(SwanctlSas.IkeSa ike, SwanctlSas.ChildSa child, SwanctlSas.IkeSa ikeAfter,
                        SwanctlSas.ChildSa childAfter, StrongSwan swan, int peerMark, List<String> negotiations,
                        SequencedStream.Window up, SequencedStream.Window down) {
        long renegotiations = swan.logged(peerMark, List.of(StrongSwan.IKE_ESTABLISHED)).size();
        long espFailures = swan.logged(peerMark, StrongSwan.ESP_FAILURES).size();
        double bound = ClusterConf.boundMs(Lab.GWB);
        out.println();
        out.println("--- what strongSwan saw (swanctl --list-sas, charon's log) ---");
        row("", "before (master gwa)", "after (master gwb)");
        row("IKE SA (cookies i:r)", ikeSa(ike), ikeSa(ikeAfter));
        row("CHILD SA (SPIs in/out)", child.spiIn() + "/" + child.spiOut(),
                childAfter.spiIn() + "/" + childAfter.spiOut());
        table("renegotiations (IKE SAs established)", Long.toString(renegotiations));
        table("other negotiation lines in charon's log", Integer.toString(negotiations.size() - (int) renegotiations));
        table("replay / ICV / unknown SPI drops", Long.toString(espFailures));
        table("gap cluster->peer", gap(up));
        table("gap peer->cluster", gap(down));
        table("bound for gwb", String.format(Locale.ROOT, "3 x (advbase 0 + advskew %d/256 s) + 200 ms = %.0f ms",
                ClusterConf.ADVSKEW_GWB, bound));
        boolean same = ikeSa(ike).equals(ikeSa(ikeAfter)) && child.spiIn().equals(childAfter.spiIn())
                && child.spiOut().equals(childAfter.spiOut());
        boolean ok = same && negotiations.isEmpty() && espFailures == 0 && up.gapMs() <= bound
                && down.gapMs() <= bound;
        out.println();
        out.println(ok ? "The peer never noticed: same IKE SA, same SPIs, no replay error, no renegotiation."
                : "THE PEER NOTICED: see above.");
        return ok ? 0 : 1;
    }

    /** The configuration files, secrets masked. */
    private void printConfig(IkeClusterLab cluster) {
        out.println("--- the configuration (gwa and gwb load the same ipsec.conf) ---");
        for (String node : List.of(Lab.GWA, Lab.GWB)) {
            Map<String, String> files = cluster.conf().ikeNode(node, "********", false);
            if (node.equals(Lab.GWA)) {
                out.print("gwa, gwb  ipsec.conf:   " + files.get("ipsec.conf").lines()
                        .filter(l -> !l.startsWith("#")).findFirst().orElse("") + "\n");
            }
            files.get("carp.conf").lines().forEach(l -> out.println(node + "  carp.conf:    "
                    + l.replaceAll("pass \\S+", "pass ********")));
            out.println(node + "  sasyncd.conf: " + files.get("sasyncd.conf").strip().replace("\n", "; ")
                    .replaceAll("sharedkey \\S+", "sharedkey ********"));
        }
        StrongSwanConfig swan = cluster.peerConfig();
        out.println("gp   swanctl.conf: IKEv" + swan.version() + " main mode " + swan.local() + " -> " + swan.remote()
                + ", " + swan.localTs() + " <-> " + swan.remoteTs() + ", ike " + swan.ike() + ", esp " + swan.esp()
                + ", dpd_delay " + swan.dpdDelay().toSeconds() + " s, dpd_action " + swan.dpdAction()
                + ", secret ********");
        out.println();
    }

    /** The lines of {@code log} from {@code from} on that contain any of {@code texts}, at the time each was read. */
    private void logLines(String node, LogLines log, int from, String... texts) {
        List<LogLines.Line> lines = log.lines();
        for (LogLines.Line l : lines.subList(from, lines.size())) {
            for (String x : texts) {
                if (l.text().contains(x)) {
                    event(l.nanos(), node + ": " + DATE.matcher(l.text()).replaceFirst(""));
                    break;
                }
            }
        }
    }

    private void resumed(long killed, SequencedStream.Window w, String direction) {
        long at = killed + w.gapStartNanos() + w.gapNanos();
        event(at, String.format(Locale.ROOT, "traffic %s flows again: first datagram after a gap of %.0f ms",
                direction, w.gapMs()));
    }

    private void event(long nanos, String text) {
        // equal times keep their order of arrival
        long key = nanos;
        while (timeline.containsKey(key)) {
            key++;
        }
        timeline.put(key, text);
    }

    private void flushTimeline() {
        timeline.forEach((nanos, text) -> out.printf(Locale.ROOT, "%8.3f  %s%n", (nanos - startNanos) / 1e9, text));
        timeline.clear();
    }

    private void row(String what, String before, String after) {
        out.printf(Locale.ROOT, "%-40s %-36s %s%n", what, before, after);
    }

    private void table(String what, String value) {
        out.printf(Locale.ROOT, "%-40s %s%n", what, value);
    }

    private static String ikeSa(SwanctlSas.IkeSa ike) {
        return ike.spiI() + ":" + ike.spiR();
    }

    private static String gap(SequencedStream.Window w) {
        return String.format(Locale.ROOT, "%.0f ms (%d of %d datagrams lost)", w.gapMs(), w.lost(), w.sent());
    }
}
