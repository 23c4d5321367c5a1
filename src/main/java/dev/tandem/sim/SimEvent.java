package dev.tandem.sim;

import dev.tandem.loop.Timer;

/** One scheduled task of a simulated node; ordered by time, then by the order of scheduling. */
final class SimEvent implements Comparable<SimEvent>, Timer {

    private final long at;
    private final long sequence;
    private final SimLoop owner;
    private final Runnable task;
    private boolean cancelled;

    SimEvent(long at, long sequence, SimLoop owner, Runnable task) {
        this.at = at;
        this.sequence = sequence;
        this.owner = owner;
        this.task = task;
    }

    long at() {
        return at;
    }

    SimLoop owner() {
        return owner;
    }

    Runnable task() {
        return task;
    }

    boolean cancelled() {
        return cancelled;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public int compareTo(SimEvent o) {
        int c = Long.compare(at, o.at);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
