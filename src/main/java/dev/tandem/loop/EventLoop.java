package dev.tandem.loop;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The one thread a node's control plane (CARP, sync, IKE, control requests)
 * runs on, and the clock it reads. Handlers never block; I/O completions and
 * timer firings arrive as tasks. Production runs a real thread on the
 * monotonic clock ({@link ThreadEventLoop}); the simulator runs many nodes'
 * loops on one virtual clock, deterministically.
 */
public interface EventLoop extends Executor {

    /** Monotonic time in nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Queues {@code task} to run on the loop; callable from any thread. */
    @Override
    void execute(Runnable task);

    /** Runs {@code task} on the loop after {@code delay}; callable from any thread. */
    Timer schedule(Duration delay, Runnable task);

    /** Whether the caller is running on this loop. */
    boolean inLoop();
}
