package dev.tandem.sadb;

import dev.tandem.esp.ReplayWindow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * A live SA: its definition and the state the data plane keeps for it.
 * Lookups never lock; the counters are atomics, safe from any thread; the
 * replay window takes this SA's own short lock (as the Linux kernel does),
 * held only to check or record one sequence number.
 */
public final class SecurityAssociation {

    /** Without ESN, ask for a rekey this far before the 32-bit sequence space ends. */
    static final long SEQUENCE_SOFT_MARGIN = 1L << 26;
    private static final long SEQUENCE_MAX_32 = 0xffff_ffffL;

    private final SaSpec spec;
    private final long addedNanos;
    private final Consumer<SadbEvent> events;
    private final Milestones milestones;

    private final AtomicLong lastSequence = new AtomicLong();
    private final ReplayWindow replay;
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final AtomicBoolean softFired = new AtomicBoolean();
    private final AtomicBoolean hardFired = new AtomicBoolean();
    private volatile boolean dead;
    /**
     * Its place among the SAs towards the same peer in the SADB's index, set
     * once when indexed, on the SADB's writer thread, before the SA is
     * published (so every thread that finds the SA sees it).
     */
    long indexOrder;

    SecurityAssociation(SaSpec spec, long addedNanos, Consumer<SadbEvent> events) {
        this(spec, addedNanos, events, Milestones.NONE);
    }

    SecurityAssociation(SaSpec spec, long addedNanos, Consumer<SadbEvent> events, Milestones milestones) {
        this.spec = spec;
        this.addedNanos = addedNanos;
        this.events = events;
        this.milestones = milestones;
        this.replay = new ReplayWindow(spec.replayWindow(), spec.esn());
    }

    public SaSpec spec() {
        return spec;
    }

    public SaId id() {
        return spec.id();
    }

    long addedNanos() {
        return addedNanos;
    }

    /** False once deleted or hard-expired: the data plane must not use it any more. */
    public boolean alive() {
        return !dead;
    }

    void kill() {
        dead = true;
    }

    // ---- outbound -------------------------------------------------------

    /**
     * The next outbound sequence number, never one used before; -1 when the
     * sequence space is exhausted (2^32 - 1 without ESN), which also expires
     * the SA: it must be replaced, never wrapped.
     */
    public long nextSequence() {
        long s = lastSequence.incrementAndGet();
        milestones.check(this, s);
        if (!spec.esn()) {
            if (s > SEQUENCE_MAX_32) {
                lastSequence.set(SEQUENCE_MAX_32 + 1);
                expire(true);
                return -1;
            }
            if (s >= SEQUENCE_MAX_32 - SEQUENCE_SOFT_MARGIN) {
                expire(false);
            }
        } else if (s == 0) {
            return -1;
        }
        return s;
    }

    /** The last outbound sequence number used, the value replication carries. */
    public long lastSequence() {
        return lastSequence.get();
    }

    /** Moves the outbound counter forward (after a takeover); it never moves back. */
    public void advanceSequence(long to) {
        lastSequence.accumulateAndGet(to, Math::max);
    }

    // ---- inbound --------------------------------------------------------

    /**
     * The full sequence number for a received packet, or -1 when the replay
     * window already rejects it. Nothing is recorded until {@link #accept}.
     */
    public long checkReplay(int sequenceLow) {
        synchronized (replay) {
            long s = replay.infer(sequenceLow);
            return replay.check(s) == ReplayWindow.Verdict.NEW ? s : -1;
        }
    }

    /**
     * Records an authenticated packet's sequence number. False when another
     * thread accepted the same number meanwhile: the packet is a replay.
     */
    public boolean accept(long sequence) {
        synchronized (replay) {
            if (replay.check(sequence) != ReplayWindow.Verdict.NEW) {
                return false;
            }
            replay.accept(sequence);
        }
        milestones.check(this, sequence);
        return true;
    }

    /** Highest inbound sequence number accepted. */
    public long replayTop() {
        synchronized (replay) {
            return replay.top();
        }
    }

    /** Takes over a replicated inbound position: everything up to it counts as seen. */
    public void restoreReplay(long top) {
        synchronized (replay) {
            replay.restore(top);
        }
    }

    // ---- counters and lifetimes -----------------------------------------

    /** Takes over replicated traffic counters: they only move up. */
    public void restoreCounters(long packetCount, long byteCount) {
        packets.accumulateAndGet(packetCount, Math::max);
        bytes.accumulateAndGet(byteCount, Math::max);
    }

    /** Counts one protected packet of {@code payloadBytes} and fires byte/packet lifetimes. */
    public void count(int payloadBytes) {
        long p = packets.incrementAndGet();
        long b = bytes.addAndGet(payloadBytes);
        if (spec.hard().reached(0, b, p)) {
            expire(true);
        } else if (spec.soft().reached(0, b, p)) {
            expire(false);
        }
    }

    public void drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    public long packets() {
        return packets.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    /** Fires the time lifetimes; called by the SADB's clock tick. */
    void checkAge(long nowNanos) {
        long age = (nowNanos - addedNanos) / 1_000_000_000L;
        if (spec.hard().reached(age, 0, 0)) {
            expire(true);
        } else if (spec.soft().reached(age, 0, 0)) {
            expire(false);
        }
    }

    private void expire(boolean hard) {
        if (hard) {
            if (hardFired.compareAndSet(false, true)) {
                dead = true;
                events.accept(new SadbEvent.Expired(spec.id(), true));
            }
        } else if (softFired.compareAndSet(false, true)) {
            events.accept(new SadbEvent.Expired(spec.id(), false));
        }
    }

    @Override
    public String toString() {
        return "SA[" + spec.id() + "]";
    }
}
