package dev.tandem.ike;

import java.util.List;

/** Everything established in an IKE daemon, for a cluster backup: phase 1 SAs and the child SAs they made. */
public record IkeState(List<Phase1State> phase1s, List<ChildState> children) {

    public IkeState {
        phase1s = List.copyOf(phase1s);
        children = List.copyOf(children);
    }
}
