package dev.tandem.ike.negotiation;

import dev.tandem.esp.EspKeys;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.util.Objects;

/**
 * What a finished quick mode hands to the {@link ChildSaInstaller}.
 *
 * @param local        our gateway address
 * @param peer         the peer gateway address as we reach it (after NAT: the NAT's address)
 * @param peerNatPort  the peer's NAT-T port (normally 4500), 0 when NAT-T is not in use
 * @param ourSpi       our inbound SPI
 * @param inboundKeys  KEYMAT of our SPI
 * @param outboundKeys KEYMAT of the peer's SPI ({@link Phase2Choice#peerSpi()})
 * @param localNet     the local side of the selector
 * @param remoteNet    the remote side of the selector
 * @param protocol     IP protocol, 0 for any
 * @param localPort    0 for any
 * @param remotePort   0 for any
 */
public record ChildSaSpec(String connection, IpAddress local, IpAddress peer, int peerNatPort, Phase2Choice choice,
                          int ourSpi, EspKeys inboundKeys, EspKeys outboundKeys, IpNet localNet, IpNet remoteNet,
                          int protocol, int localPort, int remotePort) {

    public ChildSaSpec {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(inboundKeys, "inboundKeys");
        Objects.requireNonNull(outboundKeys, "outboundKeys");
        Objects.requireNonNull(localNet, "localNet");
        Objects.requireNonNull(remoteNet, "remoteNet");
        if (peerNatPort < 0 || peerNatPort > 0xffff) {
            throw new IllegalArgumentException("NAT-T port " + peerNatPort + " out of range");
        }
    }
}
