package dev.tandem.daemon;

import dev.tandem.ike.IkeStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code ike} section of {@code tandem status --json} and its line in
 * the text form, from the same map. Fields are only ever added (see
 * docs/admin-guide.md).
 */
final class IkeReport {

    /** What the node's IKE sockets saw, beside the daemon's own counters. */
    record Traffic(long received, long queueDrops, long malformed, long sent, long sendFailures) { }

    private IkeReport() {
    }

    /** Null when the node runs no IKE daemon. */
    static Map<String, Object> json(IkeStatus s, Traffic t) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passive", s.passive());
        m.put("phase1_sas", s.phase1().size());
        m.put("phase2_sas", s.phase2().size());
        Map<String, Object> sockets = new LinkedHashMap<>();
        sockets.put("received", t.received());
        sockets.put("queue_drops", t.queueDrops());
        sockets.put("malformed", t.malformed());
        sockets.put("sent", t.sent());
        sockets.put("send_failures", t.sendFailures());
        m.put("sockets", sockets);
        // sorted: the daemon's counters come in no particular order
        m.put("counters", new TreeMap<>(s.counters()));
        return m;
    }

    static String text(Map<String, Object> ike) {
        if (ike == null) {
            return "";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> sockets = (Map<String, Object>) ike.get("sockets");
        return "ike: " + ((Boolean) ike.get("passive") ? "passive" : "active") + ", "
                + ike.get("phase1_sas") + " phase 1 SAs, " + ike.get("phase2_sas") + " phase 2 SAs; messages in "
                + sockets.get("received") + ", out " + sockets.get("sent") + ", queue drops "
                + sockets.get("queue_drops") + ", send failures " + sockets.get("send_failures") + '\n';
    }
}
