package dev.tandem.ike;

import dev.tandem.ike.negotiation.Phase2Choice;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.SaId;
import java.util.Objects;

/**
 * A negotiated pair of ESP SAs as a cluster backup needs to know it: which
 * connection it serves, which phase 1 made it, its selectors and transform,
 * so that it can rekey, delete and show it. No ESP keys: they travel once,
 * with the SAs themselves (SA replication), and the backup's IKE daemon
 * never installs these SAs.
 *
 * @param peerNatPort the peer's NAT-T port, 0 without NAT-T
 * @param protocol    IP protocol of the selectors, 0 for any
 * @param ageMillis   time since the pair was established on the node that negotiated it
 */
public record ChildState(String connection, long initiatorCookie, long responderCookie, SaId inbound, SaId outbound,
                         IpAddress local, IpAddress peer, int peerNatPort, Phase2Choice choice, IpNet localNet,
                         IpNet remoteNet, int protocol, int localPort, int remotePort, long ageMillis) {

    public ChildState {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(choice.esp(), "choice.esp");
        Objects.requireNonNull(localNet, "localNet");
        Objects.requireNonNull(remoteNet, "remoteNet");
        if (peerNatPort < 0 || peerNatPort > 0xffff || localPort < 0 || localPort > 0xffff || remotePort < 0
                || remotePort > 0xffff || protocol < 0 || protocol > 0xff) {
            throw new IllegalArgumentException("port or protocol out of range");
        }
        if (ageMillis < 0) {
            throw new IllegalArgumentException("negative age");
        }
    }

    /** The phase 1 cookie pair as status shows it. */
    public String phase1Cookies() {
        return String.format("%016x:%016x", initiatorCookie, responderCookie);
    }
}
