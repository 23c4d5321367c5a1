package dev.tandem.cli;

import dev.tandem.ike.IkeStatus;
import dev.tandem.ike.Phase2Status;
import dev.tandem.sadb.DropReason;
import dev.tandem.sadb.SecurityAssociation;
import dev.tandem.sim.failover.ClusterNode;
import dev.tandem.sim.failover.FailoverWorld;
import dev.tandem.sim.failover.SequencedFlow;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code tandem demo}: a two-node cluster and a peer gateway in one JVM on
 * the simulated network; the master dies while hosts behind both ends
 * exchange sequence-numbered datagrams, and the timeline shows what the
 * peer saw: the same IKE SA and CHILD SAs, a gap of a few hundred
 * milliseconds, no renegotiation. Everything runs on virtual time, so the
 * same seed prints the same run.
 */
final class FailoverDemo {

    /** Short enough that a quick mode rekey happens after the takeover, within the demo. */
    private static final int QUICK_LIFETIME = 60;
    private static final int RATE = 1000;
    private static final int[] ADVSKEW = {20, 40};

    private final PrintStream out;
    private final long seed;
    private final FailoverWorld w;
    private final List<String> timeline = new ArrayList<>();
    private Set<String> peerPhase1s = Set.of();
    private Set<String> peerChildren = Set.of();

    FailoverDemo(PrintStream out, long seed) {
        this.out = out;
        this.seed = seed;
        this.w = new FailoverWorld(seed, new FailoverWorld.Options(0, 0, RATE, QUICK_LIFETIME, ADVSKEW, false),
                timeline::add);
    }

    /** Runs the demo; true if the peer never noticed the failover. */
    boolean run() {
        FailoverWorld.Options o = w.options();
        out.println("Tandem failover demo (seed " + seed + "): a cluster loses its master; does the peer notice?");
        out.println("Everything below runs in this JVM on a simulated network and virtual time: two Tandem");
        out.println("nodes with IKE, ESP, CARP and replication, a peer gateway (a Tandem IKEv1 initiator) and a");
        out.println("host behind each, sending " + RATE + " sequence-numbered datagrams per second to the other.");
        out.println();
        out.println("--- the configuration (both nodes load the same ipsec.conf) ---");
        List<ClusterNode> nodes = w.nodes();
        out.print("n0, n1  ipsec.conf:   " + FailoverWorld.clusterIpsecConf(o));
        for (int i = 0; i < nodes.size(); i++) {
            ClusterNode n = nodes.get(i);
            out.print(n.name() + " (" + n.address() + ") carp.conf: " + FailoverWorld.carpConf(ADVSKEW[i], i == 0));
            out.println(n.name() + "  sasyncd.conf: " + FailoverWorld.sasyncdConf(nodes.stream().filter(other -> other != n)
                    .map(ClusterNode::address).toList())
                    .strip().replace("\n", "; ").replaceAll("sharedkey \\S+", "sharedkey ********"));
        }
        out.print("peer (" + FailoverWorld.PEER + ") ipsec.conf: " + FailoverWorld.peerIpsecConf(o));
        out.println();
        out.println("--- timeline (virtual seconds) ---");
        w.every(Duration.ofMillis(10), this::watchPeer);
        if (!w.boot()) {
            flushTimeline();
            out.println("the cluster or the tunnel did not come up (see the timeline)");
            return false;
        }
        w.sim().run(Duration.ofSeconds(3));
        ClusterNode master = w.masters().getFirst();
        ClusterNode backup = nodes.stream().filter(n -> n != master).findFirst().orElseThrow();
        IkeStatus peerBefore = w.peer().ikeStatus();
        Set<String> backupKnows = cookies(backup.ikeStatus());
        long phase1sBefore = w.peer().counter("phase1-established");
        long dropsBefore = peerDrops();

        long killedAt = w.sim().now();
        w.event("** " + master.name() + ", the master, loses power");
        master.kill();
        boolean back = w.sim().runUntil(() -> w.up().deliveredSince(killedAt) && w.down().deliveredSince(killedAt),
                Duration.ofSeconds(30));
        w.sim().run(Duration.ofSeconds(1));
        long windowEnd = w.sim().now();
        SequencedFlow.Window up = w.up().window(killedAt - Duration.ofSeconds(1).toNanos(), windowEnd);
        SequencedFlow.Window down = w.down().window(killedAt - Duration.ofSeconds(1).toNanos(), windowEnd);
        IkeStatus peerAfter = w.peer().ikeStatus();
        long dropsAfter = peerDrops();
        w.eventAt(up.gapStartNanos() + up.gapNanos(), "traffic cluster->peer flows again, after a gap of "
                + ms(up.gapMs()));
        w.eventAt(down.gapStartNanos() + down.gapNanos(), "traffic peer->cluster flows again, after a gap of "
                + ms(down.gapMs()));
        // on to the next quick mode rekey, which must run over the same phase 1 with the new master
        w.sim().run(Duration.ofSeconds(70));
        flushTimeline();
        long renegotiations = w.peer().counter("phase1-established") - phase1sBefore;

        double bound = 3 * ADVSKEW[1] / 256.0 * 1000 + 200;
        out.println();
        out.println("--- what the peer saw ---");
        out.printf(Locale.ROOT, "%-34s %-38s %s%n", "", "before (master " + master.name() + ")",
                "after (master " + w.masters().stream().map(ClusterNode::name).collect(Collectors.joining(",")) + ")");
        out.printf(Locale.ROOT, "%-34s %-38s %s%n", "IKE SA (cookies)", String.join(" ", cookies(peerBefore)),
                String.join(" ", cookies(peerAfter)));
        out.printf(Locale.ROOT, "%-34s %-38s %s%n", "CHILD SAs (SPIs in/out)", String.join(" ", children(peerBefore)),
                String.join(" ", children(peerAfter)));
        out.printf(Locale.ROOT, "%-34s %s%n", "the backup knew the IKE SA", backupKnows.containsAll(cookies(peerBefore))
                ? "yes: " + backup.name() + " held the same cookies before the failover" : "NO");
        out.printf(Locale.ROOT, "%-34s %d%n", "renegotiations (new phase 1)", renegotiations);
        out.printf(Locale.ROOT, "%-34s %d%n", "replay / bad ICV / no-SA drops", dropsAfter - dropsBefore);
        out.printf(Locale.ROOT, "%-34s %s (%d of %d datagrams lost)%n", "gap cluster->peer", ms(up.gapMs()),
                up.lost(), up.sent());
        out.printf(Locale.ROOT, "%-34s %s (%d of %d datagrams lost)%n", "gap peer->cluster", ms(down.gapMs()),
                down.lost(), down.sent());
        out.printf(Locale.ROOT, "%-34s 3 x (advbase 0 + advskew %d/256 s) + 200 ms = %s%n", "bound for " + backup.name(),
                ADVSKEW[1], ms(bound));
        boolean same = cookies(peerBefore).equals(cookies(peerAfter)) && children(peerBefore).equals(children(peerAfter));
        boolean ok = back && same && renegotiations == 0 && dropsAfter == dropsBefore && up.gapMs() <= bound
                && down.gapMs() <= bound;
        out.println();
        out.println(ok ? "The peer never noticed: same IKE SA, same SPIs, no replay error, no renegotiation."
                : "THE PEER NOTICED: see above.");
        out.println("(the same with the real daemons in network namespaces against strongSwan: IkeFailoverLabTest;"
                + " docs/admin-guide.md, \"A two-node IKE cluster\")");
        return ok;
    }

    /** Changes in the peer's IKE SAs since the last look go to the timeline. */
    private void watchPeer() {
        if (w.peer() == null) {
            return;
        }
        IkeStatus s = w.peer().ikeStatus();
        Set<String> p1 = cookies(s);
        Set<String> children = children(s);
        for (String c : p1) {
            if (!peerPhase1s.contains(c)) {
                w.event("peer: IKE SA " + c + " established");
            }
        }
        for (Phase2Status c : s.phase2()) {
            String spis = spis(c);
            if (!peerChildren.contains(spis)) {
                w.event("peer: CHILD SA " + spis + " over IKE SA " + c.phase1Cookies());
            }
        }
        peerPhase1s = p1;
        peerChildren = children;
    }

    /** Prints the timeline in order of time (some lines are written after the fact). */
    private void flushTimeline() {
        timeline.stream().sorted(java.util.Comparator.comparingDouble(l -> Double.parseDouble(l.strip().split(" ")[0])))
                .forEach(out::println);
        timeline.clear();
    }

    private long peerDrops() {
        long n = 0;
        for (SecurityAssociation sa : w.peer().sadb().sas()) {
            n += sa.drops(DropReason.REPLAY) + sa.drops(DropReason.BAD_ICV);
        }
        return n + w.peerNoSaDrops();
    }

    private static Set<String> cookies(IkeStatus s) {
        return s.phase1().stream().filter(p -> p.state().equals("established"))
                .map(p -> p.initiatorCookie() + ":" + p.responderCookie()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> children(IkeStatus s) {
        return s.phase2().stream().map(FailoverDemo::spis).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String spis(Phase2Status c) {
        return String.format("0x%08x/0x%08x", c.inboundSpi(), c.outboundSpi());
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
