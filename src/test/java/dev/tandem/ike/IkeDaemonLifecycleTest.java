package dev.tandem.ike;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.sadb.SecurityAssociation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What happens to negotiated SAs afterwards: DPD, DELETE, rekeying, passive mode. */
class IkeDaemonLifecycleTest {

    private static IkeDaemonNegotiationTest.Pair established(long seed, TestPolicies p) {
        IkeDaemonNegotiationTest.Pair pair = new IkeDaemonNegotiationTest.Pair(seed, p);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        return pair;
    }

    private static Set<String> spis(SimIkeNetwork.Node n) {
        return n.sadb.sas().stream().map(s -> s.id().toString()).collect(Collectors.toSet());
    }

    @Test
    void deadPeerDetectionRemovesTheSilentPeersSas() {
        TestPolicies p = new TestPolicies();
        p.dpdSeconds = 10;
        var pair = established(31, p);
        pair.b.silent = true;
        assertThat(pair.net.world.runUntil(() -> pair.a.sadb.sas().isEmpty(), Duration.ofMinutes(3))).isTrue();
        assertThat(pair.a.counter("dpd-sent")).isGreaterThanOrEqualTo(5);
        assertThat(pair.a.counter("dpd-answered")).isZero();
        assertThat(pair.a.status().phase1()).noneMatch(s -> s.state().equals("established"));
        // The peer comes back: the active side renegotiates by itself
        pair.b.silent = false;
        assertThat(pair.converge(Duration.ofMinutes(3))).isTrue();
    }

    @Test
    void answeredDeadPeerDetectionKeepsTheSas() {
        TestPolicies p = new TestPolicies();
        p.dpdSeconds = 10;
        var pair = established(32, p);
        Set<String> before = spis(pair.a);
        pair.net.world.run(Duration.ofMinutes(2));
        assertThat(pair.a.counter("dpd-sent")).isGreaterThanOrEqualTo(5);
        assertThat(pair.a.counter("dpd-answered")).isEqualTo(pair.a.counter("dpd-sent"));
        assertThat(spis(pair.a)).isEqualTo(before);
        assertThat(IkeDaemonNegotiationTest.matchingPairs(pair.a, pair.b)).isEqualTo(1);
    }

    @Test
    void teardownTellsThePeerAndTheActiveSideRenegotiates() {
        var pair = established(33, new TestPolicies());
        Set<String> before = spis(pair.a);
        boolean[] existed = new boolean[1];
        pair.a.run(() -> existed[0] = pair.a.daemon.teardown(TestPolicies.CONNECTION));
        assertThat(existed[0]).isTrue();
        assertThat(pair.a.sadb.sas()).isEmpty();
        pair.net.world.run(Duration.ofMillis(100));
        assertThat(pair.b.sadb.sas()).isEmpty();
        assertThat(pair.b.counter("deletes-received")).isEqualTo(1);
        assertThat(pair.a.counter("deletes-sent")).isEqualTo(1);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(spis(pair.a)).doesNotContainAnyElementsOf(before);
        boolean[] again = new boolean[1];
        pair.a.run(() -> again[0] = pair.a.daemon.teardown("no-such-connection"));
        assertThat(again[0]).isFalse();
    }

    @Test
    void deleteFromThePeerRemovesOurPair() {
        var pair = established(34, new TestPolicies());
        pair.b.run(() -> pair.b.daemon.teardown(TestPolicies.CONNECTION_B));
        pair.net.world.run(Duration.ofMillis(100));
        assertThat(pair.a.sadb.sas()).isEmpty();
        assertThat(pair.a.counter("deletes-received")).isEqualTo(1);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void removingTheConnectionFromTheConfigurationTearsItDown() {
        var pair = established(35, new TestPolicies());
        TestPolicies p = new TestPolicies();
        var phase1Only = new dev.tandem.ike.policy.IkePolicy(p.forA().phase1(), List.of());
        pair.a.run(() -> pair.a.daemon.configure(phase1Only));
        pair.net.world.run(Duration.ofSeconds(30));
        assertThat(pair.a.sadb.sas()).isEmpty();
        assertThat(pair.a.sadb.flows()).isEmpty();
        assertThat(pair.b.sadb.sas()).isEmpty();
    }

    @Test
    void phase2RekeyOverlapsOldAndNewThenRemovesTheOld() {
        TestPolicies p = new TestPolicies();
        p.phase2 = List.of(new Phase2Transform(TestPolicies.ESP_AES256_SHA256.esp(), 256, 256, true, null, 60));
        var pair = established(36, p);
        Set<String> old = spis(pair.a);
        assertThat(pair.net.world.runUntil(() -> IkeDaemonNegotiationTest.matchingPairs(pair.a, pair.b) == 2,
                Duration.ofSeconds(60))).as("old and new pair side by side").isTrue();
        assertThat(spis(pair.a)).containsAll(old);
        assertThat(pair.net.world.runUntil(() -> IkeDaemonNegotiationTest.matchingPairs(pair.a, pair.b) == 1
                && pair.a.sadb.sas().stream().map(s -> s.id().toString()).noneMatch(old::contains),
                Duration.ofSeconds(10))).as("old pair removed after the overlap").isTrue();
        assertThat(pair.a.counter("deletes-sent")).isEqualTo(1);
        assertThat(pair.b.counter("deletes-received")).isEqualTo(1);
        assertThat(pair.a.counter("phase2-established")).isEqualTo(2);
        // And again: rekeying keeps going for hours
        pair.net.world.run(Duration.ofMinutes(10));
        assertThat(IkeDaemonNegotiationTest.matchingPairs(pair.a, pair.b)).isBetween(1, 2);
        assertThat(pair.a.counter("phase2-established")).isGreaterThanOrEqualTo(11);
    }

    /**
     * The initiator of a rekey deletes the old pair right after its QM3. If
     * that QM3 is lost, the responder has only the old outbound SA, which the
     * Delete removes: it repeats QM2 at once, and the initiator's repeated
     * QM3 gives it the new one a round trip later instead of a retransmission
     * interval later.
     */
    @Test
    void aLostRekeyQm3IsFetchedAgainWhenThePeerDeletesTheOldPair() {
        TestPolicies p = new TestPolicies();
        p.phase2 = List.of(new Phase2Transform(TestPolicies.ESP_AES256_SHA256.esp(), 256, 256, true, null, 60));
        int[] qm3 = {0};
        long[] lostAt = {0};
        IkeDaemonNegotiationTest.Pair pair = new IkeDaemonNegotiationTest.Pair(39, p, IkeDaemon.Options.DEFAULT,
                net -> net.tap = m -> {
                    // QM3 carries only its HASH: the one short quick mode message; the rekey's is the second
                    if (m[18] == 32 && m.length < 100 && ++qm3[0] == 2) {
                        lostAt[0] = net.world.now();
                        return null;
                    }
                    return m;
                });
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        Set<String> old = spis(pair.a);
        assertThat(pair.net.world.runUntil(() -> lostAt[0] != 0, Duration.ofSeconds(60))).isTrue();
        long retransmits = pair.b.counter("retransmits");
        // B's new outbound SA, a few one-way delays of 10 ms later (its retransmission would come after 2 s)
        assertThat(pair.net.world.runUntil(() -> pair.b.sadb.sas().stream().anyMatch(s ->
                s.id().dst().toString().equals(TestPolicies.A) && !old.contains(s.id().toString())),
                Duration.ofMillis(100))).as("B sends on the new pair").isTrue();
        assertThat(spis(pair.b)).as("the old pair deleted").doesNotContainAnyElementsOf(old);
        assertThat(pair.b.counter("retransmits")).isEqualTo(retransmits + 1);
        assertThat(pair.a.counter("retransmits")).isEqualTo(1);
        assertThat(pair.b.counter("phase2-failed") + pair.a.counter("phase2-failed")).isZero();
    }

    @Test
    void phase1RekeyRunsQuickModesOverTheNewest() {
        TestPolicies p = new TestPolicies();
        p.phase1 = List.of(Phase1Transform.exactly(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_2048, 100));
        var pair = established(37, p);
        pair.net.world.run(Duration.ofSeconds(250));
        assertThat(pair.a.counter("phase1-established")).isGreaterThanOrEqualTo(3);
        assertThat(pair.a.status().phase1()).hasSizeLessThanOrEqualTo(2);
        assertThat(pair.b.status().phase1()).hasSizeLessThanOrEqualTo(2);
        assertThat(IkeDaemonNegotiationTest.matchingPairs(pair.a, pair.b)).isEqualTo(1);
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        String newest = pair.a.status().phase1().stream().filter(s -> s.state().equals("established"))
                .max(java.util.Comparator.comparingLong(s -> -s.ageSeconds())).orElseThrow().initiatorCookie();
        assertThat(pair.a.status().phase2()).singleElement()
                .satisfies(s -> assertThat(s.phase1Cookies()).startsWith(newest));
    }

    @Test
    void passiveInitiatesNothingUntilLeft() {
        var net = new SimIkeNetwork(38);
        var a = net.node("a", TestPolicies.A);
        var b = net.node("b", TestPolicies.B);
        TestPolicies p = new TestPolicies();
        b.run(() -> {
            b.daemon.configure(p.forB());
            b.daemon.start();
        });
        a.run(() -> {
            a.daemon.passive(true);
            a.daemon.configure(p.forA());
            a.daemon.start();
        });
        net.world.run(Duration.ofMinutes(1));
        assertThat(a.counter("sent")).isZero();
        assertThat(a.status().passive()).isTrue();
        a.run(() -> a.daemon.passive(false));
        net.world.run(Duration.ofSeconds(1));
        assertThat(IkeDaemonNegotiationTest.matchingPairs(a, b)).isEqualTo(1);
    }

    @Test
    void passiveRemovesNothingAndDoesNotRekeyButStillAnswers() {
        TestPolicies p = new TestPolicies();
        p.phase2 = List.of(new Phase2Transform(TestPolicies.ESP_AES256_SHA256.esp(), 256, 256, true, null, 60));
        p.dpdSeconds = 10;
        var pair = established(39, p);
        pair.a.run(() -> pair.a.daemon.passive(true));
        long sentBefore = pair.a.counter("sent");
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        pair.net.world.run(Duration.ofSeconds(1));
        assertThat(pair.a.counter("deletes-sent")).isZero();
        assertThat(pair.b.sadb.sas()).hasSize(2);
        pair.net.world.run(Duration.ofSeconds(90));
        assertThat(pair.a.counter("phase2-established")).isEqualTo(1);
        assertThat(pair.a.counter("dpd-sent")).isZero();
        // B still probes A (DPD) and A answers: everything A sent was an answer
        assertThat(pair.a.counter("sent") - sentBefore).isEqualTo(pair.b.counter("dpd-answered"));
        assertThat(pair.b.counter("dpd-answered")).isPositive();
    }

    @Test
    void acquireStartsTheCoveringConnection() {
        TestPolicies p = new TestPolicies();
        p.activeA = false;
        var pair = new IkeDaemonNegotiationTest.Pair(40, p);
        pair.net.world.run(Duration.ofSeconds(30));
        assertThat(pair.a.counter("sent")).isZero();
        var flow = new dev.tandem.sadb.Flow(dev.tandem.sadb.FlowDirection.OUT,
                new dev.tandem.sadb.Selector(TestPolicies.net("10.1.0.5", 32), TestPolicies.net("10.2.0.7", 32), 6, 0,
                        80), dev.tandem.sadb.SaProtocol.ESP, dev.tandem.sadb.FlowType.REQUIRE,
                TestPolicies.ip(TestPolicies.B), TestPolicies.ip(TestPolicies.A), null, null);
        pair.a.run(() -> pair.a.sadb.acquire(flow));
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
    }

    static List<SecurityAssociation> sas(SimIkeNetwork.Node n) {
        return List.copyOf(n.sadb.sas());
    }
}
