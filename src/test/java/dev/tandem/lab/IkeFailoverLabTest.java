package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.tandem.lab.IkeClusterLab.awaitInterfaces;

import dev.tandem.lab.IkeClusterLab.Traffic;
import dev.tandem.testing.Needs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of IKE failover (issue 7): gwa and gwb run tandemd
 * with CARP and sync and the same ike rule towards the peer gp, where an
 * unmodified strongSwan 5.9.8 (kernel-libipsec) initiates IKEv1 main mode
 * to the WAN VIP with DPD every 10 s and dpd_action restart. While a
 * 1,000 packets/s sequence-numbered UDP stream flows each way between ha
 * and hp and ha pings hp, the cluster goes through kill -9 of the master,
 * fail-back once the restarted node is synced, a graceful handover by
 * demotion and the return by preemption, a reboot of the backup, SIGTERM of
 * the master (which hands over before it stops) and its return, and three
 * failovers back to back. For each takeover: strongSwan's ISAKMP SA and
 * CHILD_SA SPIs stay the same, its log shows no ESP replay (or ICV, or
 * unknown SPI) failure and no negotiation at all, traffic resumes within
 * 3 x (advbase + advskew/256) + 200 ms of the node taking over, and the
 * cluster sends with strongSwan's current CHILD_SA, not one a rekey replaced.
 * After the first takeover and after the last, with the traffic paused so
 * that DPD has idle time to probe, DPD succeeds with the new master
 * (strongSwan's R_U_THERE acknowledged or the master's own answered, no
 * timeout), and strongSwan's
 * quick mode rekey and its phase 1 rekey succeed against it; for IKEv1 the
 * latter is strongSwan's deliberate re-authentication ({@code swanctl
 * --rekey --reauth}: a new main mode the CHILD_SA moves to unchanged), with
 * the old ISAKMP SA then deleted by {@code swanctl --terminate}, which is
 * what strongSwan does by itself only at its hard lifetime.
 *
 * <p>The rule is {@code ike passive esp}: strongSwan is the only initiator,
 * so every main mode in its log is one it chose; an active rule would have
 * the first master race strongSwan with a main mode of its own at start-up.
 * Backups are passive through sasyncd.conf's default {@code control isakmpd}.
 * The admin guide's set-up, where the cluster's rule is active and
 * strongSwan only answers, is the second test: the cluster negotiates, and
 * after the takeover the new master renews both phases itself. The third
 * runs three nodes, two of which die in turn.
 */
@Tag("netns")
class IkeFailoverLabTest {

    private static final int RATE = IkeClusterLab.RATE;
    private static final Duration LONG = IkeClusterLab.LONG;
    /** Traffic sent before a window closes has this long to arrive before the window is read. */
    private static final long TAIL_NANOS = 500_000_000L;
    /** The ping's gap can exceed the outage by up to one interval and a round trip. */
    private static final int PING_INTERVAL_MS = IkeClusterLab.PING_INTERVAL_MS;
    private static final Duration DPD_DELAY = IkeClusterLab.DPD_DELAY;
    /** What never appears during the whole test. */
    private static final List<String> PEER_NEVER = List.of("DPD check timed out", "restarting CHILD_SA",
            "establishing IKE_SA failed", "giving up");
    private static final Pattern ICMP_SEQ = Pattern.compile("icmp_seq=(\\d+) ");

    private final List<String> report = new ArrayList<>();
    private IkeClusterLab cluster;
    private StrongSwan swan;

    @BeforeAll
    static void needs() {
        Needs.need(Lab.root(), "the IKE failover lab needs root: network namespaces, TUN devices, strongSwan");
        Needs.need(Files.isExecutable(Path.of(StrongSwan.CHARON)),
                "strongSwan is not installed (apt-get install strongswan-charon strongswan-swanctl "
                        + "libcharon-extra-plugins libstrongswan-standard-plugins)");
    }

    /** The state of things before an event: the peer's SAs as it lists them and where the logs stood. */
    private record Before(long nanos, SwanctlSas.IkeSa ike, SwanctlSas.ChildSa child, int peerLog, int pingLog) { }

    @Test
    void ikeFailoverAgainstStrongSwan() throws Exception {
        try (Lab l = Lab.cluster()) {
            cluster = new IkeClusterLab(l);
            List<Lab.Daemon> ab = cluster.startCluster();
            Lab.Daemon a = ab.get(0);
            Lab.Daemon b = ab.get(1);
            SwanctlSas.IkeSa ike = cluster.startPeer(b);
            swan = cluster.swan();
            assertThat(ike.initiator()).isTrue();
            assertThat(NodeStatus.of(a).ikePassive()).as("the master's IKE").isFalse();
            assertThat(NodeStatus.of(b).ikePassive()).as("the backup's IKE").isTrue();

            Traffic t = cluster.traffic();
            try {
                t.awaitDelivered(System.nanoTime());
                awaitCountersReplicated(a, b);

                // 1. the master dies: gwb takes over when gwa's advertisements stop
                killMaster("kill -9 of master gwa", a, b, Lab.GWB, t);

                // after the takeover: DPD, a quick mode rekey and a phase 1 rekey with the new master
                t = dpdWithTrafficPaused(b, t);
                rekeys(b, t, Lab.GWB);
                awaitCountersReplicated(b, null);

                // 2. gwa returns: BACKUP and demoted until gwb's snapshot is in, then it preempts (fail-back)
                Before before = before(t);
                int mb = b.log().mark();
                Lab.Daemon a2 = cluster.tandemd(Lab.GWA, Lab.GWA + " (restarted)");
                LogLines.Line synced = a2.log().await(0, "sync: snapshot from " + ClusterConf.syncAddress(Lab.GWB)
                        + " applied", LONG);
                awaitInterfaces(a2, 0, "MASTER");
                awaitInterfaces(b, mb, "BACKUP");
                ClusterChecks.assertNotMasterBefore(a2, synced);
                measure("fail-back: gwa restarted, synced, preempts", Lab.GWA, before, t,
                        Map.of(Lab.GWA, a2, Lab.GWB, b));
                cluster.awaitPhase1(b, established());
                awaitCountersReplicated(a2, b);

                // 3. graceful failover: the master demotes itself and gwb takes over after its skew; then back
                handover("graceful: carp demote +1 on gwa", a2, b, "+1", t);
                handover("graceful: carp demote -1 on gwa, it preempts", a2, b, "-1", t);

                // 4. the backup reboots: the master carries on untouched, the backup comes back synced
                before = before(t);
                int ma = a2.log().mark();
                b.process().destroyForcibly();
                Lab.Daemon b2 = cluster.tandemd(Lab.GWB, Lab.GWB + " (restarted)");
                b2.log().await(0, "sync: snapshot from " + ClusterConf.syncAddress(Lab.GWA) + " applied", LONG);
                awaitInterfaces(b2, 0, "BACKUP");
                measure("reboot of backup gwb (kill -9, restart, resync)", Lab.GWA, before, t, Map.of(Lab.GWA, a2,
                        Lab.GWB, b2));
                assertThat(a2.log().lines().subList(ma, a2.log().mark())).as("gwa's log while gwb rebooted")
                        .noneMatch(x -> x.text().contains("-> BACKUP") || x.text().contains("-> INIT"));
                SwanctlSas.IkeSa now = established();
                cluster.awaitPhase1(b2, now);
                assertThat(cluster.phase1Cookies(b2)).as("the rebooted backup's phase 1 SAs are the master's")
                        .isEqualTo(cluster.phase1Cookies(a2));
                assertThat(NodeStatus.of(b2).ikePassive()).as("the rebooted backup's IKE").isTrue();
                awaitCountersReplicated(a2, b2);

                // 5. SIGTERM of the master: it hands over to gwb before it goes; then it comes back (fail-back)
                before = before(t);
                int mb2 = b2.log().mark();
                a2.process().destroy();
                awaitInterfaces(b2, mb2, "MASTER");
                measure("graceful: SIGTERM of master gwa, which hands over first", Lab.GWB, before, t,
                        Map.of(Lab.GWB, b2));
                assertThat(a2.process().waitFor(LONG.toSeconds(), TimeUnit.SECONDS)).as("gwa stops").isTrue();
                // gwb took over from a demoted master that still forwarded, not from one that bowed out (the
                // stopped node's own last lines may be lost: the JDK closes a dead process's pipe under its reader)
                assertThat(b2.log().lines().subList(mb2, b2.log().mark())).as("gwb's takeover")
                        .anyMatch(x -> x.text().contains("carp0 (vhid 1): BACKUP -> MASTER: master ")
                                && x.text().contains(" is demoted 1, we 0"))
                        .noneMatch(x -> x.text().contains("is leaving"));
                before = before(t);
                mb2 = b2.log().mark();
                Lab.Daemon a3 = cluster.tandemd(Lab.GWA, Lab.GWA + " (started again)");
                a3.log().await(0, "sync: snapshot from " + ClusterConf.syncAddress(Lab.GWB) + " applied", LONG);
                awaitInterfaces(a3, 0, "MASTER");
                awaitInterfaces(b2, mb2, "BACKUP");
                measure("fail-back after the stop", Lab.GWA, before, t, Map.of(Lab.GWA, a3, Lab.GWB, b2));
                cluster.awaitPhase1(b2, established());
                awaitCountersReplicated(a3, b2);

                // 6. three failovers back to back: gwa demotes (gwb), gwa lifts it (gwa), gwa dies (gwb)
                long series = System.nanoTime();
                handover("back to back 1/3: carp demote +1 on gwa", a3, b2, "+1", t);
                handover("back to back 2/3: carp demote -1 on gwa, it preempts", a3, b2, "-1", t);
                killMaster("back to back 3/3: kill -9 of master gwa", a3, b2, Lab.GWB, t);
                double seconds = (System.nanoTime() - series) / 1e9;
                report.add("three failovers in %.1f s".formatted(seconds));
                assertThat(seconds).as("three failovers back to back").isLessThan(10);

                // and after them, DPD and both rekeys with the last master again
                t = dpdWithTrafficPaused(b2, t);
                rekeys(b2, t, Lab.GWB);
                System.out.println(t.up().problems() + "; " + t.down().problems());
            } finally {
                t.close();
            }
            // every negotiation was one of strongSwan's choosing: the first, and two of each rekey
            assertPeerNegotiated(3, 3);
        } catch (AssertionError | Exception e) {
            // what the daemons said is what explains a failure
            if (cluster != null) {
                cluster.printLogs(System.out);
            }
            throw e;
        }
        System.out.println("IKE failover against strongSwan, IKEv1 with DPD, " + RATE
                + " packets/s each way and a ping every " + PING_INTERVAL_MS + " ms:");
        report.forEach(x -> System.out.println("  " + x));
    }

    /**
     * The admin guide's configuration: the cluster's rule is active (the
     * one-line OpenBSD rule, here with lifetimes of 60 s and 45 s) and
     * strongSwan initiates nothing. The master negotiates; after kill -9 of
     * it the new master carries the tunnel as in the first test, answers
     * DPD, and renews both phases when their lifetimes say so: a quick mode
     * and a main mode it starts from the VIP, which strongSwan accepts as
     * renewals of what it has (its CHILD_SA and ISAKMP SA replaced, no DPD
     * timeout, no ESP failure, nothing of its own negotiated).
     */
    @Test
    void theClusterNegotiatesAndTheNewMasterRenewsAfterATakeover() throws Exception {
        try (Lab l = Lab.cluster()) {
            cluster = new IkeClusterLab(l, true);
            List<Lab.Daemon> ab = cluster.startCluster();
            Lab.Daemon a = ab.get(0);
            Lab.Daemon b = ab.get(1);
            SwanctlSas.IkeSa ike = cluster.startRespondingPeer(b);
            swan = cluster.swan();
            assertThat(ike.initiator()).as("strongSwan initiated the ISAKMP SA").isFalse();

            Traffic t = cluster.traffic();
            try {
                t.awaitDelivered(System.nanoTime());
                awaitCountersReplicated(a, b);
                int peerLog = swan.log().mark();
                killMaster("active rule: kill -9 of master gwa", a, b, Lab.GWB, t);

                t = dpdWithTrafficPaused(b, t);
                renewedByTheCluster(b, t, peerLog);
            } finally {
                t.close();
            }
            assertThat(swan.logged(0, List.of("initiating Main Mode", "generating QUICK_MODE request")))
                    .as("exchanges strongSwan started").isEmpty();
            assertPeerNegotiated(2, 2);
        } catch (AssertionError | Exception e) {
            if (cluster != null) {
                cluster.printLogs(System.out);
            }
            throw e;
        }
        System.out.println("IKE failover against strongSwan, the cluster negotiating (active rule):");
        report.forEach(x -> System.out.println("  " + x));
    }

    // ---- the pieces

    /** kill -9 of gwa ({@code master}): gwb takes over when its advertisements stop; measured as a takeover. */
    /**
     * Three nodes with advskew 20, 40 and 60: gwa dies and gwb takes over,
     * gwc following it; then gwb dies and gwc takes over. Both takeovers are
     * checked as in the first test (strongSwan's SAs unchanged, no ESP
     * failure or negotiation, the gap within gwb's and then gwc's bound), and
     * DPD and both rekeys then work with gwc.
     */
    @Test
    void aThreeNodeClusterOutlivesTwoMasters() throws Exception {
        try (Lab l = Lab.cluster(3)) {
            cluster = new IkeClusterLab(l, false, 3);
            List<Lab.Daemon> abc = cluster.startCluster();
            Lab.Daemon a = abc.get(0);
            Lab.Daemon b = abc.get(1);
            Lab.Daemon c = abc.get(2);
            SwanctlSas.IkeSa ike = cluster.startPeer(b);
            swan = cluster.swan();
            cluster.awaitPhase1(c, ike);
            Traffic t = cluster.traffic();
            try {
                t.awaitDelivered(System.nanoTime());
                awaitCountersReplicated(a, b);
                awaitCountersReplicated(a, c);
                killMaster("three nodes: kill -9 of master gwa", a, b, Lab.GWB, t);
                // gwc stays backup, now of gwb, and gets gwb's snapshot and counters
                awaitCountersReplicated(b, c);
                killMaster("three nodes: kill -9 of master gwb", b, c, Lab.GWC, t);

                t = dpdWithTrafficPaused(c, t);
                rekeys(c, t, Lab.GWC);
            } finally {
                t.close();
            }
            // the first negotiation and one of each rekey, all strongSwan's
            assertPeerNegotiated(2, 2);
        } catch (AssertionError | Exception e) {
            if (cluster != null) {
                cluster.printLogs(System.out);
            }
            throw e;
        }
        System.out.println("IKE failover against strongSwan, three nodes:");
        report.forEach(x -> System.out.println("  " + x));
    }

    /** kill -9 of {@code master}; {@code backup}, the node named {@code takingOver}, must carry on. */
    private void killMaster(String event, Lab.Daemon master, Lab.Daemon backup, String takingOver, Traffic t)
            throws Exception {
        Before before = before(t);
        int mark = backup.log().mark();
        master.process().destroyForcibly();
        awaitInterfaces(backup, mark, "MASTER");
        backup.log().await(mark, "sync: BACKUP -> MASTER", LONG);
        measure(event, takingOver, before, t, Map.of(takingOver, backup));
    }

    /**
     * The new master's own renewals, timed by the lifetimes it took over:
     * first the quick mode (strongSwan's CHILD_SA replaced, the old one
     * deleted), then the main mode (strongSwan moves the CHILD_SA to the new
     * ISAKMP SA and drops the old one); the cluster holds both, traffic flows.
     */
    private void renewedByTheCluster(Lab.Daemon master, Traffic t, int mark) throws Exception {
        SwanctlSas.IkeSa ike = established();
        SwanctlSas.ChildSa child = ike.child(StrongSwanConfig.CHILD).orElseThrow();
        Duration wait = Duration.ofSeconds(ClusterConf.ACTIVE_MAIN_LIFETIME);
        long t0 = System.nanoTime();
        swan.log().await(mark, l -> l.contains("CHILD_SA " + StrongSwanConfig.CHILD + "{")
                && l.contains("established with SPIs") && !l.contains(child.spiIn() + "_i"),
                "the CHILD_SA the new master renews", wait);
        SwanctlSas.ChildSa renewed = awaitChild(c -> !c.spiIn().equals(child.spiIn()));
        cluster.awaitTandemSpis(master, renewed);
        t.awaitDelivered(System.nanoTime());
        String line = "quick mode by the new master: SPIs %s/%s -> %s/%s, %s; %s".formatted(child.spiIn(),
                child.spiOut(), renewed.spiIn(), renewed.spiOut(), t.up().window(t0, System.nanoTime()),
                t.down().window(t0, System.nanoTime()));
        System.out.println(line);
        report.add(line);

        t0 = System.nanoTime();
        swan.log().await(mark, "IKE_SA " + StrongSwanConfig.CONN + "[" + (ike.id() + 1) + "] established", wait);
        SwanctlSas.IkeSa next = awaitIke(i -> i.id() > ike.id());
        assertThat(next.initiator()).as("strongSwan initiated the new ISAKMP SA").isFalse();
        cluster.awaitPhase1(master, next);
        t.awaitDelivered(System.nanoTime());
        line = "main mode by the new master: cookies %s:%s -> %s:%s, %s; %s".formatted(ike.spiI(), ike.spiR(),
                next.spiI(), next.spiR(), t.up().window(t0, System.nanoTime()), t.down().window(t0, System.nanoTime()));
        System.out.println(line);
        report.add(line);
    }

    private Before before(Traffic t) throws Exception {
        SwanctlSas.IkeSa ike = established();
        return new Before(System.nanoTime(), ike, ike.child(StrongSwanConfig.CHILD).orElseThrow(), swan.log().mark(),
                t.ping().out().mark());
    }

    private SwanctlSas.IkeSa established() throws Exception {
        return swan.established();
    }

    /**
     * Reads what a takeover did: traffic must flow both ways again, the gap
     * on both streams stay within the bound of the node that took over, the
     * peer's SAs be the same ones and its log show neither an ESP failure nor
     * any negotiation since the event.
     */
    private void measure(String event, String takingOver, Before before, Traffic t, Map<String, Lab.Daemon> nodes)
            throws Exception {
        t.awaitDelivered(System.nanoTime());
        t.ping().out().await(before.pingLog(), l -> ICMP_SEQ.matcher(l).find(), "a ping reply", LONG);
        long end = System.nanoTime();
        t.awaitDelivered(end + TAIL_NANOS);
        SequencedStream.Window up = t.up().window(before.nanos(), end);
        SequencedStream.Window down = t.down().window(before.nanos(), end);
        PingWindow ping = PingWindow.of(t.ping().out().lines(), before.pingLog());
        double bound = ClusterConf.boundMs(takingOver);
        Map<String, String> drops = new TreeMap<>();
        for (var e : nodes.entrySet()) {
            drops.put(e.getKey(), NodeStatus.of(e.getValue()).nonZeroDrops());
        }
        String line = "%s (bound %.0f ms): %s; %s; %s; cluster drops %s".formatted(event, bound, up, down, ping,
                drops);
        System.out.println(line);
        report.add(line);
        for (SequencedStream.Window w : List.of(up, down)) {
            assertThat(w.gapMs()).as(line).isLessThanOrEqualTo(bound);
            assertThat(w.duplicates()).as(line).isZero();
            assertThat(w.sent()).as(line).isPositive();
        }
        assertThat(ping.gapMs()).as(line).isLessThanOrEqualTo(bound + 2 * PING_INTERVAL_MS);
        assertThat(ping.replies()).as(line).isPositive();
        assertPeerQuiet(event, before.peerLog());
        SwanctlSas.IkeSa ike = established();
        SwanctlSas.ChildSa child = ike.child(StrongSwanConfig.CHILD).orElseThrow();
        assertThat(List.of(ike.id(), ike.spiI(), ike.spiR())).as("strongSwan's ISAKMP SA after " + event)
                .isEqualTo(List.of(before.ike().id(), before.ike().spiI(), before.ike().spiR()));
        assertThat(List.of(child.spiIn(), child.spiOut())).as("strongSwan's CHILD_SA after " + event)
                .isEqualTo(List.of(before.child().spiIn(), before.child().spiOut()));
        assertSendsOnCurrentSa(event, t);
    }

    /**
     * The cluster sends with strongSwan's current CHILD_SA, not one a rekey
     * replaced (strongSwan keeps accepting on a replaced one until it
     * expires, so no failure would show yet): its inbound packet count grows
     * with the traffic, about 1,050 packets/s of the stream and the ping.
     */
    private void assertSendsOnCurrentSa(String event, Traffic t) throws Exception {
        long first = established().child(StrongSwanConfig.CHILD).orElseThrow().packetsIn();
        t.awaitDelivered(System.nanoTime() + 300_000_000L);
        long second = established().child(StrongSwanConfig.CHILD).orElseThrow().packetsIn();
        assertThat(second - first).as("packets strongSwan received on its current CHILD_SA in 300 ms after "
                + event).isGreaterThan(150);
    }

    /** strongSwan's log over the whole test: no DPD timeout, no restart, no ESP failure. */
    /**
     * Over the whole test strongSwan never failed (no DPD timeout, restart or
     * ESP failure) and established this many main modes and quick modes.
     */
    private void assertPeerNegotiated(int mainModes, int quickModes) {
        assertThat(swan.logged(0, PEER_NEVER)).as("strongSwan's log over the whole test").isEmpty();
        assertThat(swan.logged(0, StrongSwan.ESP_FAILURES)).as("strongSwan's log over the whole test").isEmpty();
        assertThat(swan.logged(0, List.of("] established between"))).as("main modes").hasSize(mainModes);
        assertThat(swan.logged(0, List.of("established with SPIs"))).as("quick modes").hasSize(quickModes);
    }

    /**
     * Stops the traffic so that DPD has idle time to probe, checks that DPD
     * succeeds with {@code master}, and returns new traffic, flowing.
     */
    private Traffic dpdWithTrafficPaused(Lab.Daemon master, Traffic t) throws Exception {
        t.close();
        dpdSucceeds(master);
        Traffic again = cluster.traffic();
        again.awaitDelivered(System.nanoTime());
        return again;
    }

    /** strongSwan logged no ESP failure and no negotiation since {@code mark}. */
    private void assertPeerQuiet(String event, int mark) {
        assertThat(swan.logged(mark, StrongSwan.ESP_FAILURES)).as("strongSwan's log since " + event).isEmpty();
        assertThat(swan.logged(mark, StrongSwan.NEGOTIATIONS)).as("strongSwan's log since " + event).isEmpty();
    }

    /** ha's ping replies in a window: the longest silence between two of them and the requests unanswered. */
    private record PingWindow(int replies, int missing, double gapMs) {

        /** From the last reply before {@code mark}, so a silence that began at the event counts whole. */
        static PingWindow of(List<LogLines.Line> lines, int mark) {
            int from = Math.max(0, mark - 1);
            while (from > 0 && !isReply(lines.get(from).text())) {
                from--;
            }
            Set<Integer> seqs = new TreeSet<>();
            long previous = 0;
            long gap = 0;
            for (LogLines.Line l : lines.subList(from, lines.size())) {
                Matcher m = ICMP_SEQ.matcher(l.text());
                if (isReply(l.text()) && m.find()) {
                    seqs.add(Integer.parseInt(m.group(1)));
                    if (previous != 0) {
                        gap = Math.max(gap, l.nanos() - previous);
                    }
                    previous = l.nanos();
                }
            }
            if (seqs.isEmpty()) {
                return new PingWindow(0, 0, Double.MAX_VALUE);
            }
            int first = ((TreeSet<Integer>) seqs).first();
            int last = ((TreeSet<Integer>) seqs).last();
            return new PingWindow(seqs.size(), last - first + 1 - seqs.size(), gap / 1e6);
        }

        private static boolean isReply(String line) {
            return line.contains("bytes from") && line.contains("icmp_seq=");
        }

        @Override
        public String toString() {
            return "ping: gap %.1f ms, %d of %d unanswered".formatted(gapMs, missing, replies + missing);
        }
    }

    /**
     * With the traffic stopped (inbound ESP counts as life on both ends, so
     * neither probes a busy tunnel), DPD runs between strongSwan and the new
     * master: strongSwan's R_U_THERE (after 10 s of silence) answered with
     * an R_U_THERE_ACK, or the master's own R_U_THERE answered by strongSwan
     * (its dpd-answered counter, which counts only answers to its own
     * probes). Both ends idle-probe every 10 s and hearing the other's probe
     * resets the silence, so which end probes is a race; at least one full
     * exchange must succeed, every strongSwan request be acknowledged, and
     * nothing time out.
     */
    private void dpdSucceeds(Lab.Daemon master) throws Exception {
        Before before = new Before(System.nanoTime(), established(), null, swan.log().mark(), 0);
        NodeStatus start = NodeStatus.of(master);
        long deadline = System.nanoTime() + DPD_DELAY.multipliedBy(3).toNanos();
        while (true) {
            long requests = swan.logged(before.peerLog(), List.of("sending DPD request")).size();
            long acks = swan.logged(before.peerLog(), List.of("N(DPD_ACK)")).stream()
                    .filter(x -> x.contains("parsed INFORMATIONAL_V1 request")).count();
            NodeStatus now = NodeStatus.of(master);
            long answered = now.ike("dpd-answered") - start.ike("dpd-answered");
            if (requests > 0 && acks >= requests || answered > 0) {
                String line = ("DPD with the new master after %.1f s idle: strongSwan's R_U_THERE %d sent, %d "
                        + "acknowledged; the master's own answered %d; master's IKE messages in %d, out %d")
                        .formatted((System.nanoTime() - before.nanos()) / 1e9, requests, acks, answered,
                                now.ike("received") - start.ike("received"), now.ike("sent") - start.ike("sent"));
                System.out.println(line);
                report.add(line);
                break;
            }
            assertThat(System.nanoTime()).as("a DPD exchange between strongSwan and the new master").isLessThan(
                    deadline);
            Thread.sleep(250);
        }
        assertPeerQuiet("DPD idle time", before.peerLog());
        SwanctlSas.IkeSa ike = established();
        assertThat(ike.spiI() + ike.spiR()).isEqualTo(before.ike().spiI() + before.ike().spiR());
    }

    /**
     * strongSwan's quick mode rekey and phase 1 rekey (re-authentication)
     * against the new master, under traffic: each completes, the cluster
     * holds the new SAs, the backup gets them, traffic keeps flowing.
     */
    private void rekeys(Lab.Daemon master, Traffic t, String node) throws Exception {
        SwanctlSas.IkeSa ike = established();
        SwanctlSas.ChildSa child = ike.child(StrongSwanConfig.CHILD).orElseThrow();
        int mark = swan.log().mark();
        long t0 = System.nanoTime();
        swan.rekeyChild(StrongSwanConfig.CHILD);
        swan.log().await(mark, l -> l.contains("CHILD_SA " + StrongSwanConfig.CHILD + "{")
                && l.contains("established with SPIs") && !l.contains(child.spiIn() + "_i"),
                "the rekeyed CHILD_SA", LONG);
        SwanctlSas.ChildSa rekeyed = awaitChild(c -> !c.spiIn().equals(child.spiIn()));
        cluster.awaitTandemSpis(master, rekeyed);
        t.awaitDelivered(System.nanoTime());
        String line = "quick mode rekey by strongSwan with %s: SPIs %s/%s -> %s/%s, %s; %s".formatted(node,
                child.spiIn(), child.spiOut(), rekeyed.spiIn(), rekeyed.spiOut(),
                t.up().window(t0, System.nanoTime()), t.down().window(t0, System.nanoTime()));
        System.out.println(line);
        report.add(line);

        mark = swan.log().mark();
        t0 = System.nanoTime();
        swan.reauthenticate(StrongSwanConfig.CONN);
        swan.log().await(mark, "reauthenticating IKE_SA " + StrongSwanConfig.CONN + "[" + ike.id() + "]", LONG);
        swan.log().await(mark, "IKE_SA " + StrongSwanConfig.CONN + "[" + (ike.id() + 1) + "] established", LONG);
        // what strongSwan does at the old ISAKMP SA's hard lifetime after a timed re-authentication
        swan.terminateIke(ike.id(), Duration.ofSeconds(10));
        swan.log().await(mark, "sending DELETE for IKE_SA " + StrongSwanConfig.CONN + "[" + ike.id() + "]", LONG);
        SwanctlSas.IkeSa reauth = awaitIke(i -> i.id() > ike.id());
        SwanctlSas.ChildSa moved = reauth.child(StrongSwanConfig.CHILD).orElseThrow();
        assertThat(List.of(moved.spiIn(), moved.spiOut())).as("the CHILD_SA moved to the new ISAKMP SA")
                .isEqualTo(List.of(rekeyed.spiIn(), rekeyed.spiOut()));
        cluster.awaitPhase1(master, reauth);
        t.awaitDelivered(System.nanoTime());
        line = "phase 1 rekey (re-authentication) by strongSwan with %s: cookies %s:%s -> %s:%s, %s; %s".formatted(
                node, ike.spiI(), ike.spiR(), reauth.spiI(), reauth.spiR(), t.up().window(t0, System.nanoTime()),
                t.down().window(t0, System.nanoTime()));
        System.out.println(line);
        report.add(line);
        assertThat(swan.logged(0, StrongSwan.ESP_FAILURES)).as("strongSwan's ESP failures").isEmpty();
    }

    private SwanctlSas.ChildSa awaitChild(java.util.function.Predicate<SwanctlSas.ChildSa> done) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            List<SwanctlSas.IkeSa> sas = swan.sas();
            for (SwanctlSas.IkeSa i : sas) {
                // one installed pair once the old one is deleted
                List<SwanctlSas.ChildSa> installed = i.children().stream()
                        .filter(c -> c.state().equals("INSTALLED")).toList();
                if (i.state().equals("ESTABLISHED") && installed.size() == 1 && done.test(installed.get(0))) {
                    return installed.get(0);
                }
            }
            assertThat(System.nanoTime()).as("strongSwan's rekeyed CHILD_SA alone: %s", sas).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private SwanctlSas.IkeSa awaitIke(java.util.function.Predicate<SwanctlSas.IkeSa> done) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            List<SwanctlSas.IkeSa> sas = swan.sas();
            if (sas.size() == 1 && sas.get(0).state().equals("ESTABLISHED") && done.test(sas.get(0))
                    && sas.get(0).child(StrongSwanConfig.CHILD).isPresent()) {
                return sas.get(0);
            }
            assertThat(System.nanoTime()).as("strongSwan's new ISAKMP SA alone: %s", sas).isLessThan(deadline);
            Thread.sleep(200);
        }
    }


    /**
     * gwa ({@code a}) changes its demotion by {@code delta}: +1 hands mastership
     * to gwb ({@code b}), -1 takes it back by preemption; measured like any
     * takeover, then the counters must reach the new backup.
     */
    private void handover(String event, Lab.Daemon a, Lab.Daemon b, String delta, Traffic t) throws Exception {
        boolean toB = delta.startsWith("+");
        Lab.Daemon master = toB ? b : a;
        Lab.Daemon backup = toB ? a : b;
        Before before = before(t);
        int mm = master.log().mark();
        int mb = backup.log().mark();
        demote(a, delta);
        awaitInterfaces(master, mm, "MASTER");
        awaitInterfaces(backup, mb, "BACKUP");
        measure(event, toB ? Lab.GWB : Lab.GWA, before, t, Map.of(Lab.GWA, a, Lab.GWB, b));
        awaitCountersReplicated(master, backup);
    }

    private void demote(Lab.Daemon d, String delta) throws Exception {
        Lab.Result r = cluster.lab().tandem("carp", "demote", delta, "--control", d.control().toString());
        assertThat(r.status()).as(r.out()).isZero();
    }

    private void awaitCountersReplicated(Lab.Daemon master, Lab.Daemon backup) throws Exception {
        cluster.awaitCountersReplicated(master, backup);
    }
}
