package dev.tandem.sim.failover;

import dev.tandem.ike.IkePort;
import dev.tandem.net.IpAddress;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The routed network between the peer gateway and the cluster, with seeded
 * loss and delay. A shared address (the VIP) reaches the station that last
 * claimed it, as the peer's next hop would after a gratuitous ARP: when the
 * master dies, what is sent to the VIP is lost until a new master claims it.
 */
public final class SimWan {

    private final SimWorld world;
    private final Map<IpAddress, Station> stations = new HashMap<>();
    private final Map<IpAddress, Station> claims = new HashMap<>();
    private final List<Consumer<WanPacket>> taps = new ArrayList<>();
    private final List<Predicate<WanPacket>> losses = new ArrayList<>();
    private double loss;
    private long minDelay = Duration.ofMillis(10).toNanos();
    private long maxDelay = Duration.ofMillis(10).toNanos();

    private record Station(SimLoop loop, Consumer<WanPacket> receiver) { }

    public SimWan(SimWorld world) {
        this.world = world;
    }

    /** Each datagram is lost with probability {@code p}. */
    public SimWan loss(double p) {
        this.loss = p;
        return this;
    }

    /** Each datagram takes a uniform time in [min, max] (so datagrams may reorder). */
    public SimWan delay(Duration min, Duration max) {
        this.minDelay = min.toNanos();
        this.maxDelay = max.toNanos();
        return this;
    }

    /** Plugs in a station with its own address; a restarted node attaches again and replaces its old self. */
    public void attach(IpAddress address, SimLoop loop, Consumer<WanPacket> receiver) {
        stations.put(address, new Station(loop, receiver));
    }

    /** From now on {@code shared} reaches the station of {@code owner} (a gratuitous ARP). */
    public void claim(IpAddress shared, IpAddress owner) {
        Station s = stations.get(owner);
        if (s != null) {
            claims.put(shared, s);
        }
    }

    /** Sees every datagram sent, before loss, as a capture at the sender would. */
    public void tap(Consumer<WanPacket> t) {
        taps.add(t);
    }

    /** How a gateway at {@code address} sends IKE: from the address a message came to (a VIP), else its own. */
    IkePort ikePort(IpAddress address) {
        return (local, localPort, remote, message) -> send(new WanPacket(local == null ? address : local, localPort,
                remote.address(), remote.port(), true, message));
    }

    /** Loses every datagram {@code which} matches, after the taps saw it: a scenario's chosen loss. */
    public void lose(Predicate<WanPacket> which) {
        losses.add(which);
    }

    public void send(WanPacket p) {
        taps.forEach(t -> t.accept(p));
        if (losses.stream().anyMatch(l -> l.test(p))) {
            return;
        }
        Station to = claims.getOrDefault(p.dst(), stations.get(p.dst()));
        if (to == null || !to.loop().alive() || (loss > 0 && world.random().nextDouble() < loss)) {
            return;
        }
        long span = maxDelay - minDelay;
        long delay = minDelay + (span > 0 ? world.random().nextLong(span + 1) : 0);
        to.loop().schedule(Duration.ofNanos(delay), () -> to.receiver().accept(p));
    }
}
