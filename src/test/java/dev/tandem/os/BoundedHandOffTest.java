package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The reader-to-loop hand-off never lets more than its limit wait on the loop. */
class BoundedHandOffTest {

    /** A loop that runs nothing until told to, so the queue can be inspected. */
    static final class HeldLoop implements EventLoop {
        final Queue<Runnable> tasks = new ArrayDeque<>();
        boolean refuse;

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void execute(Runnable task) {
            if (refuse) {
                throw new RejectedExecutionException("closed");
            }
            tasks.add(task);
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean inLoop() {
            return true;
        }

        void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    void dropsAndCountsBeyondTheLimitUntilTheLoopCatchesUp() {
        HeldLoop loop = new HeldLoop();
        BoundedHandOff h = new BoundedHandOff(loop, 4);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            assertThat(h.offer(() -> ran.add(n))).isEqualTo(i < 4);
        }
        assertThat(loop.tasks).hasSize(4);
        assertThat(h.dropped()).isEqualTo(6);
        assertThat(h.outstanding()).isEqualTo(4);

        loop.runAll();
        assertThat(ran).containsExactly(0, 1, 2, 3);
        assertThat(h.outstanding()).isZero();

        assertThat(h.offer(() -> ran.add(10))).isTrue();
        loop.runAll();
        assertThat(ran).containsExactly(0, 1, 2, 3, 10);
        assertThat(h.dropped()).isEqualTo(6);
    }

    @Test
    void aRefusingLoopCountsAsDroppedAndHoldsNoSlot() {
        HeldLoop loop = new HeldLoop();
        loop.refuse = true;
        BoundedHandOff h = new BoundedHandOff(loop, 1);
        assertThat(h.offer(() -> { })).isFalse();
        assertThat(h.dropped()).isEqualTo(1);
        assertThat(h.outstanding()).isZero();
        loop.refuse = false;
        assertThat(h.offer(() -> { })).isTrue();
    }
}
