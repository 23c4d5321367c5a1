package dev.tandem.sim;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A simulated world: one virtual clock, one seeded random source and one
 * queue of events for every node in it. Events run one at a time in order of
 * time, then of scheduling, so the same seed replays the same run exactly.
 */
public final class SimWorld {

    /** Virtual time starts here rather than at 0, so code that treats 0 as "never" is not fooled. */
    private static final long EPOCH = Duration.ofHours(1).toNanos();

    private final long seed;
    private final SplittableRandom random;
    private final PriorityQueue<SimEvent> queue = new PriorityQueue<>();
    private long now = EPOCH;
    private long sequence;
    private SimLoop running;

    public SimWorld(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** Virtual nanoseconds. */
    public long now() {
        return now;
    }

    /** Virtual time elapsed since the world began. */
    public Duration elapsed() {
        return Duration.ofNanos(now - EPOCH);
    }

    /** The world's random source; components that need their own stream take a {@link #fork()}. */
    public RandomGenerator random() {
        return random;
    }

    /** An independent random stream derived from the world's, for one component. */
    public RandomGenerator fork() {
        return random.split();
    }

    /** A new event loop for a node (or a fresh one for a restarted node). */
    public SimLoop loop(String node) {
        return new SimLoop(this, node);
    }

    SimEvent post(SimLoop owner, long delayNanos, Runnable task) {
        SimEvent e = new SimEvent(now + Math.max(0, delayNanos), sequence++, owner, task);
        queue.add(e);
        return e;
    }

    SimLoop running() {
        return running;
    }

    /** Runs the next event; false when nothing is left. */
    public boolean step() {
        while (true) {
            SimEvent e = queue.poll();
            if (e == null) {
                return false;
            }
            if (e.cancelled() || !e.owner().alive()) {
                continue;
            }
            now = e.at();
            running = e.owner();
            try {
                e.task().run();
            } finally {
                running = null;
            }
            return true;
        }
    }

    /** Runs every event due within {@code d}, then sets the clock to the end of it. */
    public void run(Duration d) {
        long end = now + d.toNanos();
        while (true) {
            SimEvent next = queue.peek();
            if (next == null || next.at() > end) {
                break;
            }
            step();
        }
        now = Math.max(now, end);
    }

    /**
     * Runs until {@code done} holds, checked after every event, or until {@code max}
     * of virtual time has passed.
     *
     * @return whether {@code done} held
     */
    public boolean runUntil(BooleanSupplier done, Duration max) {
        long end = now + max.toNanos();
        while (!done.getAsBoolean()) {
            SimEvent next = queue.peek();
            if (next == null || next.at() > end) {
                now = Math.max(now, end);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }
}
