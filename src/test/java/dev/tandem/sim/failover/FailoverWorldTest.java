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

    private final List<String> timeline = new ArrayList<>();

    private String timeline() {
        return String.join("\n", timeline);
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
        assertThat(w.up().window(t0, w.sim().now()).gapMs()).isLessThan(669);
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
}
