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
 *
 * <p>The routes live in their own table, looked up by a rule for every
 * packet that does not carry the daemon's firewall mark: the packets the
 * data plane sends in the clear carry it and so take the main table, never
 * looping back into the device. A flow's network that contains the flow's
 * own peer (a full tunnel, {@code to any}) gets a throw route for the peer,
 * so ESP and IKE to it leave by the main table. Several flows may share a
 * network: a route stays while one needs it.
 */
final class TunnelRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelRoutes.class);

    /** A route in the table: into the device, or a throw back to the main table. */
    private record Route(IpNet net, boolean isThrow) {
        String[] args(String device, String table) {
            return isThrow ? new String[] {"throw", net.toString(), "table", table}
                    : new String[] {net.toString(), "dev", device, "table", table};
        }
    }

    private final String device;
    private final String table;
    private final boolean enabled;
    private final Map<Route, Integer> users = new HashMap<>();

    /**
     * @param table routing table, rule priority and firewall mark (one number, one knob)
     */
    TunnelRoutes(String device, int table, boolean enabled) {
        this.device = device;
        this.table = Integer.toString(table);
        this.enabled = enabled;
    }

    /** Clears what a previous run may have left and adds the rules; called once at start. */
    void install() throws IOException {
        if (!enabled) {
            return;
        }
        for (String family : List.of("-4", "-6")) {
            // a daemon that was killed leaves its rule and routes behind
            quietly(family, "rule", "del", "priority", table);
            quietly(family, "route", "flush", "table", table);
            try {
                IpCommand.run(family, "rule", "add", "priority", table, "not", "fwmark", table, "lookup", table);
            } catch (IOException e) {
                if (family.equals("-4")) {
                    throw e;
                }
                LOG.warn("no IPv6 tunnel routing: {}", e.getMessage());
            }
        }
        LOG.info("tunnel routes in table {} (rule {}, packets marked {} bypass it)", table, table, table);
    }

    /** Follows flow changes; called on the control-plane thread. */
    void on(SadbEvent e) {
        switch (e) {
            case SadbEvent.FlowAdded a -> routes(a.flow()).forEach(this::add);
            case SadbEvent.FlowDeleted d -> routes(d.flow()).forEach(this::remove);
            case SadbEvent.Flushed f -> removeRoutes();
            default -> { }
        }
    }

    /**
     * Bypass flows need no route: what they cover reaches the device only
     * under some protected flow's route, and the data plane sends it on in
     * the clear. Deny flows are routed, so that the data plane drops (and
     * counts) their traffic.
     */
    private static List<Route> routes(Flow f) {
        if (f.direction() != FlowDirection.OUT || f.type() == FlowType.BYPASS) {
            return List.of();
        }
        Route net = new Route(f.selector().dst(), false);
        if (f.peer() != null && f.selector().dst().contains(f.peer())) {
            return List.of(net, new Route(IpNet.host(f.peer()), true));
        }
        return List.of(net);
    }

    private void add(Route r) {
        if (users.merge(r, 1, Integer::sum) == 1 && enabled) {
            try {
                IpCommand.run(prepend("route", "replace", r.args(device, table)));
                LOG.info(r.isThrow() ? "route {} past the tunnel (its peer)" : "route {} into {}", r.net(), device);
            } catch (IOException e) {
                LOG.error("cannot route {}: {}", r.net(), e.getMessage());
            }
        }
    }

    private void remove(Route r) {
        Integer n = users.get(r);
        if (n == null) {
            return;
        }
        if (n > 1) {
            users.put(r, n - 1);
            return;
        }
        users.remove(r);
        if (enabled) {
            try {
                IpCommand.run(prepend("route", "del", r.args(device, table)));
                LOG.info("route {} removed", r.net());
            } catch (IOException e) {
                LOG.warn("cannot remove route {}: {}", r.net(), e.getMessage());
            }
        }
    }

    private void removeRoutes() {
        for (Route r : List.copyOf(users.keySet())) {
            users.put(r, 1);
            remove(r);
        }
    }

    /** Removes the routes and the rules; called at shutdown. */
    void removeAll() {
        removeRoutes();
        if (enabled) {
            quietly("-4", "rule", "del", "priority", table);
            quietly("-6", "rule", "del", "priority", table);
        }
    }

    private static String[] prepend(String a, String b, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    private static void quietly(String... args) {
        try {
            IpCommand.run(args);
        } catch (IOException e) {
            // nothing to remove
        }
    }
}
