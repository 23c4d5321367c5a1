package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.SimCarpCluster.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Elections under seeded packet loss, delay and reordering, with nodes killed
 * and restarted at random moments. While the segment is bad a backup may take
 * over wrongly (three advertisements lost in a row); once it is clean again
 * the cluster must settle on exactly one master holding the VIP: with
 * preemption everywhere, the live node with the smallest advskew. A failing
 * seed is in the test's name and replays exactly.
 */
class CarpLossySimTest {

    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= 60; i++) {
            s.add(i * 7919);
        }
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void convergesToTheBestLiveNodeOnceTheSegmentIsClean(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        SimCarpCluster c = new SimCarpCluster(seed);
        int advbase = r.nextInt(2);
        c.segment.loss(r.nextDouble(0, 0.4))
                .delay(Duration.ofMillis(1), Duration.ofMillis(1 + r.nextInt(advbase == 0 ? 30 : 200)));
        int nodes = 2 + r.nextInt(3);
        for (int i = 0; i < nodes; i++) {
            c.add("n" + i, i + 1, "advbase " + advbase + " advskew " + (10 + 20 * i) + " preempt");
        }
        c.nodes.values().forEach(Node::start);
        for (int step = 0; step < 8; step++) {
            c.run(Duration.ofMillis(r.nextLong(100, advbase == 0 ? 2_000 : 10_000)));
            Node n = new ArrayList<>(c.nodes.values()).get(r.nextInt(nodes));
            switch (r.nextInt(4)) {
                case 0 -> {
                    if (n.alive()) {
                        n.kill();
                    }
                }
                case 1 -> {
                    if (!n.alive()) {
                        n.start();
                    }
                }
                case 2 -> c.segment.partition(List.of(n.address));
                default -> c.segment.heal();
            }
        }
        if (c.nodes.values().stream().noneMatch(Node::alive)) {
            c.nodes.values().iterator().next().start();
        }
        c.segment.heal();
        c.segment.loss(0).delay(Duration.ofMillis(1), Duration.ofMillis(1));
        assertThat(c.settle(Duration.ofMinutes(1))).as("one master within a minute of a clean segment").isTrue();
        // and it stays so: no flapping on a clean segment
        c.run(Duration.ofSeconds(advbase == 0 ? 5 : 30));
        assertThat(c.oneMaster()).as("still one master").isTrue();
        Node best = c.nodes.values().stream().filter(Node::alive)
                .min(Comparator.comparingInt(n -> n.status().advskew())).orElseThrow();
        assertThat(c.masters().getFirst().name).as("the best live node, with preemption").isEqualTo(best.name);
    }
}
