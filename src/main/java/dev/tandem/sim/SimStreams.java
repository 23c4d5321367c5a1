package dev.tandem.sim;

import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.sync.StreamConnection;
import dev.tandem.sync.StreamTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Simulated TCP between the nodes of a world: in-order delivery with a
 * latency, connections refused where nothing listens, and partitions, during
 * which bytes wait (as TCP retransmits) until the network heals or an end
 * gives up. A killed node's connections go silent, as after a power loss:
 * the other end only notices through its own timeouts.
 */
public final class SimStreams {

    private final SimWorld world;
    private final Map<String, Listener> listeners = new HashMap<>();
    private final List<Pipe> pipes = new ArrayList<>();
    private final SimPartition partition = new SimPartition();
    private Duration latency = Duration.ofMillis(1);

    public SimStreams(SimWorld world) {
        this.world = world;
    }

    public SimStreams latency(Duration d) {
        this.latency = d;
        return this;
    }

    /** Cuts the network: nodes in different groups (unnamed ones together) no longer reach each other. */
    @SafeVarargs
    public final void partition(List<IpAddress>... groups) {
        partition.cut(groups);
        // pairs a new cut joins again get what they held back, before anything newer
        flushHeld();
    }

    /**
     * The node at {@code address} lost power: what it sent that has not
     * arrived yet (on the wire, in its socket buffers, held back by a cut)
     * never will. A killed process is different: its kernel still delivers.
     */
    public void powerLoss(IpAddress address) {
        for (Pipe p : List.copyOf(pipes)) {
            for (End receiving : List.of(p.a, p.b)) {
                if (receiving.other.address.equals(address)) {
                    receiving.held.clear();
                    receiving.inFlight.forEach(Timer::cancel);
                    receiving.inFlight.clear();
                }
            }
        }
    }

    /** Joins the parts again; bytes held back are delivered. */
    public void heal() {
        partition.heal();
        flushHeld();
    }

    private void flushHeld() {
        for (Pipe p : List.copyOf(pipes)) {
            p.a.flush();
            p.b.flush();
        }
    }

    private boolean reachable(IpAddress x, IpAddress y) {
        return partition.reachable(x, y);
    }

    /** The transport of the node at {@code address}, delivering on {@code loop}. */
    public StreamTransport attach(SimLoop loop, IpAddress address) {
        return new StreamTransport() {
            @Override
            public AutoCloseable listen(IpAddress local, int port, Consumer<StreamConnection> acceptor) {
                String key = address + ":" + port;
                Listener l = new Listener(loop, address, acceptor);
                listeners.put(key, l);
                return () -> listeners.remove(key, l);
            }

            @Override
            public void connect(IpAddress peer, int port, Duration timeout, ConnectHandler handler) {
                Listener l = listeners.get(peer + ":" + port);
                if (l == null || !l.loop.alive() || !reachable(address, peer)) {
                    boolean refused = l == null && reachable(address, peer);
                    loop.schedule(refused ? latency.multipliedBy(2) : timeout,
                            () -> handler.failed(refused ? "connection refused" : "connection timed out"));
                    return;
                }
                Pipe p = new Pipe(loop, address, l.loop, peer);
                pipes.add(p);
                // the handshake takes a round trip: the listener accepts after one latency, the caller after two
                l.loop.schedule(latency, () -> l.acceptor.accept(p.b));
                loop.schedule(latency.multipliedBy(2), () -> handler.connected(p.a));
            }
        };
    }

    private record Listener(SimLoop loop, IpAddress address, Consumer<StreamConnection> acceptor) { }

    /** A connection: two ends, each writing into the other. */
    private final class Pipe {
        final End a;
        final End b;

        Pipe(SimLoop aLoop, IpAddress aAddress, SimLoop bLoop, IpAddress bAddress) {
            a = new End(aLoop, aAddress);
            b = new End(bLoop, bAddress);
            a.other = b;
            b.other = a;
        }
    }

    private final class End implements StreamConnection {
        final SimLoop loop;
        final IpAddress address;
        End other;
        Receiver receiver;
        boolean closed;
        /** Bytes sent to this end while it could not be reached. */
        final List<byte[]> held = new ArrayList<>();
        /** Arrivals before a receiver was set. */
        final List<byte[]> early = new ArrayList<>();
        /** Bytes on their way to this end. */
        final List<Timer> inFlight = new ArrayList<>();
        long lastArrival;

        End(SimLoop loop, IpAddress address) {
            this.loop = loop;
            this.address = address;
        }

        @Override
        public IpAddress remote() {
            return other.address;
        }

        @Override
        public void receiver(Receiver r) {
            this.receiver = r;
            early.forEach(r::data);
            early.clear();
        }

        @Override
        public boolean send(byte[] data) {
            if (closed || !loop.alive()) {
                // a node that lost power mid-task sends nothing more
                return false;
            }
            other.arrive(data.clone(), address);
            return true;
        }

        /** Bytes from the other end, in order, after the latency; held while partitioned. */
        void arrive(byte[] data, IpAddress from) {
            if (!reachable(from, address)) {
                held.add(data);
                return;
            }
            long at = Math.max(world.now() + latency.toNanos(), lastArrival);
            lastArrival = at;
            Timer[] self = new Timer[1];
            self[0] = loop.schedule(Duration.ofNanos(at - world.now()), () -> {
                inFlight.remove(self[0]);
                if (closed) {
                    return;
                }
                if (receiver == null) {
                    early.add(data);
                } else {
                    receiver.data(data);
                }
            });
            inFlight.add(self[0]);
        }

        void flush() {
            List<byte[]> h = List.copyOf(held);
            held.clear();
            h.forEach(d -> arrive(d, other.address));
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            End o = other;
            if (!o.closed && reachable(address, o.address)) {
                long at = Math.max(world.now() + latency.toNanos(), o.lastArrival);
                o.loop.schedule(Duration.ofNanos(at - world.now()), () -> {
                    if (!o.closed) {
                        o.closed = true;
                        if (o.receiver != null) {
                            o.receiver.closed("closed by peer");
                        }
                    }
                });
            }
        }
    }
}
