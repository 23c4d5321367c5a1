package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Strict mode's defence against replayed advertisements: for each source
 * address it keeps the highest counter accepted and accepts only greater ones.
 * A source it has not seen (since it started, or since it forgot it) is
 * accepted only with a counter within {@link #WINDOW_MICROS} of its own wall
 * clock, so an advertisement captured earlier cannot be replayed to a freshly
 * started node. Strict mode therefore needs the nodes' clocks within a minute
 * of each other (NTP); a sender whose clock steps back is refused until it has
 * passed its old counter again.
 *
 * <p>Memory is bounded: beyond {@link #MAX_SOURCES} sources the one heard from
 * longest ago is forgotten. Call only after the MAC verified, otherwise a
 * forger could raise the stored counter of a real sender. Not thread-safe:
 * used from the node's event loop.
 */
public final class ReplayGuard {

    /** How far a counter from an unknown source may be from our clock: 60 s. */
    public static final long WINDOW_MICROS = 60_000_000L;
    /** Sources remembered at most. */
    public static final int MAX_SOURCES = 256;

    private final LongSupplier wallClockMicros;
    private final Map<IpAddress, Long> highest;

    /** @param wallClockMicros microseconds since the epoch */
    public ReplayGuard(LongSupplier wallClockMicros) {
        this(wallClockMicros, MAX_SOURCES);
    }

    ReplayGuard(LongSupplier wallClockMicros, int maxSources) {
        this.wallClockMicros = wallClockMicros;
        this.highest = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<IpAddress, Long> eldest) {
                return size() > maxSources;
            }
        };
    }

    /**
     * Whether an authenticated advertisement from {@code source} with this
     * counter is new; if so, the counter becomes the one to beat.
     */
    public boolean accept(IpAddress source, long counter) {
        Long last = highest.get(source);
        boolean fresh = last != null ? counter > last : nearOurClock(counter);
        if (fresh) {
            highest.put(source, counter);
        }
        return fresh;
    }

    private boolean nearOurClock(long counter) {
        long now = wallClockMicros.getAsLong();
        return counter >= now - WINDOW_MICROS && counter <= now + WINDOW_MICROS;
    }

    /** Sources currently remembered. */
    int tracked() {
        return highest.size();
    }
}
