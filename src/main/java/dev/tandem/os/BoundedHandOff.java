package dev.tandem.os;

import dev.tandem.loop.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands work from a reader thread to an event loop, at most {@code limit}
 * tasks outstanding: a flood on the wire (or a loop that stalls) costs
 * dropped packets, counted, never an ever-growing queue on the loop.
 */
final class BoundedHandOff {

    private final EventLoop loop;
    private final int limit;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    BoundedHandOff(EventLoop loop, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.loop = loop;
        this.limit = limit;
    }

    /** Queues {@code task} on the loop; false (and counted) when too many are waiting or the loop refuses. */
    boolean offer(Runnable task) {
        if (outstanding.incrementAndGet() > limit) {
            outstanding.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        try {
            loop.execute(() -> {
                outstanding.decrementAndGet();
                task.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            outstanding.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
    }

    long dropped() {
        return dropped.get();
    }

    int outstanding() {
        return outstanding.get();
    }
}
