package dev.tandem.daemon;

import dev.tandem.sync.SyncStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sync} section of {@code tandem status --json} and the text of
 * {@code tandem sync status}, from one map. Fields are only ever added.
 */
final class SyncReport {

    private SyncReport() {
    }

    /** The section; null without sasyncd.conf. */
    static Map<String, Object> json(SyncStatus s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("role", s.role());
        root.put("epoch", s.epoch());
        root.put("interlocked", s.interlocked());
        root.put("carp_interface", s.carpInterface());
        root.put("group", s.group());
        root.put("port", s.port());
        root.put("last_snapshot", s.lastSnapshot());
        root.put("counters_age_ms", s.countersAgeMs());
        List<Object> peers = new ArrayList<>();
        for (SyncStatus.PeerStatus p : s.peers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", p.address().toString());
            m.put("state", p.state());
            m.put("role", p.role());
            m.put("up_ms", p.upMs());
            m.put("messages_out", p.messagesOut());
            m.put("messages_in", p.messagesIn());
            m.put("bytes_out", p.bytesOut());
            m.put("bytes_in", p.bytesIn());
            m.put("unacked", p.unacked());
            m.put("acked_snapshot", p.ackedSnapshot());
            m.put("sent_snapshot", p.sentSnapshot());
            m.put("synced", p.synced());
            m.put("connects", p.connects());
            m.put("last_error", p.lastError());
            peers.add(m);
        }
        root.put("peers", peers);
        SyncStatus.Counts c = s.counts();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("snapshots_sent", c.snapshotsSent());
        counts.put("snapshots_received", c.snapshotsReceived());
        counts.put("forwarded", c.forwarded());
        counts.put("sas_applied", c.sasApplied());
        counts.put("flows_applied", c.flowsApplied());
        counts.put("deletes_applied", c.deletesApplied());
        counts.put("counter_updates", c.counterUpdates());
        counts.put("ignored", c.ignored());
        counts.put("refused", c.refused());
        counts.put("failed_handshakes", c.failedHandshakes());
        counts.put("disconnects", c.disconnects());
        counts.put("role_changes", c.roleChanges());
        counts.put("takeovers", c.takeovers());
        counts.put("answer_waits_timed_out", c.answerWaitsTimedOut());
        root.put("counts", counts);
        return root;
    }

    static String text(SyncStatus s) {
        if (s == null) {
            return "sync: not configured (no sasyncd.conf)\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("sync: ").append(s.role()).append(" following ").append(s.carpInterface()).append(", port ")
                .append(s.port()).append(s.interlocked() ? ", group " + s.group() + " demoted until the first snapshot"
                        : "").append('\n');
        for (SyncStatus.PeerStatus p : s.peers()) {
            sb.append("  peer ").append(p.address()).append(": ").append(p.state());
            if ("up".equals(p.state())) {
                sb.append(" (").append(p.role()).append(") for ").append(p.upMs() / 1000).append(" s, messages out ")
                        .append(p.messagesOut()).append(" in ").append(p.messagesIn()).append(", unacked ")
                        .append(p.unacked());
                if (p.sentSnapshot() > 0 && "BACKUP".equals(p.role())) {
                    sb.append(p.synced() ? ", synced" : ", snapshot not yet applied");
                }
            } else if (!p.lastError().isEmpty()) {
                sb.append(": ").append(p.lastError());
            }
            sb.append('\n');
        }
        SyncStatus.Counts c = s.counts();
        sb.append("  snapshots sent ").append(c.snapshotsSent()).append(" received ").append(c.snapshotsReceived())
                .append(", forwarded ").append(c.forwarded()).append(", SAs applied ").append(c.sasApplied())
                .append(", flows applied ").append(c.flowsApplied()).append(", failed handshakes ")
                .append(c.failedHandshakes()).append(", refused ").append(c.refused()).append(", answer waits timed out ")
                .append(c.answerWaitsTimedOut()).append('\n');
        return sb.toString();
    }
}
