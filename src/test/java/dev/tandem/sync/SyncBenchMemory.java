package dev.tandem.sync;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap figures for {@link SyncBench}, best effort from the JVM's management
 * beans: heap in use after a full collection (what is live), heap in use
 * sampled every millisecond by a thread of its own (the peak includes
 * garbage not collected yet), collections and bytes allocated while a
 * {@link Watch} runs.
 */
final class SyncBenchMemory {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long SAMPLE_NANOS = 1_000_000;

    private SyncBenchMemory() {
    }

    /** Heap in use after full collections: about what is live. */
    static long liveHeap() {
        // two rounds: the first may leave what finalization and reference processing free only later
        System.gc();
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    static long heapUsed() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Bytes allocated by every thread so far, or -1 where the JVM does not count them. */
    static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /** Stop-the-world collections so far (G1's concurrent cycles are not pauses and are left out): count and ms. */
    static long[] pauses() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Concurrent")) {
                continue;
            }
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** What happened to the heap between {@link #start} and {@link Watch#stop}. */
    record Usage(long peakHeapUsed, long allocated, long pauses, long pauseMillis) { }

    static Watch start() {
        Watch w = new Watch();
        w.thread.start();
        return w;
    }

    static final class Watch {

        private final long allocatedAtStart = allocatedBytes();
        private final long[] pausesAtStart = pauses();
        private volatile boolean running = true;
        private volatile long peak = heapUsed();
        private final Thread thread = Thread.ofPlatform().name("heap-sampler").daemon(true).unstarted(this::sample);

        private void sample() {
            while (running) {
                long used = heapUsed();
                if (used > peak) {
                    peak = used;
                }
                LockSupport.parkNanos(SAMPLE_NANOS);
            }
        }

        Usage stop() throws InterruptedException {
            running = false;
            thread.join();
            long used = heapUsed();
            long[] p = pauses();
            long allocated = allocatedBytes();
            return new Usage(Math.max(peak, used), allocated < 0 || allocatedAtStart < 0 ? -1
                    : allocated - allocatedAtStart, p[0] - pausesAtStart[0], p[1] - pausesAtStart[1]);
        }
    }
}
