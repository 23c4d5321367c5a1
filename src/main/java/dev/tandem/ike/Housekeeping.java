package dev.tandem.ike;

import dev.tandem.loop.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's once-a-second tick: drops responder exchanges that stopped
 * moving, forgets finished quick modes, runs dead peer detection and now and
 * then checks that every connection has what it needs.
 */
final class Housekeeping {

    /** An exchange that has not moved for this long is dropped (flooded half-open state must not linger). */
    private static final long UNFINISHED_NANOS = Duration.ofSeconds(30).toNanos();
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int CHECK_EVERY_TICKS = 10;

    private final IkeDaemon daemon;
    private final Phase1Table phase1s;
    private Timer tick = Timer.NONE;
    private int ticks;

    Housekeeping(IkeDaemon daemon, Phase1Table phase1s) {
        this.daemon = daemon;
        this.phase1s = phase1s;
    }

    void start() {
        tick = daemon.loop().schedule(TICK, this::tick);
    }

    void stop() {
        tick.cancel();
    }

    private void tick() {
        if (daemon.closed()) {
            return;
        }
        long now = daemon.loop().nanoTime();
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (!sa.isEstablished()) {
                if (!sa.initiator && now - sa.lastActivityNanos > UNFINISHED_NANOS) {
                    sa.fail("exchange unfinished after " + UNFINISHED_NANOS / 1_000_000_000L + " s");
                }
                continue;
            }
            sa.quickModes.values().removeIf(qm -> qm.state == QuickMode.State.DONE
                    && now - qm.lastActivityNanos > doneRetention());
            daemon.info().deadPeerDetection(sa, now);
        }
        if (++ticks % CHECK_EVERY_TICKS == 0) {
            daemon.connections().checkConnections();
        }
        tick = daemon.loop().schedule(TICK, this::tick);
    }

    /** How long a finished quick mode is remembered: as long as the peer may still repeat its last message. */
    private long doneRetention() {
        IkeDaemon.Options options = daemon.options();
        long retransmitting = options.retransmitFirst().toNanos() << Math.min(20, options.retransmitLimit() + 1);
        return Math.max(UNFINISHED_NANOS, retransmitting);
    }
}
