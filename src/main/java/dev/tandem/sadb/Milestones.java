package dev.tandem.sadb;

import java.util.function.Consumer;

/**
 * The "every K packets" hook of the SADB, shared by all its SAs: a mask test
 * per packet, and a call only when a sequence number crosses a multiple of K.
 */
final class Milestones {

    static final Milestones NONE = new Milestones();

    private volatile long mask = -1;
    private volatile Consumer<SecurityAssociation> listener;

    void set(int every, Consumer<SecurityAssociation> l) {
        if (every <= 0 || Integer.bitCount(every) != 1) {
            throw new IllegalArgumentException("milestone interval must be a power of two: " + every);
        }
        listener = l;
        mask = every - 1L;
    }

    void check(SecurityAssociation sa, long sequence) {
        if ((sequence & mask) == 0) {
            Consumer<SecurityAssociation> l = listener;
            if (l != null) {
                l.accept(sa);
            }
        }
    }
}
