package dev.tandem.carp;

import java.util.function.LongSupplier;

/**
 * The counter a strict-mode sender puts in its advertisements: microseconds
 * of wall-clock time, so it also increases across restarts, and one more than
 * the last value when the clock has not advanced or went back, so it never
 * repeats within a run.
 */
public final class StrictCounter {

    private final LongSupplier wallClockMicros;
    private long last;

    /** @param wallClockMicros microseconds since the epoch */
    public StrictCounter(LongSupplier wallClockMicros) {
        this.wallClockMicros = wallClockMicros;
    }

    /** The counter for the next advertisement: greater than every one before. */
    public long next() {
        long now = wallClockMicros.getAsLong();
        last = now > last ? now : last + 1;
        return last;
    }
}
