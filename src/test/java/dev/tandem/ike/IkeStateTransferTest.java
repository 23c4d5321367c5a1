package dev.tandem.ike;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.sadb.SecurityAssociation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster takeover in the IKE simulator: the state of the node that
 * negotiated is exported, the node dies, and a fresh daemon at its address
 * (the backup that now holds the VIP) imports the state and the SAs (as SA
 * replication brings them). The peer must not notice: its DPD is answered,
 * quick modes run over the same phase 1, and no main mode happens unless a
 * lifetime asks for one.
 */
class IkeStateTransferTest {

    private static IkeDaemonNegotiationTest.Pair established(long seed, TestPolicies p) {
        var pair = new IkeDaemonNegotiationTest.Pair(seed, p);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        return pair;
    }

    /** The node dies; a backup with its SAs and IKE state takes its address and becomes active. */
    private static SimIkeNetwork.Node takeOver(SimIkeNetwork net, SimIkeNetwork.Node master,
            dev.tandem.ike.policy.IkePolicy policy) {
        IkeState[] state = new IkeState[1];
        master.run(() -> state[0] = master.daemon.exportState());
        List<SecurityAssociation> sas = new ArrayList<>(master.sadb.sas());
        var flows = master.sadb.flows();
        SimIkeNetwork.Node backup = net.restart(master);
        backup.run(() -> {
            backup.daemon.passive(true);
            backup.daemon.configure(policy);
            backup.daemon.start();
            for (SecurityAssociation sa : sas) {
                backup.sadb.install(sa.spec(), master.sadb.ageNanos(sa), sa.lastSequence(), sa.replayTop(),
                        sa.packets(), sa.bytes());
            }
            backup.sadb.addFlows(flows);
            backup.daemon.importState(state[0]);
        });
        assertThat(backup.status().phase1()).hasSize(state[0].phase1s().size());
        assertThat(backup.status().phase2()).hasSize(state[0].children().size());
        backup.run(() -> backup.daemon.passive(false));
        return backup;
    }

    private static List<String> cookies(SimIkeNetwork.Node n) {
        return n.status().phase1().stream().filter(s -> s.state().equals("established"))
                .map(s -> s.initiatorCookie() + ":" + s.responderCookie()).toList();
    }

    @Test
    void theNewResponderAnswersThePeersDpdAndQuickModesOverTheSamePhase1() {
        TestPolicies p = new TestPolicies();
        p.dpdSeconds = 10;
        var pair = established(71, p);
        List<String> phase1 = cookies(pair.b);
        SimIkeNetwork.Node b2 = takeOver(pair.net, pair.b, p.forB());
        assertThat(cookies(b2)).isEqualTo(phase1);
        assertThat(b2.status().phase2()).singleElement()
                .satisfies(c -> assertThat(c.phase1Cookies()).isEqualTo(phase1.getFirst()));

        long dpdBefore = pair.a.counter("dpd-answered");
        pair.net.world.run(Duration.ofMinutes(2));
        assertThat(pair.a.counter("dpd-answered")).isGreaterThan(dpdBefore)
                .isEqualTo(pair.a.counter("dpd-sent"));

        // the peer tears its pair down and renegotiates: DELETE and quick mode over the replicated phase 1
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        assertThat(pair.net.world.runUntil(() -> IkeDaemonNegotiationTest.matchingPairs(pair.a, b2) == 1
                && pair.a.counter("phase2-established") == 2, Duration.ofSeconds(30))).isTrue();
        assertThat(pair.a.counter("phase1-established")).isEqualTo(1);
        assertThat(b2.counter("phase1-established")).isZero();
        assertThat(b2.counter("phase2-established")).isEqualTo(1);
        assertThat(b2.status().phase2()).singleElement()
                .satisfies(c -> assertThat(c.phase1Cookies()).isEqualTo(phase1.getFirst()));
    }

    @Test
    void theNewInitiatorRekeysPhase2AndRunsDpdOverTheSamePhase1() {
        TestPolicies p = new TestPolicies();
        p.dpdSeconds = 10;
        p.phase2 = List.of(new Phase2Transform(TestPolicies.ESP_AES256_SHA256.esp(), 256, 256, true, null, 60));
        var pair = established(72, p);
        List<String> phase1 = cookies(pair.a);
        SimIkeNetwork.Node a2 = takeOver(pair.net, pair.a, p.forA());
        pair.net.world.run(Duration.ofSeconds(150));
        assertThat(a2.counter("phase2-established")).as("rekeys after the takeover").isGreaterThanOrEqualTo(2);
        assertThat(a2.counter("phase1-established")).isZero();
        assertThat(pair.b.counter("phase1-established")).isEqualTo(1);
        assertThat(cookies(a2)).isEqualTo(phase1);
        assertThat(IkeDaemonNegotiationTest.matchingPairs(a2, pair.b)).isBetween(1, 2);
        assertThat(a2.status().phase2()).allSatisfy(c -> assertThat(c.phase1Cookies()).isEqualTo(phase1.getFirst()));
        // a busy tunnel is never probed: without ESP traffic in the simulator both sides ask
        assertThat(a2.counter("dpd-sent")).isPositive().isEqualTo(a2.counter("dpd-answered"));
        assertThat(pair.b.counter("dpd-sent")).isEqualTo(pair.b.counter("dpd-answered"));
    }

    @Test
    void thePhase1LifetimeRunsOnFromItsAgeAndRenewsAfterTheTakeover() {
        TestPolicies p = new TestPolicies();
        p.phase1 = List.of(Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048, 120));
        var pair = established(73, p);
        pair.net.world.run(Duration.ofSeconds(60));
        assertThat(pair.a.counter("phase1-established")).isEqualTo(1);
        SimIkeNetwork.Node a2 = takeOver(pair.net, pair.a, p.forA());
        // soft expiry at 85-95 % of 120 s counted from the original establishment, not from the import
        assertThat(pair.net.world.runUntil(() -> a2.counter("phase1-established") == 1, Duration.ofSeconds(60)))
                .isTrue();
        assertThat(pair.net.world.runUntil(() -> a2.status().phase1().size() == 1, Duration.ofSeconds(30)))
                .as("the replicated phase 1 expires at its hard lifetime").isTrue();
        assertThat(IkeDaemonNegotiationTest.matchingPairs(a2, pair.b)).isEqualTo(1);
    }

    @Test
    void whatStaysPassiveDoesNothingAndAnImportedChildNeedsItsSas() {
        TestPolicies p = new TestPolicies();
        p.dpdSeconds = 10;
        var pair = established(74, p);
        IkeState[] state = new IkeState[1];
        pair.b.run(() -> state[0] = pair.b.daemon.exportState());
        var c = pair.net.node("c", "192.0.2.3");
        boolean[] childTaken = new boolean[1];
        c.run(() -> {
            c.daemon.passive(true);
            c.daemon.configure(p.forB());
            c.daemon.start();
            c.daemon.importState(state[0]);
            childTaken[0] = c.daemon.importChild(state[0].children().getFirst());
        });
        assertThat(childTaken[0]).isFalse();
        assertThat(c.status().phase1()).hasSize(1);
        assertThat(c.status().phase2()).isEmpty();
        pair.net.world.run(Duration.ofMinutes(2));
        assertThat(c.counter("sent")).isZero();
        assertThat(c.sadb.sas()).isEmpty();
        c.run(() -> c.daemon.removePhase1(state[0].phase1s().getFirst().initiatorCookie(),
                state[0].phase1s().getFirst().responderCookie()));
        assertThat(c.status().phase1()).isEmpty();
    }

    @Test
    void eventsFollowTheStateAndKeysNeverPrint() {
        TestPolicies p = new TestPolicies();
        List<IkeStateEvent> events = new ArrayList<>();
        var pair = new IkeDaemonNegotiationTest.Pair(75, p, IkeDaemon.Options.DEFAULT,
                net -> { });
        pair.a.run(() -> pair.a.daemon.onStateChange(events::add));
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(events).hasAtLeastOneElementOfType(IkeStateEvent.Phase1Upserted.class)
                .hasAtLeastOneElementOfType(IkeStateEvent.ChildUpserted.class);
        IkeState[] state = new IkeState[1];
        pair.a.run(() -> state[0] = pair.a.daemon.exportState());
        Phase1State s = state[0].phase1s().getFirst();
        String text = state[0].toString() + events;
        for (byte[] key : List.of(s.skeyidD(), s.skeyidA(), s.skeyidE())) {
            assertThat(text).doesNotContainIgnoringCase(HexFormat.of().formatHex(key));
        }
        assertThat(text).contains("keys hidden");
        events.clear();
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        assertThat(events).first().isInstanceOf(IkeStateEvent.ChildRemoved.class);
    }
}
