package dev.tandem.carp;

/**
 * What one virtual host counted (after OpenBSD's {@code struct carpstats}):
 * every advertisement that was not acted on lands in exactly one counter.
 * Written on the event loop only.
 */
public final class CarpStats {

    long sent;
    long sendErrors;
    long accepted;
    long badAuth;
    long replayed;
    long own;
    long wrongDestination;
    long becameMaster;
    long becameBackup;

    /** A copy for reports. */
    public Snapshot snapshot() {
        return new Snapshot(sent, sendErrors, accepted, badAuth, replayed, own, wrongDestination, becameMaster,
                becameBackup);
    }

    /**
     * @param sent             advertisements sent
     * @param sendErrors       advertisements the kernel refused
     * @param accepted         valid advertisements from others acted on
     * @param badAuth          MAC did not verify
     * @param replayed         strict mode: counter not newer than the last from that sender
     * @param own              our own advertisement came back (network loop)
     * @param wrongDestination multicast where unicast was configured, or the other way round
     * @param becameMaster     transitions to MASTER
     * @param becameBackup     transitions to BACKUP
     */
    public record Snapshot(long sent, long sendErrors, long accepted, long badAuth, long replayed, long own,
                           long wrongDestination, long becameMaster, long becameBackup) { }
}
