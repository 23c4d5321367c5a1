package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.SimCarpCluster.Node;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Elections on the simulated segment: who becomes master, how fast a backup
 * takes over, preemption, demotion, partitions and ties, all on virtual time.
 */
class CarpElectionSimTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** Master-down time of advbase 1 advskew 100: 3 x (1 + 100/256) s. */
    private static final Duration DOWN_1_100 = Duration.ofNanos(3 * (256 + 100) * (1_000_000_000L / 256));

    /** Nodes a (192.0.2.1) and b (192.0.2.2) with these options, started and settled on one master. */
    static SimCarpCluster settled(long seed, String aOptions, String bOptions) {
        SimCarpCluster c = new SimCarpCluster(seed);
        c.add("a", 1, aOptions).start();
        c.add("b", 2, bOptions).start();
        assertThat(c.settle(MINUTE)).isTrue();
        return c;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    @Test
    void theFasterNodeBecomesMasterAndTheOtherFollows() {
        SimCarpCluster c = settled(1, "advskew 0", "advskew 100");
        Node a = c.node("a");
        Node b = c.node("b");
        c.run(Duration.ofSeconds(30));
        assertThat(c.oneMaster()).isTrue();
        assertThat(a.state()).isEqualTo(CarpState.MASTER);
        assertThat(b.state()).isEqualTo(CarpState.BACKUP);
        assertThat(a.addresses.announcements()).as("gratuitous ARP now and after two more advertisements").isEqualTo(2);
        assertThat(b.status().master()).isEqualTo(a.address);
        assertThat(b.status().stats().accepted()).isGreaterThan(25);
        assertThat(c.log).containsExactly("a carp0 INIT->BACKUP @0", "b carp0 INIT->BACKUP @0",
                "a carp0 BACKUP->MASTER @3000");
    }

    @Test
    void killingTheMasterHandsTheVipToTheBackupWithinItsMasterDownTime() {
        SimCarpCluster c = settled(2, "advskew 0", "advskew 100");
        Node a = c.node("a");
        Node b = c.node("b");
        c.run(Duration.ofMillis(10_321));
        long killed = c.world.now();
        a.kill();
        assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
        long takeover = b.vipSince - killed;
        // the last advertisement left at most one interval (1 s) before the kill
        assertThat(ms(takeover)).isBetween(ms(DOWN_1_100.toNanos()) - 1000, ms(DOWN_1_100.toNanos()) + 5);
        assertThat(b.state()).isEqualTo(CarpState.MASTER);
    }

    @Test
    void preemptionTakesMastershipBackOnlyWhenConfigured() {
        for (boolean preempt : List.of(true, false)) {
            SimCarpCluster c = new SimCarpCluster(3);
            Node a = c.add("a", 1, "advskew 0" + (preempt ? " preempt" : ""));
            Node b = c.add("b", 2, "advskew 100");
            a.start();
            b.start();
            assertThat(c.settle(MINUTE)).isTrue();
            a.kill();
            assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
            a.start();
            c.run(Duration.ofSeconds(20));
            assertThat(c.oneMaster()).isTrue();
            assertThat(c.masters().getFirst().name).as("preempt " + preempt).isEqualTo(preempt ? "a" : "b");
        }
    }

    /** The skew a backup waits before taking over from a master that bows out or is demoted: advskew 100. */
    private static final long SKEW_100_MS = 100 * 1000 / 256;

    @Test
    void demotionMovesMastershipWithoutPreemption() {
        SimCarpCluster c = settled(4, "advskew 0", "advskew 100");
        Node a = c.node("a");
        Node b = c.node("b");
        long before = c.world.now();
        a.demote(+1);
        assertThat(c.world.runUntil(() -> b.holdsVip() && !a.holdsVip(), MINUTE)).isTrue();
        assertThat(ms(c.world.now() - before)).as("the demoted master advertises at once, b waits its skew")
                .isBetween(SKEW_100_MS, SKEW_100_MS + 10);
        assertThat(a.state()).isEqualTo(CarpState.BACKUP);
        assertThat(a.status().demote()).isEqualTo(1);
        c.run(Duration.ofSeconds(20));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("b");
        // lifting the demotion does not move it back: a does not preempt
        a.demote(-1);
        c.run(Duration.ofSeconds(20));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("b");
    }

    @Test
    void aLostLinkDemotesAndHandsOverAndTheNodeReturnsAsBackup() {
        SimCarpCluster c = settled(5, "advskew 0", "advskew 100");
        Node a = c.node("a");
        Node b = c.node("b");
        c.segment.carrier(a.address, false);
        assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
        assertThat(a.state()).isEqualTo(CarpState.INIT);
        assertThat(a.holdsVip()).isFalse();
        assertThat(a.carp.demotion().of("carp")).isEqualTo(1);
        c.segment.carrier(a.address, true);
        c.run(Duration.ofSeconds(20));
        assertThat(a.state()).isEqualTo(CarpState.BACKUP);
        assertThat(a.carp.demotion().of("carp")).isZero();
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("b");
    }

    @Test
    void aHealedPartitionConvergesToTheBetterMaster() {
        SimCarpCluster c = new SimCarpCluster(6);
        Node a = c.add("a", 1, "advskew 0");
        Node b = c.add("b", 2, "advskew 100");
        Node d = c.add("d", 3, "advskew 200");
        a.start();
        b.start();
        d.start();
        assertThat(c.settle(MINUTE)).isTrue();
        c.segment.partition(List.of(a.address), List.of(b.address, d.address));
        c.run(Duration.ofSeconds(10));
        assertThat(c.masters()).extracting(n -> n.name).containsExactlyInAnyOrder("a", "b");
        assertThat(d.state()).isEqualTo(CarpState.BACKUP);
        c.segment.heal();
        assertThat(c.settle(Duration.ofSeconds(5))).isTrue();
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("a");
        c.run(Duration.ofSeconds(30));
        assertThat(c.oneMaster()).isTrue();
    }

    @Test
    void equalNodesBreakTheTieByAddress() {
        SimCarpCluster c = new SimCarpCluster(7);
        Node a = c.add("a", 1, "advskew 50");
        Node b = c.add("b", 2, "advskew 50");
        c.segment.partition(List.of(a.address), List.of(b.address));
        a.start();
        b.start();
        c.run(Duration.ofSeconds(10));
        assertThat(c.masters()).hasSize(2);
        c.segment.heal();
        assertThat(c.settle(Duration.ofSeconds(3))).isTrue();
        assertThat(c.masters()).extracting(n -> n.name).as("the higher address stays").containsExactly("b");
        c.run(Duration.ofSeconds(30));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("b");
    }

    @Test
    void aStoppingMasterBowsOutAndTheBackupTakesOverAfterItsSkew() {
        SimCarpCluster c = settled(8, "advskew 0", "advskew 100");
        Node a = c.node("a");
        Node b = c.node("b");
        long before = c.world.now();
        a.stop();
        assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
        assertThat(ms(c.world.now() - before)).as("not its master-down time of 3 x 356/256 s")
                .isBetween(SKEW_100_MS, SKEW_100_MS + 10);
    }

    @Test
    void aBackupWithoutSkewTakesOverAtOnce() {
        SimCarpCluster c = settled(10, "advskew 0", "advskew 0");
        List<Node> masters = c.masters();
        Node master = masters.getFirst();
        Node backup = c.node(master.name.equals("a") ? "b" : "a");
        long before = c.world.now();
        master.stop();
        assertThat(c.world.runUntil(backup::holdsVip, MINUTE)).isTrue();
        assertThat(ms(c.world.now() - before)).isLessThan(10);
    }

    /** Nodes a, b and d with advskew 10, 20 and 30 (advbase 0), settled on a as master. */
    private static SimCarpCluster threeNodes(long seed) {
        SimCarpCluster c = new SimCarpCluster(seed);
        for (String[] n : new String[][] {{"a", "1", "10"}, {"b", "2", "20"}, {"d", "3", "30"}}) {
            c.add(n[0], Integer.parseInt(n[1]), "advbase 0 advskew " + n[2]).start();
        }
        assertThat(c.settle(MINUTE)).isTrue();
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("a");
        return c;
    }

    /**
     * Of three nodes, only the best backup takes over from a master that bows
     * out or is demoted: the other waits longer, hears it and follows. At once,
     * both would be master for a moment, sending on the same SAs.
     */
    @ParameterizedTest(name = "the master {0}")
    @ValueSource(strings = {"bows out", "is demoted"})
    void ofTwoBackupsOnlyTheBestTakesOver(String how) {
        SimCarpCluster c = threeNodes(11);
        Node a = c.node("a");
        int before = c.log.size();
        if (how.equals("bows out")) {
            a.stop();
        } else {
            a.demote(+1);
        }
        c.run(Duration.ofSeconds(5));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("b");
        assertThat(c.log.subList(before, c.log.size())).as("transitions to MASTER")
                .filteredOn(t -> t.contains("->MASTER")).singleElement().asString().startsWith("b ");
    }

    @Test
    void threeNodesHandOverInOrderOfSkew() {
        SimCarpCluster c = threeNodes(9);
        Node a = c.node("a");
        Node b = c.node("b");
        Node d = c.node("d");
        long killed = c.world.now();
        a.kill();
        assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
        // 3 x 20/256 s = 234 ms
        assertThat(ms(b.vipSince - killed)).isBetween(190L, 240L);
        c.run(Duration.ofSeconds(5));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("b");
        b.kill();
        assertThat(c.world.runUntil(d::holdsVip, MINUTE)).isTrue();
        c.run(Duration.ofSeconds(5));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("d");
    }

    @Test
    void theSameSeedReplaysTheSameElection() {
        assertThat(lossyRun(42)).isEqualTo(lossyRun(42));
    }

    private static List<String> lossyRun(long seed) {
        SimCarpCluster c = new SimCarpCluster(seed);
        c.segment.loss(0.3).delay(Duration.ofMillis(1), Duration.ofMillis(40));
        Node a = c.add("a", 1, "advbase 0 advskew 20");
        Node b = c.add("b", 2, "advbase 0 advskew 40");
        a.start();
        b.start();
        c.run(Duration.ofSeconds(20));
        a.kill();
        c.run(Duration.ofSeconds(5));
        a.start();
        c.run(Duration.ofSeconds(20));
        return List.copyOf(c.log);
    }

    @Test
    void unicastCarppeerWorksBothWays() {
        SimCarpCluster c = settled(10, "advskew 0 carppeer 192.0.2.2", "advskew 100 carppeer 192.0.2.1");
        Node a = c.node("a");
        Node b = c.node("b");
        c.run(Duration.ofSeconds(10));
        assertThat(c.masters()).extracting(n -> n.name).containsExactly("a");
        assertThat(b.status().stats().accepted()).isPositive();
        a.kill();
        assertThat(c.world.runUntil(b::holdsVip, MINUTE)).isTrue();
    }

    @Test
    void aMulticastAdvertisementIsNotTakenByAUnicastHost() {
        SimCarpCluster c = new SimCarpCluster(11);
        Node a = c.add("a", 1, "advskew 0");
        Node b = c.add("b", 2, "advskew 100 carppeer 192.0.2.1");
        a.start();
        b.start();
        c.run(Duration.ofSeconds(10));
        assertThat(b.status().stats().wrongDestination()).isPositive();
        assertThat(b.status().stats().accepted()).isZero();
        assertThat(c.masters()).hasSize(2);
        assertThat(IpAddress.parse("192.0.2.1").orElseThrow()).isEqualTo(a.address);
    }

    @Test
    void eachVhidElectsItsOwnMasterAndGroupsDemoteOnlyTheirMembers() {
        SimCarpCluster c = new SimCarpCluster(12);
        InterfaceAddress vip2 = new InterfaceAddress(IpAddress.parse("198.51.100.2").orElseThrow(), 24);
        // a is preferred for vhid 1, b for vhid 2 (the usual active/active pair); carp1 is in group uplinks
        Node a = c.addWithConf("a", 1, """
                carp0 vhid 1 carpdev wan0 pass p advskew 0 198.51.100.1/24
                carp1 vhid 2 carpdev wan0 pass p advskew 100 group uplinks 198.51.100.2/24
                """);
        Node b = c.addWithConf("b", 2, """
                carp0 vhid 1 carpdev wan0 pass p advskew 100 198.51.100.1/24
                carp1 vhid 2 carpdev wan0 pass p advskew 0 group uplinks 198.51.100.2/24
                """);
        a.start();
        b.start();
        c.run(Duration.ofSeconds(10));
        assertThat(a.state("carp0")).isEqualTo(CarpState.MASTER);
        assertThat(b.state("carp1")).isEqualTo(CarpState.MASTER);
        assertThat(a.holds(SimCarpCluster.VIP)).isTrue();
        assertThat(b.holds(vip2)).isTrue();
        assertThat(a.holds(vip2)).isFalse();
        // demoting group uplinks on b moves only vhid 2; vhid 1 stays where it is
        b.demote("uplinks", 1);
        c.run(Duration.ofSeconds(1));
        assertThat(a.state("carp1")).isEqualTo(CarpState.MASTER);
        assertThat(a.state("carp0")).isEqualTo(CarpState.MASTER);
        assertThat(b.state("carp0")).isEqualTo(CarpState.BACKUP);
        assertThat(a.holds(vip2)).isTrue();
        assertThat(b.holds(vip2)).isFalse();
        // demoting group carp on a (both interfaces are in it) hands vhid 1 to b
        a.demote("carp", 1);
        c.run(Duration.ofSeconds(1));
        assertThat(b.state("carp0")).isEqualTo(CarpState.MASTER);
    }

    @Test
    void hookScriptsRunOnEveryTransitionOfTheirInterfaceOnly() {
        SimCarpCluster c = settled(13, "advskew 0 hook /etc/tandem/carp-hook", "advskew 100");
        Node a = c.node("a");
        Node b = c.node("b");
        a.stop();
        c.run(Duration.ofSeconds(1));
        assertThat(c.hookRuns).containsExactly("a /etc/tandem/carp-hook BACKUP", "a /etc/tandem/carp-hook MASTER",
                "a /etc/tandem/carp-hook INIT");
    }
}
