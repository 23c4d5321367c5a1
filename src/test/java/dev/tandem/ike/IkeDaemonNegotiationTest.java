package dev.tandem.ike;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.SecurityAssociation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Two daemons negotiate over the simulated network: transforms, modes, NAT-T, loss and duplication. */
class IkeDaemonNegotiationTest {

    /** Gateway A (active) and B (answering), configured and started. */
    static final class Pair {
        final SimIkeNetwork net;
        final SimIkeNetwork.Node a;
        final SimIkeNetwork.Node b;

        Pair(long seed, TestPolicies p) {
            this(seed, p, IkeDaemon.Options.DEFAULT, net -> { });
        }

        Pair(long seed, TestPolicies p, IkeDaemon.Options options, java.util.function.Consumer<SimIkeNetwork> setup) {
            net = new SimIkeNetwork(seed);
            a = net.node("a", TestPolicies.A, options);
            b = net.node("b", TestPolicies.B, options);
            setup.accept(net);
            b.run(() -> {
                b.daemon.configure(p.forB());
                b.daemon.start();
            });
            a.run(() -> {
                a.daemon.configure(p.forA());
                a.daemon.start();
            });
        }

        boolean converge(Duration max) {
            return net.world.runUntil(() -> matchingPairs(a, b) > 0, max);
        }
    }

    /**
     * SA pairs present in both SADBs with equal keys (an SaId names the same SA
     * on both ends: A's inbound is B's outbound); -1 when the SADBs disagree.
     */
    static int matchingPairs(SimIkeNetwork.Node a, SimIkeNetwork.Node b) {
        Map<String, SecurityAssociation> sa = new TreeMap<>();
        Map<String, SecurityAssociation> sb = new TreeMap<>();
        a.sadb.sas().forEach(s -> sa.put(s.id().toString(), s));
        b.sadb.sas().forEach(s -> sb.put(s.id().toString(), s));
        if (!sa.keySet().equals(sb.keySet())) {
            return -1;
        }
        for (var e : sa.entrySet()) {
            if (!e.getValue().spec().keys().equals(sb.get(e.getKey()).spec().keys())) {
                return -1;
            }
        }
        return sa.size() / 2;
    }

    static Stream<Arguments> transformSets() {
        return Stream.of(
                Arguments.of("AES-256/SHA2-256/MODP2048", TestPolicies.AES256_SHA256_MODP2048,
                        TestPolicies.ESP_AES256_SHA256),
                Arguments.of("AES-128/SHA1/MODP1024",
                        Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024, 3600),
                        new Phase2Transform(new EspTransform.AesGcm(16), 128, 128, true, DhGroup.MODP_1024, 1200)),
                Arguments.of("3DES/SHA1/MODP1024",
                        Phase1Transform.exactly(IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024, 3600),
                        new Phase2Transform(new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA1_96), 128, 128, true,
                                DhGroup.MODP_2048, 1200)),
                Arguments.of("AES-256/SHA2-384/ECP256",
                        Phase1Transform.exactly(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_384, DhGroup.ECP_256, 3600),
                        new Phase2Transform(new EspTransform.AesGcm(32), 256, 256, true, DhGroup.ECP_256, 1200)),
                Arguments.of("AES-192/SHA2-512/CURVE25519",
                        Phase1Transform.exactly(IkeCipher.AES_192_CBC, Prf.HMAC_SHA2_512, DhGroup.CURVE25519, 3600),
                        new Phase2Transform(new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_512_256), 256, 256,
                                true, DhGroup.CURVE25519, 1200)));
    }

    @ParameterizedTest(name = "main mode {0}")
    @MethodSource("transformSets")
    void mainModeEstablishesMatchingSas(String name, Phase1Transform p1, Phase2Transform p2) {
        negotiate(ExchangeMode.MAIN, name, p1, p2);
    }

    @ParameterizedTest(name = "aggressive mode {0}")
    @MethodSource("transformSets")
    void aggressiveModeEstablishesMatchingSas(String name, Phase1Transform p1, Phase2Transform p2) {
        negotiate(ExchangeMode.AGGRESSIVE, name, p1, p2);
    }

    private static void negotiate(ExchangeMode mode, String name, Phase1Transform p1, Phase2Transform p2) {
        TestPolicies p = new TestPolicies();
        p.mode = mode;
        p.phase1 = List.of(p1);
        p.phase2 = List.of(p2);
        Pair pair = new Pair(7, p);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(matchingPairs(pair.a, pair.b)).isEqualTo(1);
        IkeStatus sa = pair.a.status();
        IkeStatus sb = pair.b.status();
        assertThat(sa.phase1()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("established");
            assertThat(s.transform()).isEqualTo(name);
            assertThat(s.mode()).isEqualTo(mode);
            assertThat(s.initiator()).isTrue();
            assertThat(s.natT()).isFalse();
        });
        assertThat(sb.phase1()).singleElement().satisfies(s -> assertThat(s.initiator()).isFalse());
        assertThat(sa.phase2()).singleElement().satisfies(s -> {
            assertThat(s.pfs()).isEqualTo(p2.pfs() != null);
            assertThat(s.connection()).isEqualTo(TestPolicies.CONNECTION);
        });
        assertThat(sb.phase2()).singleElement().satisfies(s -> {
            assertThat(s.inboundSpi()).isEqualTo(sa.phase2().getFirst().outboundSpi());
            assertThat(s.outboundSpi()).isEqualTo(sa.phase2().getFirst().inboundSpi());
        });
        assertThat(pair.a.sadb.sas()).allSatisfy(s -> assertThat(s.spec().encapsulation()).isEqualTo(Encapsulation.RAW));
        assertThat(sa.counters()).containsEntry("phase1-established", 1L).containsEntry("phase2-established", 1L)
                .containsEntry("malformed", 0L).containsEntry("unauthenticated", 0L);
    }

    /**
     * The initiator installs on QM2 and may send at once; the responder must
     * already hold its inbound SA then, before QM3 has even arrived.
     */
    @Test
    void responderReceivesAsSoonAsTheInitiatorInstalls() {
        Pair pair = new Pair(5, new TestPolicies());
        assertThat(pair.net.world.runUntil(() -> pair.a.sadb.sas().size() == 2, Duration.ofSeconds(30))).isTrue();
        SecurityAssociation toB = pair.a.sadb.sas().stream()
                .filter(s -> s.id().dst().toString().equals(TestPolicies.B)).findFirst().orElseThrow();
        assertThat(pair.b.sadb.get(toB.id())).as("B's inbound SA while QM3 is in flight").isNotNull()
                .satisfies(s -> assertThat(s.spec().keys()).isEqualTo(toB.spec().keys()));
        assertThat(pair.converge(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void initiatorBehindNatFloatsToPort4500AndEncapsulatesEsp() {
        Pair pair = new Pair(3, new TestPolicies(), IkeDaemon.Options.DEFAULT,
                net -> net.nodes.values().iterator().next().natted = true);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(pair.b.status().phase1()).singleElement().satisfies(s -> {
            assertThat(s.natT()).isTrue();
            assertThat(s.remote().port()).isEqualTo(IkeEndpoint.NAT_T_PORT + SimIkeNetwork.NAT_OFFSET);
            assertThat(s.local().port()).isEqualTo(IkeEndpoint.NAT_T_PORT);
        });
        assertThat(pair.a.status().phase1()).singleElement().satisfies(s -> assertThat(s.natT()).isTrue());
        assertThat(pair.b.sadb.sas()).isNotEmpty().allSatisfy(s -> assertThat(s.spec().encapsulation())
                .isEqualTo(new Encapsulation.Udp(4500, 4500 + SimIkeNetwork.NAT_OFFSET)));
        assertThat(pair.a.sadb.sas()).allSatisfy(s -> assertThat(s.spec().encapsulation())
                .isEqualTo(new Encapsulation.Udp(4500, 4500)));
        // Everything after the float (quick mode, DPD, DELETE) still works on 4500
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        pair.net.world.run(Duration.ofSeconds(1));
        assertThat(pair.b.counter("deletes-received")).isEqualTo(1);
        assertThat(pair.b.sadb.sas()).isEmpty();
    }

    @Test
    void aggressiveModeInitiatorBehindNat() {
        TestPolicies p = new TestPolicies();
        p.mode = ExchangeMode.AGGRESSIVE;
        Pair pair = new Pair(4, p, IkeDaemon.Options.DEFAULT,
                net -> net.nodes.values().iterator().next().natted = true);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(pair.b.status().phase1()).singleElement().satisfies(s -> {
            assertThat(s.natT()).isTrue();
            assertThat(s.remote().port()).isEqualTo(IkeEndpoint.NAT_T_PORT + SimIkeNetwork.NAT_OFFSET);
        });
        assertThat(pair.a.sadb.sas()).isNotEmpty().allSatisfy(s -> assertThat(s.spec().encapsulation())
                .isEqualTo(new Encapsulation.Udp(4500, 4500)));
    }

    @Test
    void bothSidesActiveEndWithWorkingSas() {
        TestPolicies p = new TestPolicies();
        p.activeB = true;
        Pair pair = new Pair(5, p);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        pair.net.world.run(Duration.ofSeconds(30));
        assertThat(matchingPairs(pair.a, pair.b)).isPositive();
    }

    @Test
    void wrongPreSharedKeyFailsCleanlyOnBothSides() {
        TestPolicies p = new TestPolicies();
        p.pskB = "something else";
        Pair pair = new Pair(11, p);
        pair.net.world.run(Duration.ofSeconds(5));
        assertThat(pair.a.sadb.sas()).isEmpty();
        assertThat(pair.b.sadb.sas()).isEmpty();
        assertThat(pair.b.counter("unauthenticated")).isEqualTo(1);
        assertThat(pair.b.counter("phase1-failed")).isEqualTo(1);
        assertThat(pair.a.counter("phase1-failed")).isEqualTo(1);
        assertThat(pair.a.counter("phase1-established")).isZero();
        assertThat(pair.a.status().phase1()).isEmpty();
        assertThat(pair.b.status().phase1()).isEmpty();
    }

    @Test
    void wrongPreSharedKeyInAggressiveModeFailsOnTheInitiator() {
        TestPolicies p = new TestPolicies();
        p.mode = ExchangeMode.AGGRESSIVE;
        p.pskB = "something else";
        Pair pair = new Pair(12, p);
        pair.net.world.run(Duration.ofSeconds(5));
        assertThat(pair.a.counter("unauthenticated")).isEqualTo(1);
        assertThat(pair.a.counter("phase1-failed")).isEqualTo(1);
        assertThat(pair.a.sadb.sas()).isEmpty();
        assertThat(pair.b.sadb.sas()).isEmpty();
    }

    @Test
    void noCommonProposalIsCountedAndNothingInstalled() {
        TestPolicies pa = new TestPolicies();
        Pair pair = new Pair(13, pa, IkeDaemon.Options.DEFAULT, net -> { });
        TestPolicies pb = new TestPolicies();
        pb.phase1 = List.of(Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024, 3600));
        pair.b.run(() -> pair.b.daemon.configure(pb.forB()));
        pair.net.world.run(Duration.ofSeconds(20));
        assertThat(pair.b.counter("no-proposal-chosen")).isPositive();
        assertThat(pair.a.counter("phase1-failed")).isPositive();
        assertThat(pair.a.sadb.sas()).isEmpty();
    }

    @ParameterizedTest(name = "{0} mode, PFS {1}, NAT {2}")
    @org.junit.jupiter.params.provider.CsvSource({"MAIN,false,false", "MAIN,true,true", "AGGRESSIVE,true,false",
            "AGGRESSIVE,false,true"})
    void convergesUnderThirtyPercentLoss(ExchangeMode mode, boolean pfs, boolean nat) {
        TestPolicies p = new TestPolicies();
        p.mode = mode;
        if (pfs) {
            p.phase2 = List.of(new Phase2Transform(TestPolicies.ESP_AES256_SHA256.esp(), 256, 256, true,
                    DhGroup.MODP_2048, 1200));
        }
        for (long seed = 1; seed <= 5; seed++) {
            Pair pair = new Pair(seed, p, IkeDaemon.Options.DEFAULT, net -> {
                net.loss = 0.3;
                net.nodes.values().iterator().next().natted = nat;
            });
            assertThat(pair.converge(Duration.ofMinutes(10))).as("seed %d", seed).isTrue();
            // Let stragglers settle: no half-finished exchange may leave the SADBs disagreeing
            pair.net.world.run(Duration.ofMinutes(3));
            assertThat(matchingPairs(pair.a, pair.b)).as("seed %d", seed).isEqualTo(1);
            assertThat(pair.a.counter("retransmits") + pair.b.counter("retransmits")).isPositive();
        }
    }

    @Test
    void duplicatedMessagesAreHarmless() {
        Pair pair = new Pair(21, new TestPolicies(), IkeDaemon.Options.DEFAULT, net -> net.duplication = 1.0);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        pair.net.world.run(Duration.ofSeconds(30));
        assertThat(matchingPairs(pair.a, pair.b)).isEqualTo(1);
        assertThat(pair.a.counter("phase1-established")).isEqualTo(1);
        assertThat(pair.b.counter("phase2-established")).isEqualTo(1);
        assertThat(pair.a.counter("unauthenticated") + pair.b.counter("unauthenticated")).isZero();
    }

    @Test
    void lostMainMode6IsResentWhenMainMode5Repeats() {
        boolean[] dropped = {false};
        int[] encryptedMainMode = {0};
        Pair pair = new Pair(22, new TestPolicies(), IkeDaemon.Options.DEFAULT, net -> net.tap = m -> {
            // Encrypted main mode messages in flight: MM5, then MM6, which is lost once
            if (m[18] == 2 && (m[19] & 1) != 0 && ++encryptedMainMode[0] == 2) {
                dropped[0] = true;
                return null;
            }
            return m;
        });
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(dropped[0]).isTrue();
        assertThat(pair.a.counter("retransmits")).isEqualTo(1);
        assertThat(pair.b.counter("retransmits")).isEqualTo(1);
        assertThat(pair.b.counter("phase1-established")).isEqualTo(1);
        assertThat(pair.a.counter("phase1-established")).isEqualTo(1);
        assertThat(matchingPairs(pair.a, pair.b)).isEqualTo(1);
    }

    @Test
    void peerIdentityOtherThanRequiredIsRefused() {
        TestPolicies p = new TestPolicies();
        Pair pair = new Pair(23, p, IkeDaemon.Options.DEFAULT, net -> { });
        var a = p.forA();
        var p1 = a.phase1().getFirst();
        var strict = new dev.tandem.ike.policy.Phase1Policy(p1.name(), p1.peer(), p1.local(), p1.mode(),
                p1.transforms(), p1.psk(), null,
                new dev.tandem.ike.policy.Identity(dev.tandem.ike.wire.IdType.FQDN, "gw-b.example.org"), 0);
        pair.a.run(() -> pair.a.daemon.configure(new dev.tandem.ike.policy.IkePolicy(List.of(strict), a.phase2())));
        pair.net.world.run(Duration.ofSeconds(5));
        assertThat(pair.a.counter("phase1-failed")).isPositive();
        assertThat(pair.a.sadb.sas()).isEmpty();
    }

    @Test
    void initialContactFromARebootedPeerRemovesItsOldSas() {
        TestPolicies p = new TestPolicies();
        Pair pair = new Pair(24, p);
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        SimIkeNetwork.Node a2 = pair.net.restart(pair.a);
        a2.run(() -> {
            a2.daemon.configure(p.forA());
            a2.daemon.start();
        });
        assertThat(pair.net.world.runUntil(() -> matchingPairs(a2, pair.b) == 1, Duration.ofSeconds(30))).isTrue();
        assertThat(pair.b.status().phase1()).hasSize(1);
        assertThat(pair.b.status().phase2()).hasSize(1);
    }

    @Test
    void responderLifetimeAttributesAreRead() {
        // SA_LIFE_TYPE seconds (basic), SA_LIFE_DURATION 600 as a 4-octet variable attribute
        byte[] data = {(byte) 0x80, 1, 0, 1, 0, 2, 0, 4, 0, 0, 2, 0x58};
        assertThat(QuickMode.responderLifetime(data)).isEqualTo(600);
        byte[] kilobytes = {(byte) 0x80, 1, 0, 2, (byte) 0x80, 2, 0x10, 0};
        assertThat(QuickMode.responderLifetime(kilobytes)).isZero();
        assertThat(QuickMode.responderLifetime(new byte[] {1, 2, 3})).isZero();
    }

    @Test
    void lostAggressiveMode3IsRecoveredByANewPhase1() {
        TestPolicies p = new TestPolicies();
        p.mode = ExchangeMode.AGGRESSIVE;
        SimIkeNetwork[] net = new SimIkeNetwork[1];
        Pair pair = new Pair(25, p, IkeDaemon.Options.DEFAULT, n -> {
            net[0] = n;
            // Every AM3 (the only encrypted aggressive mode message) is lost for the first 40 s
            n.tap = m -> m[18] == 4 && (m[19] & 1) != 0 && n.world.elapsed().toSeconds() < 40 ? null : m;
        });
        assertThat(pair.converge(Duration.ofMinutes(5))).isTrue();
        assertThat(pair.a.counter("phase1-established")).isEqualTo(2);
        assertThat(pair.a.counter("phase2-failed")).isEqualTo(1);
        pair.net.world.run(Duration.ofMinutes(1));
        assertThat(matchingPairs(pair.a, pair.b)).isEqualTo(1);
    }

    @Test
    void endsDisagreeingAboutNatStillAgreeOnTheEncapsulationOfferedInQuickMode() {
        int[] plainMainMode = {0};
        Pair pair = new Pair(26, new TestPolicies(), IkeDaemon.Options.DEFAULT, net -> net.tap = m -> {
            // NAT-D is not authenticated: spoil the initiator's own NAT-D (the last payload of MM3)
            if (m[18] == 2 && (m[19] & 1) == 0 && ++plainMainMode[0] == 3) {
                m[m.length - 1] ^= 1;
            }
            return m;
        });
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        assertThat(pair.b.status().phase1()).singleElement().satisfies(s -> assertThat(s.natT()).isTrue());
        assertThat(pair.a.status().phase1()).singleElement().satisfies(s -> assertThat(s.natT()).isFalse());
        assertThat(pair.b.sadb.sas()).hasSize(2)
                .allSatisfy(s -> assertThat(s.spec().encapsulation()).isEqualTo(Encapsulation.RAW));
        assertThat(pair.b.counter("no-proposal-chosen")).isZero();
    }

    @Test
    void theSameSeedReplaysTheSameNegotiation() {
        List<String> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Pair pair = new Pair(27, new TestPolicies(), IkeDaemon.Options.DEFAULT, net -> net.loss = 0.2);
            assertThat(pair.converge(Duration.ofMinutes(5))).isTrue();
            runs.add(pair.a.status().phase1() + " " + pair.a.status().phase2() + " " + pair.net.world.now());
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }
}
