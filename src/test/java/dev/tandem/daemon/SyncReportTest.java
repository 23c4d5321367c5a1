package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.net.IpAddress;
import dev.tandem.sync.SyncStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The master's view of each backup: synced once it applied the snapshot sent to it, not before. */
class SyncReportTest {

    private static SyncStatus.PeerStatus peer(String address, String state, String role, long acked, long sent) {
        return new SyncStatus.PeerStatus(IpAddress.parse(address).orElseThrow(), state, role, 5_000, 10, 10, 100, 100,
                0, acked, sent, 1, "");
    }

    private static SyncStatus master(SyncStatus.PeerStatus... peers) {
        return new SyncStatus("MASTER", 1, false, "carp0", "carp", 500, 7, 50, List.of(peers),
                new SyncStatus.Counts(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0));
    }

    @Test
    void eachBackupIsSyncedByItsOwnSnapshot() {
        // each backup got a snapshot of its own: 6 to the first, 7 (the last one sent) to the second
        SyncStatus s = master(peer("192.0.2.12", "up", "BACKUP", 6, 6), peer("192.0.2.13", "up", "BACKUP", 5, 7),
                peer("192.0.2.14", "down", null, 4, 4));
        assertThat(s.peers()).extracting(SyncStatus.PeerStatus::synced).containsExactly(true, false, false);
        assertThat(SyncReport.text(s)).contains("peer 192.0.2.12: up (BACKUP) for 5 s, messages out 10 in 10, "
                + "unacked 0, synced\n", "peer 192.0.2.13: up (BACKUP) for 5 s, messages out 10 in 10, unacked 0, "
                + "snapshot not yet applied\n", "peer 192.0.2.14: down\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> peers = (List<Map<String, Object>>) SyncReport.json(s).get("peers");
        assertThat(peers).extracting(p -> p.get("sent_snapshot")).containsExactly(6L, 7L, 4L);
        assertThat(peers).extracting(p -> p.get("synced")).containsExactly(true, false, false);
    }

    @Test
    void aBackupSaysNothingOfItsMaster() {
        SyncStatus s = new SyncStatus("BACKUP", 1, false, "carp0", "carp", 500, 7, -1,
                List.of(peer("192.0.2.11", "up", "MASTER", 0, 0)), new SyncStatus.Counts(0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 1, 0, 0));
        assertThat(s.peers().getFirst().synced()).isFalse();
        assertThat(SyncReport.text(s)).contains("peer 192.0.2.11: up (MASTER) for 5 s, messages out 10 in 10, "
                + "unacked 0\n");
    }
}
