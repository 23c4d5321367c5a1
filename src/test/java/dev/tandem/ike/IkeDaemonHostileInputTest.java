package dev.tandem.ike;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.ike.negotiation.Phase1Proposals;
import dev.tandem.ike.wire.ExchangeType;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.IsakmpMessage;
import dev.tandem.ike.wire.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Floods, garbage and forgeries: counted, bounded, and the established SAs unaffected. */
class IkeDaemonHostileInputTest {

    private static final IkeEndpoint FROM_A = new IkeEndpoint(TestPolicies.ip(TestPolicies.A), 500);

    private static byte[] mainMode1(long cookie) {
        return new IsakmpMessage(IsakmpHeader.of(cookie, 0, ExchangeType.IDENTITY_PROTECTION.code(), 0, 0),
                List.of(Phase1Proposals.offer(List.of(TestPolicies.AES256_SHA256_MODP2048)),
                        new Payload.VendorId(Payloads.NAT_T_VID))).encode();
    }

    @Test
    void firstMessageFloodStaysWithinTheHalfOpenBound() {
        var net = new SimIkeNetwork(51);
        int bound = 1024;
        var a = net.node("a", TestPolicies.A);
        var b = net.node("b", TestPolicies.B, new IkeDaemon.Options(64, bound, Duration.ofSeconds(2), 5));
        TestPolicies p = new TestPolicies();
        b.run(() -> {
            b.daemon.configure(p.forB());
            b.daemon.start();
        });
        SplittableRandom r = new SplittableRandom(51);
        int flood = 100_000;
        int maxLive = 0;
        for (int i = 0; i < flood; i++) {
            net.inject(b, FROM_A, 500, mainMode1(r.nextLong() | 1));
            if (i % 10_000 == 9_999) {
                net.world.run(Duration.ofMillis(1));
                maxLive = Math.max(maxLive, b.status().phase1().size());
            }
        }
        net.world.run(Duration.ofMillis(1));
        maxLive = Math.max(maxLive, b.status().phase1().size());
        assertThat(maxLive).isLessThanOrEqualTo(bound);
        assertThat(b.counter("half-open-evicted")).isEqualTo(flood - bound);
        // A genuine peer still gets through (its exchange is the newest, so it is not the next evicted)
        a.run(() -> {
            a.daemon.configure(p.forA());
            a.daemon.start();
        });
        assertThat(net.world.runUntil(() -> IkeDaemonNegotiationTest.matchingPairs(a, b) == 1, Duration.ofSeconds(30)))
                .isTrue();
        // Unfinished exchanges time out
        net.world.run(Duration.ofSeconds(40));
        assertThat(b.status().phase1()).hasSize(1);
    }

    @Test
    void firstMessagesFromStrangersCreateNoState() {
        var net = new SimIkeNetwork(52);
        var b = net.node("b", TestPolicies.B);
        b.run(() -> b.daemon.configure(new TestPolicies().forB()));
        for (int i = 0; i < 1000; i++) {
            net.inject(b, new IkeEndpoint(TestPolicies.ip("203.0.113." + (i % 250 + 1)), 500), 500,
                    mainMode1(i + 1));
        }
        net.world.run(Duration.ofMillis(1));
        assertThat(b.status().phase1()).isEmpty();
        assertThat(b.counter("unknown-sa")).isEqualTo(1000);
        assertThat(b.counter("sent")).isZero();
    }

    @Test
    void garbageTruncatedAndForgedMessagesLeaveTheSasAlone() {
        TestPolicies p = new TestPolicies();
        List<byte[]> captured = new ArrayList<>();
        var pair = new IkeDaemonNegotiationTest.Pair(53, p, IkeDaemon.Options.DEFAULT, net -> net.tap = m -> {
            captured.add(m.clone());
            return m;
        });
        assertThat(pair.converge(Duration.ofSeconds(30))).isTrue();
        // One informational exchange to capture as well: a DELETE, then renegotiation
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        assertThat(pair.net.world.runUntil(() -> IkeDaemonNegotiationTest.matchingPairs(pair.a, pair.b) == 1
                && pair.b.counter("deletes-received") == 1, Duration.ofSeconds(30))).isTrue();
        pair.net.world.run(Duration.ofSeconds(1));
        Set<String> before = pair.b.sadb.sas().stream().map(s -> s.id().toString()).collect(Collectors.toSet());
        long deletesBefore = pair.b.counter("deletes-received");
        pair.net.tap = m -> m;

        SplittableRandom r = new SplittableRandom(53);
        List<byte[]> hostile = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[r.nextInt(0, 400)];
            r.nextBytes(junk);
            hostile.add(junk);
        }
        for (byte[] m : captured) {
            hostile.add(Arrays.copyOf(m, r.nextInt(0, m.length)));
            if ((m[19] & IsakmpHeader.FLAG_ENCRYPTION) != 0) {
                for (int k = 0; k < 8; k++) {
                    byte[] flipped = m.clone();
                    int at = r.nextInt(IsakmpHeader.SIZE, m.length);
                    flipped[at] ^= (byte) (1 << r.nextInt(8));
                    hostile.add(flipped);
                }
            }
        }
        long badBefore = bad(pair.b);
        for (byte[] m : hostile) {
            pair.net.inject(pair.b, FROM_A, 500, m);
            pair.net.inject(pair.b, FROM_A, 4500, m);
        }
        pair.net.world.run(Duration.ofSeconds(1));
        assertThat(bad(pair.b) - badBefore).isGreaterThanOrEqualTo(hostile.size() * 2L - 20);
        assertThat(pair.b.counter("unauthenticated")).isPositive();
        assertThat(pair.b.sadb.sas().stream().map(s -> s.id().toString()).collect(Collectors.toSet()))
                .isEqualTo(before);
        assertThat(pair.b.counter("deletes-received")).isEqualTo(deletesBefore);
        // The IV chains were not disturbed: the next exchange still authenticates
        pair.a.run(() -> pair.a.daemon.teardown(TestPolicies.CONNECTION));
        pair.net.world.run(Duration.ofMillis(100));
        assertThat(pair.b.counter("deletes-received")).isEqualTo(deletesBefore + 1);
        assertThat(pair.b.sadb.sas()).isEmpty();
    }

    /** Every way a datagram is refused, plus duplicates answered or dropped. */
    private static long bad(SimIkeNetwork.Node n) {
        IkeStatus s = n.status();
        return s.counters().get("malformed") + s.counters().get("unauthenticated") + s.counters().get("unknown-sa")
                + s.counters().get("retransmits");
    }
}
