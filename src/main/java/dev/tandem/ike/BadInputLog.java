package dev.tandem.ike;

import dev.tandem.loop.EventLoop;
import org.slf4j.Logger;

/**
 * Rate-limited warnings for bad packets: a flood must not flood the log. At
 * most {@link #BURST} lines per ten seconds; the next line says how many were
 * suppressed.
 */
final class BadInputLog {

    private static final int BURST = 20;
    private static final long WINDOW_NANOS = 10_000_000_000L;

    private final Logger log;
    private final EventLoop loop;
    private long windowStart = Long.MIN_VALUE;
    private int lines;
    private long suppressed;

    BadInputLog(Logger log, EventLoop loop) {
        this.log = log;
        this.loop = loop;
    }

    void warn(String message) {
        long now = loop.nanoTime();
        if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            lines = 0;
        }
        if (lines >= BURST) {
            suppressed++;
            return;
        }
        lines++;
        if (suppressed > 0) {
            log.warn("{} ({} similar messages suppressed)", message, suppressed);
            suppressed = 0;
        } else {
            log.warn(message);
        }
    }
}
