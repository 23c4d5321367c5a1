package dev.tandem.carp;

import dev.tandem.net.InterfaceAddress;
import java.util.List;

/**
 * A role change of one carp interface: what the node's other parts (IKE,
 * replication) follow, what the log and the hook scripts report.
 *
 * @param iface  carp interface name
 * @param vhid   its virtual host id
 * @param from   previous state
 * @param to     new state
 * @param reason why, for people
 * @param nanos  loop time of the change
 * @param vips   the interface's virtual addresses
 * @param contested to MASTER while the old master still lives (preemption, demotion): it may send for
 *                  a moment longer, until it hears us
 */
public record CarpTransition(String iface, int vhid, CarpState from, CarpState to, String reason, long nanos,
                             List<InterfaceAddress> vips, boolean contested) {

    public CarpTransition {
        vips = List.copyOf(vips);
    }

    @Override
    public String toString() {
        return iface + " (vhid " + vhid + "): " + from + " -> " + to + ": " + reason;
    }
}
