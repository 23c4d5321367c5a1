package dev.tandem.sim.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.SecurityAssociation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated cluster on two plain events: the master dies, and it dies mid-exchange. */
class FailoverWorldTest {

    private static final FailoverWorld.Options REKEYING = new FailoverWorld.Options(0, 0, 200, 60,
            new int[] {20, 40}, false);

    /** A gap window starts this long before the event: arrivals of datagrams sent before it mark the gap's start. */
    private static final long BEFORE = Duration.ofMillis(200).toNanos();

    private final List<String> timeline = new ArrayList<>();

    private String timeline() {
        return String.join("\n", timeline);
    }

    /** The peer's phase 1 SAs, by their cookies. */
    private static List<String> cookies(FailoverWorld w) {
        return w.peer().ikeStatus().phase1().stream().map(p -> p.initiatorCookie() + "/" + p.responderCookie())
                .toList();
    }

    /** The peer's phase 2 SAs, by their SPIs. */
    private static List<String> spis(FailoverWorld w) {
        return w.peer().ikeStatus().phase2().stream()
                .map(p -> Integer.toHexString(p.inboundSpi()) + "/" + Integer.toHexString(p.outboundSpi())).toList();
    }

    /** The SA the peer's outbound flow uses now. */
    private static SecurityAssociation peerSendsOn(FailoverWorld w) {
        Flow out = w.peer().sadb().flows().stream().filter(f -> f.direction() == FlowDirection.OUT).findFirst()
                .orElseThrow();
        return w.peer().sadb().outbound(out);
    }

    @Test
    void theBackupTakesOverAndThePeerKeepsItsSas() {
        FailoverWorld w = new FailoverWorld(7, REKEYING, timeline::add);
        assertThat(w.boot()).as(timeline()).isTrue();
        w.sim().run(Duration.ofSeconds(5));
        ClusterNode master = w.masters().getFirst();
        var before = w.peer().ikeStatus();
        long t0 = w.sim().now();
        master.kill();
        assertThat(w.sim().runUntil(() -> w.up().deliveredSince(t0) && w.down().deliveredSince(t0),
                Duration.ofSeconds(5))).as(timeline()).isTrue();
        assertThat(w.up().window(t0 - BEFORE, w.sim().now()).gapMs()).isLessThan(669);
        assertThat(w.peer().ikeStatus().phase1()).isEqualTo(before.phase1());
        assertThat(w.peer().ikeStatus().phase2()).isEqualTo(before.phase2());
    }

    @Test
    void aMasterThatLosesPowerAsItAnswersARekeyLeavesNoSaBehind() {
        FailoverWorld w = new FailoverWorld(11, REKEYING, timeline::add);
        assertThat(w.boot()).as(timeline()).isTrue();
        // the peer's rekey: its QM1 comes, the master installs the new inbound SA, answers QM2 and dies
        List<String> killed = new ArrayList<>();
        w.wan().tap(p -> {
            if (killed.isEmpty() && p.udp() && p.src().equals(FailoverWorld.VIP.address()) && p.data()[18] == 32) {
                ClusterNode m = w.masters().getFirst();
                killed.add(m.name());
                w.event("** " + m.name() + " loses power right after its QM2");
                m.kill();
            }
        });
        assertThat(w.sim().runUntil(() -> !killed.isEmpty(), Duration.ofMinutes(2))).isTrue();
        long t0 = w.sim().now();
        w.sim().run(Duration.ofSeconds(30));
        ClusterNode master = w.masters().getFirst();
        // every SA the peer may send on, the one of the interrupted rekey included, is at the new master
        for (SecurityAssociation sa : w.peer().sadb().sas()) {
            if (sa.spec().src().equals(FailoverWorld.PEER)) {
                assertThat(master.sadb().get(sa.id())).as(sa.id() + "\n" + timeline()).isNotNull();
            }
        }
        assertThat(master.sadb().get(peerSendsOn(w).id())).isNotNull();
        assertThat(w.down().window(t0 + Duration.ofSeconds(20).toNanos(), w.sim().now() - 1_000_000_000L).lost())
                .isZero();
    }

    /** Kills the master as it sends its MM6 (its third main mode message), which is lost too if {@code mm6Lost}. */
    private static List<String> killOnMm6(FailoverWorld w, boolean mm6Lost) {
        int[] sent = new int[1];
        List<String> killed = new ArrayList<>();
        List<WanPacket> toLose = new ArrayList<>();
        w.wan().tap(p -> {
            if (killed.isEmpty() && p.udp() && p.src().equals(FailoverWorld.VIP.address()) && p.data()[18] == 2
                    && ++sent[0] == 3) {
                ClusterNode m = w.masters().getFirst();
                killed.add(m.name());
                w.event("** " + m.name() + " loses power sending its MM6" + (mm6Lost ? ", which is lost" : ""));
                m.kill();
                if (mm6Lost) {
                    toLose.add(p);
                }
            }
        });
        // that very datagram: the new master's repeat of it has the same bytes but is another packet
        w.wan().lose(toLose::remove);
        return killed;
    }

    @Test
    void aMasterThatLosesPowerAsItCompletesAPhase1LeavesItToTheBackup() {
        FailoverWorld w = new FailoverWorld(13, REKEYING, timeline::add);
        List<String> killed = killOnMm6(w, false);
        assertThat(w.boot()).as(timeline()).isTrue();
        assertThat(killed).as(timeline()).hasSize(1);
        // the peer's quick mode ran over that phase 1 with the new master: no second main mode
        assertThat(w.peer().counter("phase1-established")).as(timeline()).isEqualTo(1);
        assertThat(w.peer().counter("phase1-failed")).as(timeline()).isZero();
    }

    @Test
    void whenTheDyingMastersMm6IsLostTheNewMasterRepeatsIt() {
        FailoverWorld w = new FailoverWorld(17, REKEYING, timeline::add);
        List<String> killed = killOnMm6(w, true);
        assertThat(w.boot()).as(timeline()).isTrue();
        assertThat(killed).as(timeline()).hasSize(1);
        // the peer repeated its MM5 to the VIP and the backup, now master, answered with the same MM6
        assertThat(w.peer().counter("phase1-established")).as(timeline()).isEqualTo(1);
        assertThat(w.peer().counter("phase1-failed")).as(timeline()).isZero();
        assertThat(w.peer().counter("retransmits")).as(timeline()).isPositive();
    }

    @Test
    void aThreeNodeClusterOutlivesTwoMastersInTurn() {
        // advskew 20, 40, 60: n0 masters, then n1 takes over, then n2
        FailoverWorld w = new FailoverWorld(19, new FailoverWorld.Options(0, 0, 200, 60, new int[] {20, 40, 60},
                false), timeline::add);
        assertThat(w.boot()).as(timeline()).isTrue();
        List<String> cookiesBefore = cookies(w);
        List<String> spisBefore = spis(w);
        long phase2s = w.peer().counter("phase2-established");
        int[] boundMs = {669, 903};
        for (int death = 0; death < 2; death++) {
            ClusterNode master = w.masters().getFirst();
            List<ClusterNode> backups = w.nodes().stream().filter(n -> n != master && n.alive()).toList();
            assertThat(w.sim().runUntil(() -> backups.stream().allMatch(master::replicatesTo), Duration.ofSeconds(10)))
                    .as("every backup current\n" + timeline()).isTrue();
            long t0 = w.sim().now();
            w.event("** " + master.name() + " loses power");
            master.kill();
            assertThat(w.sim().runUntil(() -> w.up().deliveredSince(t0) && w.down().deliveredSince(t0),
                    Duration.ofSeconds(5))).as(timeline()).isTrue();
            assertThat(w.masters()).as(timeline()).containsExactly(backups.getFirst());
            assertThat(w.up().window(t0 - BEFORE, w.sim().now()).gapMs()).as(timeline()).isLessThan(boundMs[death]);
            assertThat(w.down().window(t0 - BEFORE, w.sim().now()).gapMs()).as(timeline()).isLessThan(boundMs[death]);
            assertThat(cookies(w)).as(timeline()).isEqualTo(cookiesBefore);
            assertThat(spis(w)).as(timeline()).isEqualTo(spisBefore);
        }
        // the last node standing renews phase 2 with the peer over the same phase 1, and traffic carries on
        long t1 = w.sim().now();
        w.sim().run(Duration.ofSeconds(90));
        assertThat(w.peer().counter("phase2-established")).as(timeline()).isGreaterThan(phase2s);
        assertThat(w.peer().counter("phase1-established")).as(timeline()).isEqualTo(1);
        assertThat(w.peer().counter("phase1-failed") + w.peer().counter("phase2-failed")).as(timeline()).isZero();
        assertThat(cookies(w)).as(timeline()).isEqualTo(cookiesBefore);
        assertThat(w.up().window(t1 + 1_000_000_000L, w.sim().now() - 1_000_000_000L).lost()).as(timeline()).isZero();
        assertThat(w.down().window(t1 + 1_000_000_000L, w.sim().now() - 1_000_000_000L).lost()).as(timeline()).isZero();
    }

    /**
     * SIGTERM of the master: it hands over first and forwards until the
     * backup has taken over, so the gap is that of a demotion (the new
     * master's 50 ms wait for the old one to stop sending), not a bow-out's
     * (the backup's skew, 40/256 s, on top).
     */
    @Test
    void aStoppingMasterHandsOverBeforeItGoes() {
        FailoverWorld w = new FailoverWorld(23, REKEYING, timeline::add);
        assertThat(w.boot()).as(timeline()).isTrue();
        w.sim().run(Duration.ofSeconds(5));
        List<String> cookiesBefore = cookies(w);
        List<String> spisBefore = spis(w);
        ClusterNode master = w.masters().getFirst();
        long t0 = w.sim().now();
        assertThat(master.shutdown()).as(timeline()).startsWith("handed over after ");
        long stopped = w.sim().now();
        assertThat(w.sim().runUntil(() -> w.up().deliveredSince(stopped) && w.down().deliveredSince(stopped),
                Duration.ofSeconds(5))).as(timeline()).isTrue();
        w.sim().run(Duration.ofSeconds(1));
        long t1 = w.sim().now();
        for (SequencedFlow.Window win : List.of(w.up().window(t0 - BEFORE, t1), w.down().window(t0 - BEFORE, t1))) {
            assertThat(win.gapMs()).as(win + "\n" + timeline()).isLessThan(100);
        }
        assertThat(cookies(w)).isEqualTo(cookiesBefore);
        assertThat(spis(w)).isEqualTo(spisBefore);
        assertThat(w.masters()).as(timeline()).hasSize(1).doesNotContain(master);
    }

    /** Alone, a master has nobody to hand over to: it stops at once (and bows out). */
    @Test
    void aMasterWithoutABackupStopsAtOnce() {
        FailoverWorld w = new FailoverWorld(29, REKEYING, timeline::add);
        assertThat(w.boot()).as(timeline()).isTrue();
        ClusterNode master = w.masters().getFirst();
        w.nodes().stream().filter(n -> n != master).forEach(ClusterNode::kill);
        // until its sync link times out, the master takes the dead backup for synced (and would wait for it)
        assertThat(w.sim().runUntil(() -> master.syncStatus().peers().stream()
                .noneMatch(dev.tandem.sync.SyncStatus.PeerStatus::synced), Duration.ofSeconds(10))).isTrue();
        long t0 = w.sim().now();
        assertThat(master.shutdown()).isEqualTo("no synced backup: bowing out");
        assertThat(w.sim().now() - t0).isZero();
    }
}
