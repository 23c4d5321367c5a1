package dev.tandem.ike;

import dev.tandem.loop.Timer;
import java.time.Duration;

/**
 * Retransmission of the last message of an exchange that waits for an
 * answer: after retransmitFirst, doubling, up to retransmitLimit times; then
 * the exchange gives up.
 */
final class Resender {

    private final IkeDaemon daemon;
    private final Runnable resend;
    private final Runnable exhausted;
    private Timer timer = Timer.NONE;
    private int count;
    private Duration delay;

    Resender(IkeDaemon daemon, Runnable resend, Runnable exhausted) {
        this.daemon = daemon;
        this.resend = resend;
        this.exhausted = exhausted;
    }

    /** (Re)starts the schedule for a message just sent. */
    void start() {
        timer.cancel();
        count = 0;
        delay = daemon.options().retransmitFirst();
        timer = daemon.loop().schedule(delay, this::fire);
    }

    void stop() {
        timer.cancel();
        timer = Timer.NONE;
    }

    int count() {
        return count;
    }

    private void fire() {
        if (count >= daemon.options().retransmitLimit()) {
            timer = Timer.NONE;
            exhausted.run();
            return;
        }
        count++;
        daemon.countRetransmit();
        resend.run();
        delay = delay.multipliedBy(2);
        timer = daemon.loop().schedule(delay, this::fire);
    }
}
