package dev.tandem.ike;

import java.util.List;
import java.util.Map;

/** A snapshot of the IKE daemon for ipsecctl -s and tandem status. */
public record IkeStatus(List<Phase1Status> phase1, List<Phase2Status> phase2, Map<String, Long> counters,
                        boolean passive) {

    public IkeStatus {
        phase1 = List.copyOf(phase1);
        phase2 = List.copyOf(phase2);
        counters = Map.copyOf(counters);
    }
}
