package dev.tandem.carp;

import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.carp.CarpInterfaceConf;
import dev.tandem.loop.EventLoop;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's CARP: the carp interfaces of carp.conf, one link per carpdev,
 * the demotion groups, and the bus of role changes that replication and IKE
 * follow. Everything runs on the node's event loop; {@link #status()} and
 * {@link #demote} must be called there too.
 */
public final class Carp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tandem.carp");

    private final EventLoop loop;
    private final Demotion demotion = new Demotion();
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<CarpVhost> vhosts = new ArrayList<>();
    private final List<Consumer<CarpTransition>> listeners = new CopyOnWriteArrayList<>();
    private final TransitionHooks hooks;

    /** A carpdev: its link, what arrived on it, and its virtual hosts by vhid. */
    private static final class Device {
        CarpLink link;
        final LinkStats stats = new LinkStats();
        final Map<Integer, CarpVhost> byVhid = new LinkedHashMap<>();
    }

    /**
     * Opens a link per carpdev and sets up every interface of {@code conf} in
     * INIT; {@link #start()} starts them, so listeners subscribed in between
     * see the first transitions too.
     *
     * @param auth  the authentication of each interface
     * @param hooks runs hook scripts
     */
    public static Carp open(CarpConf conf, EventLoop loop, CarpLink.Factory links, AddressManager addresses,
                             Function<CarpInterfaceConf, CarpAuth> auth, TransitionHooks hooks) throws IOException {
        Carp c = new Carp(loop, hooks);
        try {
            for (CarpInterfaceConf i : conf.interfaces()) {
                i.allGroups().forEach(c.demotion::declare);
                Device d = c.devices.get(i.carpdev());
                if (d == null) {
                    Device nd = new Device();
                    nd.link = links.open(i.carpdev(), c.receiver(nd));
                    c.devices.put(i.carpdev(), nd);
                    d = nd;
                }
                CarpVhost v = new CarpVhost(i, loop, d.link, addresses, auth.apply(i), c.demotion, c::publish);
                d.byVhid.put(i.vhid(), v);
                c.vhosts.add(v);
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.demotion.listen(group -> c.vhosts.stream()
                .filter(v -> v.conf().allGroups().contains(group))
                .forEach(CarpVhost::demotionChanged));
        return c;
    }

    /** Every interface goes to BACKUP (INIT while its link is down). */
    public void start() {
        vhosts.forEach(CarpVhost::start);
    }

    /** The authentication carp.conf asks for: OpenBSD's HMAC by default, strict mode on request. */
    public static CarpAuth authFor(CarpInterfaceConf c) {
        return c.auth() == dev.tandem.conf.carp.CarpAuthMode.STRICT
                ? CarpAuth.strict(c.pass(), c.vhid())
                : CarpAuth.openBsd(CarpKey.fromPass(c.pass()));
    }

    private Carp(EventLoop loop, TransitionHooks hooks) {
        this.loop = loop;
        this.hooks = hooks;
    }

    private CarpLink.Receiver receiver(Device d) {
        return new CarpLink.Receiver() {
            @Override
            public void received(IpAddress source, IpAddress destination, int ttl, byte[] packet) {
                d.stats.received++;
                if (ttl != 255) {
                    // only a neighbour on the segment can send with 255 left
                    d.stats.badTtl++;
                    return;
                }
                CarpAdvertisement ad;
                try {
                    ad = CarpAdvertisement.decode(packet);
                } catch (MalformedAdvertisement e) {
                    d.stats.malformed(e.field());
                    return;
                }
                CarpVhost v = d.byVhid.get(ad.vhid());
                if (v == null) {
                    d.stats.wrongVhid++;
                    return;
                }
                v.received(source, destination, ad);
            }

            @Override
            public void linkChanged(boolean up) {
                LOG.warn("link of {} is {}", d.link == null ? "?" : d.link.device(), up ? "up" : "down");
                d.byVhid.values().forEach(v -> v.linkChanged(up));
            }
        };
    }

    private void publish(CarpTransition t) {
        for (Consumer<CarpTransition> l : listeners) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                LOG.error("carp transition listener failed on {}", t, e);
            }
        }
        vhosts.stream().filter(v -> v.conf().name().equals(t.iface()) && v.conf().hook() != null)
                .findFirst().ifPresent(v -> hooks.run(v.conf().hook(), t));
    }

    /** Role changes, delivered on the loop in order. */
    public void subscribe(Consumer<CarpTransition> l) {
        listeners.add(l);
    }

    public void unsubscribe(Consumer<CarpTransition> l) {
        listeners.remove(l);
    }

    /**
     * Adds {@code delta} to a group's demotion counter ({@code ifconfig -g group carpdemote}).
     *
     * @return the new value
     * @throws IllegalArgumentException for a group no carp interface is in
     */
    public int demote(String group, int delta) {
        if (!demotion.known(group)) {
            throw new IllegalArgumentException("no carp interface is in group " + group + "; groups: "
                    + String.join(", ", demotion.counters().keySet()));
        }
        int v = demotion.adjust(group, delta);
        LOG.warn("demotion of group {} {} {} = {}", group, delta < 0 ? "-" : "+", Math.abs(delta), v);
        return v;
    }

    /** The demotion counters, for replication's start-up interlock and for status. */
    public Demotion demotion() {
        return demotion;
    }

    /** State of the named interface, or null. */
    public CarpState state(String iface) {
        return vhosts.stream().filter(v -> v.conf().name().equals(iface)).map(CarpVhost::state).findFirst()
                .orElse(null);
    }

    public CarpStatus status() {
        List<CarpStatus.DeviceStatus> ds = new ArrayList<>();
        devices.forEach((name, d) -> ds.add(new CarpStatus.DeviceStatus(name, d.link.source(), d.link.linkUp(),
                d.stats.snapshot())));
        return new CarpStatus(loop.nanoTime(), vhosts.stream().map(CarpVhost::status).toList(), ds,
                demotion.counters());
    }

    /** Bows out of every mastership, removes the addresses and closes the links. */
    @Override
    public void close() {
        for (CarpVhost v : vhosts) {
            try {
                v.stop();
            } catch (RuntimeException e) {
                LOG.error("stopping {}", v.conf().name(), e);
            }
        }
        devices.values().forEach(d -> {
            if (d.link != null) {
                d.link.close();
            }
        });
    }
}
