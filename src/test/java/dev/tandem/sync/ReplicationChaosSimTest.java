package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.CarpState;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SecurityAssociation;
import dev.tandem.sync.SimSyncCluster.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded chaos for replication: three nodes, steady traffic on a few SAs
 * sent by whichever node is master, and random kills, restarts and cuts of
 * the sync link at random moments. Checked after every simulated millisecond:
 * no sequence number ever goes out twice on an SA (what the remote peer's
 * anti-replay check would punish); at the end, on a healed network: one
 * master, and every node holds every SA, unless at some moment no live node
 * had them (the cluster was down in effect: then all agree with the master).
 * A failing seed is in the name.
 */
class ReplicationChaosSimTest {

    private static final int SAS = 4;
    private static final int PACKETS_PER_MS = 3;

    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= 40; i++) {
            s.add(i * 104_729);
        }
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noSequenceNumberTwiceAndEveryoneEndsWithEverySa(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        SimSyncCluster c = ReplicationSimTest.cluster(seed, 3);
        Node first = c.masters().getFirst();
        for (int i = 0; i < SAS; i++) {
            ReplicationSimTest.add(first, 0x8000 + 2 * i);
        }
        Map<SaId, Long> highest = new HashMap<>();
        boolean stateLost = false;
        List<Node> nodes = List.copyOf(c.nodes.values());
        long endOfChaos = c.world.now() + Duration.ofSeconds(40).toNanos();
        long nextEvent = c.world.now() + r.nextLong(500, 5_000) * 1_000_000;
        while (c.world.now() < endOfChaos + Duration.ofSeconds(20).toNanos()) {
            if (c.world.now() >= nextEvent && c.world.now() < endOfChaos) {
                chaos(c, nodes, r);
                nextEvent = c.world.now() + r.nextLong(500, 5_000) * 1_000_000;
            }
            if (c.world.now() >= endOfChaos) {
                c.streams.heal();
                nodes.stream().filter(n -> !n.alive()).forEach(Node::start);
            }
            for (Node m : c.masters()) {
                m.run(() -> send(m, highest));
            }
            c.run(Duration.ofMillis(1));
            // the state survives as long as one live node has it; if none has, the cluster was in effect down
            stateLost |= nodes.stream().noneMatch(n -> n.alive() && n.sadb.sas().size() == SAS);
        }
        assertThat(c.masters()).hasSize(1);
        for (Node n : nodes) {
            assertThat(n.sadb.sas()).as(n.name).hasSize(stateLost ? c.masters().getFirst().sadb.sas().size() : SAS);
        }
    }

    /** The master sends a few packets on every SA; each sequence number must be new for that SA. */
    private static void send(Node m, Map<SaId, Long> highest) {
        for (SecurityAssociation sa : m.sadb.sas()) {
            if (m.sadb.outboundHold(sa) != null) {
                // the data plane drops it: this node is not master of the VIP (yet)
                continue;
            }
            for (int i = 0; i < PACKETS_PER_MS; i++) {
                long seq = sa.nextSequence();
                Long before = highest.get(sa.id());
                assertThat(before == null || seq > before).as("%s on %s: sequence %d after %d", sa.id(), m.name,
                        seq, before).isTrue();
                highest.put(sa.id(), seq);
            }
        }
    }

    private static void chaos(SimSyncCluster c, List<Node> nodes, SplittableRandom r) {
        Node n = nodes.get(r.nextInt(nodes.size()));
        switch (r.nextInt(4)) {
            case 0 -> {
                long alive = nodes.stream().filter(Node::alive).count();
                if (n.alive() && alive > 1) {
                    n.kill();
                }
            }
            case 1 -> {
                if (!n.alive()) {
                    n.start();
                }
            }
            case 2 -> c.streams.partition(List.of(n.address));
            default -> c.streams.heal();
        }
        // CARP itself never splits here: two masters sending to one peer is split brain, not replication
        assertThat(c.masters().stream().filter(m -> m.state() == CarpState.MASTER).count()).isLessThanOrEqualTo(1);
    }
}
