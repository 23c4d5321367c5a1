package dev.tandem.ike.policy;

import dev.tandem.net.IpNet;
import java.util.List;
import java.util.Objects;

/**
 * A quick mode connection (isakmpd's phase 2 connection section): the
 * traffic it protects, how, and whether this node starts it.
 *
 * @param name        the connection name, e.g. "from-10.2.0.0/24-to-10.1.0.0/24"
 * @param phase1      the name of its {@link Phase1Policy}
 * @param localNet    the local side of the selector (IDci when initiating)
 * @param remoteNet   the remote side (IDcr when initiating)
 * @param protocol    IP protocol, 0 for any
 * @param localPort   0 for any
 * @param remotePort  0 for any
 * @param transforms  in order of preference; never empty
 * @param active      true for active and dynamic rules (initiate and keep up),
 *                    false for passive ones (only answer)
 */
public record Phase2Policy(String name, String phase1, IpNet localNet, IpNet remoteNet, int protocol,
                           int localPort, int remotePort, List<Phase2Transform> transforms, boolean active) {

    public Phase2Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase1, "phase1");
        Objects.requireNonNull(localNet, "localNet");
        Objects.requireNonNull(remoteNet, "remoteNet");
        transforms = List.copyOf(transforms);
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("phase 2 policy " + name + " without transforms");
        }
    }
}
