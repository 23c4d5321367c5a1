package dev.tandem.daemon;

import dev.tandem.net.IpNet;
import dev.tandem.os.IpCommand;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SadbEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the remote network of every outbound flow into the TUN device, as
 * strongSwan's kernel-libipsec does, so that no manual routing is needed.
 * Several flows may share a network: the route stays while one needs it.
 * A flow whose remote network contains its own peer is not routed: the ESP
 * packets to that peer would loop back into the device.
 */
final class TunnelRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelRoutes.class);

    private final String device;
    private final boolean enabled;
    private final Map<IpNet, Integer> users = new HashMap<>();

    TunnelRoutes(String device, boolean enabled) {
        this.device = device;
        this.enabled = enabled;
    }

    /** Follows flow changes; called on the control-plane thread. */
    void on(SadbEvent e) {
        switch (e) {
            case SadbEvent.FlowAdded a -> {
                if (routed(a.flow())) {
                    add(a.flow().selector().dst());
                }
            }
            case SadbEvent.FlowDeleted d -> {
                if (routed(d.flow())) {
                    remove(d.flow().selector().dst());
                }
            }
            case SadbEvent.Flushed f -> removeAll();
            default -> { }
        }
    }

    private static boolean routed(Flow f) {
        if (f.direction() != FlowDirection.OUT || f.type() == FlowType.BYPASS || f.type() == FlowType.DENY) {
            return false;
        }
        if (f.peer() != null && f.selector().dst().contains(f.peer())) {
            LOG.warn("not routing {} into {}: it contains the peer {} itself", f.selector().dst(), "the tunnel",
                    f.peer());
            return false;
        }
        return true;
    }

    private void add(IpNet net) {
        if (users.merge(net, 1, Integer::sum) == 1 && enabled) {
            try {
                IpCommand.run("route", "replace", net.toString(), "dev", device);
                LOG.info("route {} via {}", net, device);
            } catch (IOException e) {
                LOG.error("cannot route {} into {}: {}", net, device, e.getMessage());
            }
        }
    }

    private void remove(IpNet net) {
        Integer n = users.get(net);
        if (n == null) {
            return;
        }
        if (n > 1) {
            users.put(net, n - 1);
            return;
        }
        users.remove(net);
        if (enabled) {
            try {
                IpCommand.run("route", "del", net.toString(), "dev", device);
                LOG.info("route {} removed", net);
            } catch (IOException e) {
                LOG.warn("cannot remove route {}: {}", net, e.getMessage());
            }
        }
    }

    void removeAll() {
        for (IpNet net : List.copyOf(users.keySet())) {
            users.put(net, 1);
            remove(net);
        }
    }
}
