package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance test of replication, "true failover with manual keys": gwa
 * and gwb run tandemd with CARP (WAN and LAN VIP) and sync, the peer gp runs
 * tandemd with the matching manual SAs, and a 1,000 packets/s
 * sequence-numbered UDP stream flows each way between ha (behind the
 * cluster) and hp (behind gp). Through kill -9 of the master, its restart
 * (fail-back once it is synced), a graceful handover by demotion and the
 * return by preemption, traffic must resume within 3 x (advbase +
 * advskew/256) + 200 ms of the node that takes over, and the peer must drop
 * nothing as a replay, with a bad ICV or for want of an SA: it never notices.
 */
@Tag("netns")
class ClusterFailoverLabTest {

    private static final int RATE = 1000;
    /** Longest a stream runs; the records are sized for it. */
    private static final int STREAM_SECONDS = 300;
    private static final Duration LONG = Duration.ofSeconds(20);
    /** Traffic sent before a window closes has this long to arrive before the window is read. */
    private static final long TAIL_NANOS = 500_000_000L;
    private static final List<String> PEER_DROPS = List.of("replay", "bad-icv", "no-sa");
    /** gwa's SA to the peer, and the peer's to the cluster. */
    private static final String SPI_OUT = "0x00002001";
    private static final String SPI_IN = "0x00002002";

    @BeforeAll
    static void needs() {
        Needs.need(Lab.root(), "the failover lab needs root: network namespaces, TUN devices, raw sockets");
    }

    /** Both directions of the traffic between ha and hp. */
    private record Streams(SequencedStream up, SequencedStream down) {

        /** Both receivers see datagrams sent at or after {@code nanos}: traffic flows both ways. */
        void awaitDelivered(long nanos) throws InterruptedException {
            up.awaitDelivered(nanos, LONG);
            down.awaitDelivered(nanos, LONG);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"esp", "udpencap"})
    void trueFailoverWithManualKeys(String encapsulation) throws Exception {
        ClusterConf conf = ClusterConf.random(encapsulation.equals("udpencap"));
        List<String> report = new ArrayList<>();
        Map<String, Lab.Daemon> daemons = new LinkedHashMap<>();
        try (Lab lab = Lab.cluster()) {
            Lab.Daemon gp = lab.tandemd(Lab.GP, conf.peer());
            daemons.put(Lab.GP, gp);
            NodeStatus gpBefore = NodeStatus.of(gp);
            Lab.Daemon a = lab.tandemd(Lab.GWA, conf.node(Lab.GWA));
            daemons.put(Lab.GWA, a);
            IkeClusterLab.awaitInterfaces(a, 0, "MASTER");
            Lab.Daemon b = lab.tandemd(Lab.GWB, conf.node(Lab.GWB));
            daemons.put(Lab.GWB, b);
            b.log().await(0, "sync: snapshot from " + ClusterConf.syncAddress(Lab.GWA) + " applied", LONG);
            IkeClusterLab.awaitInterfaces(b, 0, "BACKUP");

            try (SequencedStream up = SequencedStream.start("ha->hp", lab.ns(Lab.HA), lab.ns(Lab.HP), "10.2.0.10",
                    40001, RATE, STREAM_SECONDS);
                 SequencedStream down = SequencedStream.start("hp->ha", lab.ns(Lab.HP), lab.ns(Lab.HA),
                         "10.1.0.10", 40002, RATE, STREAM_SECONDS)) {
                Streams s = new Streams(up, down);
                s.awaitDelivered(System.nanoTime());
                awaitCountersReplicated(a, b);

                // 1. the master dies: gwb takes over when gwa's advertisements stop
                int mb = b.log().mark();
                long t0 = System.nanoTime();
                a.process().destroyForcibly();
                IkeClusterLab.awaitInterfaces(b, mb, "MASTER");
                b.log().await(mb, "sync: BACKUP -> MASTER", LONG);
                report.add(measure("kill -9 of master gwa", Lab.GWB, t0, s, gp, gpBefore, Map.of(Lab.GWB, b)));

                // 2. gwa returns: BACKUP and demoted until gwb's snapshot is in, then it preempts (fail-back)
                mb = b.log().mark();
                t0 = System.nanoTime();
                Lab.Daemon a2 = lab.tandemd(Lab.GWA, conf.node(Lab.GWA));
                daemons.put(Lab.GWA + " (restarted)", a2);
                LogLines.Line synced = a2.log().await(0, "sync: snapshot from " + ClusterConf.syncAddress(Lab.GWB)
                        + " applied", LONG);
                IkeClusterLab.awaitInterfaces(a2, 0, "MASTER");
                IkeClusterLab.awaitInterfaces(b, mb, "BACKUP");
                ClusterChecks.assertNotMasterBefore(a2, synced);
                report.add(measure("fail-back: gwa restarted, synced, preempts", Lab.GWA, t0, s, gp, gpBefore,
                        Map.of(Lab.GWA, a2, Lab.GWB, b)));
                awaitCountersReplicated(a2, b);

                // 3. graceful failover: the master demotes itself and gwb takes over at once
                mb = b.log().mark();
                int ma = a2.log().mark();
                t0 = System.nanoTime();
                demote(lab, a2, "+1");
                IkeClusterLab.awaitInterfaces(b, mb, "MASTER");
                IkeClusterLab.awaitInterfaces(a2, ma, "BACKUP");
                report.add(measure("graceful: carp demote +1 on gwa", Lab.GWB, t0, s, gp, gpBefore,
                        Map.of(Lab.GWA, a2, Lab.GWB, b)));
                awaitCountersReplicated(b, a2);

                // 4. and back: demotion lifted, gwa preempts
                mb = b.log().mark();
                ma = a2.log().mark();
                t0 = System.nanoTime();
                demote(lab, a2, "-1");
                IkeClusterLab.awaitInterfaces(a2, ma, "MASTER");
                IkeClusterLab.awaitInterfaces(b, mb, "BACKUP");
                report.add(measure("graceful: carp demote -1 on gwa, it preempts", Lab.GWA, t0, s, gp, gpBefore,
                        Map.of(Lab.GWA, a2, Lab.GWB, b)));
                System.out.println(up.problems() + "; " + down.problems());
            }
        } catch (AssertionError | Exception e) {
            // what the daemons said is what explains a failure
            daemons.forEach((name, d) -> System.out.println("---- log of " + name + " ----\n" + d.log()));
            throw e;
        }
        System.out.println("true failover with manual keys, " + encapsulation + ", " + RATE + " packets/s each way:");
        report.forEach(l -> System.out.println("  " + l));
    }

    /**
     * Reads what an event did to both streams: first traffic must flow both
     * ways again (datagrams sent after the takeover arrive), then the window
     * from the event to that moment is checked against the bound of the node
     * that took over, and the peer's drop counters against their start.
     */
    private static String measure(String event, String takingOver, long t0, Streams s, Lab.Daemon gp,
                                  NodeStatus gpBefore, Map<String, Lab.Daemon> cluster) throws Exception {
        s.awaitDelivered(System.nanoTime());
        long end = System.nanoTime();
        s.awaitDelivered(end + TAIL_NANOS);
        SequencedStream.Window up = s.up().window(t0, end);
        SequencedStream.Window down = s.down().window(t0, end);
        double bound = ClusterConf.boundMs(takingOver);
        Map<String, String> drops = new TreeMap<>();
        for (var e : cluster.entrySet()) {
            drops.put(e.getKey(), NodeStatus.of(e.getValue()).nonZeroDrops());
        }
        String line = "%s (bound %.0f ms): %s; %s; cluster drops %s".formatted(event, bound, up, down, drops);
        System.out.println(line);
        NodeStatus peer = NodeStatus.of(gp);
        for (String reason : PEER_DROPS) {
            assertThat(peer.drops(reason)).as("gp's %s drops after %s (%s)", reason, event, peer.nonZeroDrops())
                    .isEqualTo(gpBefore.drops(reason));
        }
        for (SequencedStream.Window w : List.of(up, down)) {
            assertThat(w.gapMs()).as(line).isLessThanOrEqualTo(bound);
            assertThat(w.duplicates()).as(line).isZero();
            assertThat(w.sent()).as(line).isPositive();
        }
        return line;
    }

    private static void demote(Lab lab, Lab.Daemon d, String delta) throws Exception {
        Lab.Result r = lab.tandem("carp", "demote", delta, "--control", d.control().toString());
        assertThat(r.status()).as(r.out()).isZero();
    }

    /**
     * Waits until the backup holds the master's outbound sequence number and
     * inbound replay position, as the master reported them (every 100 ms):
     * replication of counters works before an event tests it. No log line
     * marks a counter update, so this asks for status until a deadline.
     */
    private static void awaitCountersReplicated(Lab.Daemon master, Lab.Daemon backup) throws Exception {
        NodeStatus m = NodeStatus.of(master);
        long out = m.sa(SPI_OUT, "sequence_out");
        long in = m.sa(SPI_IN, "replay_top");
        assertThat(out).as("the master sent traffic").isPositive();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            NodeStatus b = NodeStatus.of(backup);
            if (b.sa(SPI_OUT, "sequence_out") >= out && b.sa(SPI_IN, "replay_top") >= in) {
                return;
            }
            assertThat(System.nanoTime()).as("backup has sequence %d and replay top %d of the master's %d and %d",
                    b.sa(SPI_OUT, "sequence_out"), b.sa(SPI_IN, "replay_top"), out, in).isLessThan(deadline);
        }
    }
}
