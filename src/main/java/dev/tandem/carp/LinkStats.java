package dev.tandem.carp;

import java.util.Map;
import java.util.TreeMap;

/**
 * What arrived on one carpdev before a virtual host could be chosen: the
 * packets dropped for their TTL, their form or an unknown vhid. Written on
 * the event loop only.
 */
public final class LinkStats {

    long received;
    long badTtl;
    long wrongVhid;
    private final Map<String, Long> malformed = new TreeMap<>();

    void malformed(String field) {
        malformed.merge(field, 1L, Long::sum);
    }

    public Snapshot snapshot() {
        return new Snapshot(received, badTtl, wrongVhid, Map.copyOf(malformed));
    }

    /**
     * @param received  protocol 112 packets that arrived
     * @param badTtl    TTL other than 255 (sent from off the segment, or forged)
     * @param wrongVhid no carp interface on this device has the vhid
     * @param malformed malformed packets by offending field (length, checksum, version, type, vhid)
     */
    public record Snapshot(long received, long badTtl, long wrongVhid, Map<String, Long> malformed) {

        public long malformedTotal() {
            return malformed.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
