package dev.tandem.loop;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production loop: one platform thread on {@link System#nanoTime()}. A
 * task that throws is logged and the loop goes on, so one bad handler cannot
 * stop the node's control plane.
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadEventLoop.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public ThreadEventLoop(String name) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Thread.ofPlatform().name(name).daemon(true).unstarted(r);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The executor itself, for code that waits for a task's result. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("control-plane task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
