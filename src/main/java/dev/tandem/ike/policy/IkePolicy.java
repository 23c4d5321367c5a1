package dev.tandem.ike.policy;

import java.util.List;
import java.util.Optional;

/**
 * Everything the IKE daemon is configured with: its phase 1 peers and its
 * quick mode connections, built from the isakmpd configuration that the
 * ike rules compile to ({@link IkePolicies#from}).
 */
public record IkePolicy(List<Phase1Policy> phase1, List<Phase2Policy> phase2) {

    public static final IkePolicy EMPTY = new IkePolicy(List.of(), List.of());

    public IkePolicy {
        phase1 = List.copyOf(phase1);
        phase2 = List.copyOf(phase2);
    }

    public Optional<Phase1Policy> phase1(String name) {
        return phase1.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
