package dev.tandem.sync;

import dev.tandem.net.IpAddress;
import java.util.List;

/**
 * Replication at one moment, as {@code tandem sync status} shows it.
 *
 * @param role            this node's role: INIT, BACKUP or MASTER
 * @param epoch           role changes since start
 * @param interlocked     the start-up demotion is still held (no snapshot yet)
 * @param carpInterface   the carp interface the role follows
 * @param group           the group demoted while interlocked
 * @param port            TCP port of the channel
 * @param lastSnapshot    id of the last snapshot sent (master) or applied (backup)
 * @param countersAgeMs   time since counters last went out, -1 if never
 */
public record SyncStatus(String role, long epoch, boolean interlocked, String carpInterface, String group, int port,
                         long lastSnapshot, long countersAgeMs, List<PeerStatus> peers, Counts counts) {

    public SyncStatus {
        peers = List.copyOf(peers);
    }

    /**
     * One peer.
     *
     * @param state      up, connecting or down
     * @param role       what the peer says it is, while up
     * @param upMs       time since the connection came up
     * @param unacked    master: messages sent that the peer has not acknowledged yet (replication lag)
     * @param ackedSnapshot the last snapshot the peer confirmed
     * @param sentSnapshot master: the last snapshot sent to the peer, 0 if none
     * @param connects   connection attempts so far
     * @param lastError  why the last connection ended or failed, "" if none
     */
    public record PeerStatus(IpAddress address, String state, String role, long upMs, long messagesOut,
                             long messagesIn, long bytesOut, long bytesIn, long unacked, long ackedSnapshot,
                             long sentSnapshot, long connects, String lastError) {

        /** Master: the peer is a backup that applied the last snapshot sent to it (live changes follow). */
        public boolean synced() {
            return "up".equals(state) && "BACKUP".equals(role) && sentSnapshot > 0 && ackedSnapshot == sentSnapshot;
        }
    }

    /** Totals since start. */
    public record Counts(long snapshotsSent, long snapshotsReceived, long forwarded, long sasApplied,
                         long flowsApplied, long deletesApplied, long counterUpdates, long ignored, long refused,
                         long failedHandshakes, long disconnects, long roleChanges, long takeovers,
                         long answerWaitsTimedOut) { }
}
