package dev.tandem.sync;

/** What replication counted on this node; written on the event loop only. */
final class SyncStats {

    long snapshotsSent;
    long snapshotsReceived;
    long forwarded;
    long sasApplied;
    long flowsApplied;
    long deletesApplied;
    long counterUpdates;
    long ignored;
    long refused;
    long failedHandshakes;
    long disconnects;
    long roleChanges;
    long takeovers;
    /** IKE answers sent without the backups' acknowledgement, after the wait ran out. */
    long answerWaitsTimedOut;

    SyncStatus.Counts snapshot() {
        return new SyncStatus.Counts(snapshotsSent, snapshotsReceived, forwarded, sasApplied, flowsApplied,
                deletesApplied, counterUpdates, ignored, refused, failedHandshakes, disconnects, roleChanges, takeovers,
                answerWaitsTimedOut);
    }
}
