package dev.tandem.sim;

import dev.tandem.carp.CarpLink;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated Ethernet segment carrying IP protocol 112: every station
 * attached to it hears multicast advertisements of the others, a unicast one
 * reaches the station with that address. Loss, delay (uniform between two
 * bounds, so packets may reorder), partitions and carrier loss per station
 * come from the world's seeded random source.
 */
public final class SimSegment {

    private final SimWorld world;
    private final String name;
    private final List<Station> stations = new ArrayList<>();
    private final SimPartition partition = new SimPartition();
    private double loss;
    private Duration minDelay = Duration.ofMillis(1);
    private Duration maxDelay = Duration.ofMillis(1);
    private final List<Tap> taps = new ArrayList<>();
    private long delivered;
    private long dropped;

    public SimSegment(SimWorld world, String name) {
        this.world = world;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Each packet is lost with probability {@code p}. */
    public SimSegment loss(double p) {
        this.loss = p;
        return this;
    }

    /** Each packet is delayed by a uniform time in [min, max]. */
    public SimSegment delay(Duration min, Duration max) {
        this.minDelay = min;
        this.maxDelay = max;
        return this;
    }

    /** Cuts the segment: stations in different groups no longer hear each other; unnamed ones form a group of their own. */
    @SafeVarargs
    public final void partition(List<IpAddress>... groups) {
        partition.cut(groups);
    }

    /** Joins every part again. */
    public void heal() {
        partition.heal();
    }

    public long delivered() {
        return delivered;
    }

    public long dropped() {
        return dropped;
    }

    /**
     * Plugs a node in with address {@code address}: links it opens on any
     * device name attach to this segment and deliver on {@code loop}.
     */
    public CarpLink.Factory attach(SimLoop loop, IpAddress address) {
        return (device, receiver) -> {
            Station s = new Station(loop, address, device, receiver);
            stations.add(s);
            return s;
        };
    }

    /** Sets the carrier of every station with {@code address}; their receivers hear of it. */
    public void carrier(IpAddress address, boolean up) {
        for (Station s : List.copyOf(stations)) {
            if (s.address.equals(address) && s.up != up && s.loop.alive()) {
                s.up = up;
                s.loop.execute(() -> s.receiver.linkChanged(up));
            }
        }
    }

    /** Sees every packet put on the segment, as a capture would. */
    public interface Tap {
        void packet(IpAddress source, IpAddress destination, int ttl, byte[] packet);
    }

    public void tap(Tap t) {
        taps.add(t);
    }

    /** Puts an arbitrary packet on the wire, as an attacker or a broken node would. */
    public void inject(IpAddress source, IpAddress destination, int ttl, byte[] packet) {
        deliver(null, source, destination, ttl, packet);
    }

    private void deliver(Station from, IpAddress source, IpAddress destination, int ttl, byte[] packet) {
        boolean multicast = destination.equals(CarpLink.GROUP);
        taps.forEach(t -> t.packet(source, destination, ttl, packet.clone()));
        for (Station to : stations) {
            if (to == from || !to.open || !to.up || !to.loop.alive()) {
                continue;
            }
            if (!multicast && !to.address.equals(destination)) {
                continue;
            }
            if (from != null && !partition.reachable(from.address, to.address)) {
                dropped++;
                continue;
            }
            if (loss > 0 && world.random().nextDouble() < loss) {
                dropped++;
                continue;
            }
            long min = minDelay.toNanos();
            long span = maxDelay.toNanos() - min;
            long delay = min + (span > 0 ? world.random().nextLong(span + 1) : 0);
            byte[] copy = packet.clone();
            delivered++;
            to.loop.schedule(Duration.ofNanos(delay), () -> {
                if (to.open && to.up) {
                    to.receiver.received(source, destination, ttl, copy);
                }
            });
        }
    }

    private final class Station implements CarpLink {

        private final SimLoop loop;
        private final IpAddress address;
        private final String device;
        private final CarpLink.Receiver receiver;
        private boolean up = true;
        private boolean open = true;

        Station(SimLoop loop, IpAddress address, String device, CarpLink.Receiver receiver) {
            this.loop = loop;
            this.address = address;
            this.device = device;
            this.receiver = receiver;
        }

        @Override
        public String device() {
            return device;
        }

        @Override
        public IpAddress source() {
            return address;
        }

        @Override
        public boolean linkUp() {
            return up;
        }

        @Override
        public void send(IpAddress destination, byte[] packet) throws IOException {
            if (!open) {
                throw new IOException("link closed");
            }
            if (!up) {
                throw new IOException("network is down");
            }
            deliver(this, address, destination, 255, packet);
        }

        @Override
        public void close() {
            open = false;
            stations.remove(this);
        }
    }
}
