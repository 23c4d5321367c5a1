package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.SimCarpCluster.Node;
import dev.tandem.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Advertisements a backup must ignore, each counted where the admin looks:
 * forged ones with the best possible priority would otherwise steal the VIP.
 */
class CarpBadInputSimTest {

    static final dev.tandem.net.IpAddress SRC = dev.tandem.net.IpAddress.parse("192.0.2.1").orElseThrow();

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final IpAddress ATTACKER = IpAddress.parse("192.0.2.66").orElseThrow();

    /** An advertisement that would make the backup yield or take over if accepted: demote 0, fastest interval. */
    private static CarpAdvertisement best(int vhid, long counter) {
        return new CarpAdvertisement(vhid, 0, 0, 0, counter, new byte[CarpAdvertisement.MD_LENGTH]);
    }

    private static List<IpAddress> vips() {
        return List.of(SimCarpCluster.VIP.address());
    }

    private SimCarpCluster masterAndBackup(String mode) {
        return CarpElectionSimTest.settled(20, "advskew 0 " + mode, "advskew 100 " + mode);
    }

    @Test
    void forgedAndBrokenAdvertisementsAreCountedAndChangeNothing() {
        SimCarpCluster c = masterAndBackup("");
        Node a = c.node("a");
        Node b = c.node("b");
        CarpAuth right = CarpAuth.openBsd(CarpKey.fromPass(SimCarpCluster.PASS));
        CarpAuth wrong = CarpAuth.openBsd(CarpKey.fromPass("guess"));
        byte[] goodButTtl1 = right.sign(best(1, 7), SRC, vips()).encode();
        byte[] badMac = wrong.sign(best(1, 7), SRC, vips()).encode();
        byte[] otherVhid = right.sign(best(9, 7), SRC, vips()).encode();
        byte[] corrupt = goodButTtl1.clone();
        corrupt[5] ^= 1;
        for (int i = 0; i < 10; i++) {
            c.segment.inject(ATTACKER, CarpLink.GROUP, 1, goodButTtl1);
            c.segment.inject(ATTACKER, CarpLink.GROUP, 255, badMac);
            c.segment.inject(ATTACKER, CarpLink.GROUP, 255, otherVhid);
            c.segment.inject(ATTACKER, CarpLink.GROUP, 255, corrupt);
            c.segment.inject(ATTACKER, CarpLink.GROUP, 255, new byte[] {0x21, 1, 0});
            c.run(Duration.ofMillis(500));
        }
        for (Node n : List.of(a, b)) {
            LinkStats.Snapshot s = n.linkStats();
            assertThat(s.badTtl()).isEqualTo(10);
            assertThat(s.wrongVhid()).isEqualTo(10);
            assertThat(s.malformed()).isEqualTo(Map.of("checksum", 10L, "length", 10L));
            assertThat(n.status().stats().badAuth()).isEqualTo(10);
        }
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("a");
        assertThat(b.status().master()).isEqualTo(a.address);
    }

    @Test
    void openBsdModeCannotTellAReplayedOrReweightedAdvertisement() {
        // the documented weakness strict mode fixes: a captured advertisement with its
        // advskew and demote rewritten still verifies, and a backup acts on it (after its skew
        // of 100/256 s, unless the real master's next advertisement comes first: hence a stream)
        SimCarpCluster c = masterAndBackup("");
        List<byte[]> captured = new ArrayList<>();
        c.segment.tap((src, dst, ttl, p) -> captured.add(p));
        c.run(Duration.ofSeconds(2));
        CarpAdvertisement fromA = decode(captured.getFirst());
        byte[] rewritten = new CarpAdvertisement(1, 0, 200, 1, fromA.counter(), fromA.md()).encode();
        for (int i = 0; i < 15 && c.node("b").state() != CarpState.MASTER; i++) {
            c.segment.inject(ATTACKER, CarpLink.GROUP, 255, rewritten);
            c.run(Duration.ofMillis(100));
        }
        assertThat(c.node("b").state()).as("demote 200 from the 'master' makes b take over").isEqualTo(CarpState.MASTER);
    }

    @Test
    void strictModeRejectsReplayedAndRewrittenAdvertisements() {
        SimCarpCluster c = masterAndBackup("auth strict");
        Node b = c.node("b");
        List<byte[]> captured = new ArrayList<>();
        c.segment.tap((src, dst, ttl, p) -> captured.add(p));
        c.run(Duration.ofSeconds(2));
        byte[] old = captured.getFirst();
        CarpAdvertisement fromA = decode(old);
        byte[] rewritten = new CarpAdvertisement(1, 0, 200, 1, fromA.counter() + 1_000_000, fromA.md()).encode();
        for (int i = 0; i < 5; i++) {
            c.segment.inject(c.node("a").address, CarpLink.GROUP, 255, old);
            c.segment.inject(c.node("a").address, CarpLink.GROUP, 255, rewritten);
            // the sender's address is covered too: the same packet from elsewhere is not a fresh sender
            c.segment.inject(ATTACKER, CarpLink.GROUP, 255, old);
            c.run(Duration.ofMillis(300));
        }
        assertThat(b.status().stats().replayed()).isEqualTo(5);
        assertThat(b.status().stats().badAuth()).isEqualTo(10);
        assertThat(b.state()).isEqualTo(CarpState.BACKUP);
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("a");
        // and strict mode still elects and fails over
        c.node("a").kill();
        assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
    }

    @Test
    void nodesWithDifferentModesDoNotHearEachOther() {
        SimCarpCluster c = new SimCarpCluster(21);
        c.add("a", 1, "advskew 0 auth strict");
        c.add("b", 2, "advskew 100");
        c.node("a").start();
        c.node("b").start();
        c.run(Duration.ofSeconds(10));
        assertThat(c.masters()).hasSize(2);
        assertThat(c.node("b").status().stats().badAuth()).isPositive();
        assertThat(c.node("a").status().stats().badAuth()).isPositive();
    }

    private static CarpAdvertisement decode(byte[] p) {
        try {
            return CarpAdvertisement.decode(p);
        } catch (MalformedAdvertisement e) {
            throw new AssertionError(e);
        }
    }
}
