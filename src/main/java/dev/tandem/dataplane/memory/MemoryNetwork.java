package dev.tandem.dataplane.memory;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.dataplane.EspPort;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A wire between gateways in one JVM: each gateway opens a UDP (port 4500)
 * and a raw ESP port at its address; what one sends reaches the port of the
 * same kind at the destination. A filter can drop or record datagrams.
 */
public final class MemoryNetwork {

    /** One datagram on the wire. */
    public record Packet(IpAddress src, IpAddress dst, boolean udp, byte[] data) { }

    private record Endpoint(IpAddress address, boolean udp) { }

    private final Map<Endpoint, Port> ports = new ConcurrentHashMap<>();
    private volatile Predicate<Packet> filter = p -> true;

    /** Decides per packet whether the wire carries it (return false to drop). */
    public void filter(Predicate<Packet> f) {
        this.filter = f;
    }

    public EspPort open(IpAddress address, boolean udp) {
        Port p = new Port(address, udp);
        if (ports.putIfAbsent(new Endpoint(address, udp), p) != null) {
            throw new IllegalStateException("address in use: " + address);
        }
        return p;
    }

    /** Delivers a datagram as if it came from {@code src}, e.g. a forged or replayed one. */
    public void inject(Packet p) {
        Port dst = ports.get(new Endpoint(p.dst(), p.udp()));
        if (dst != null) {
            dst.queue.add(p);
        }
    }

    private final class Port implements EspPort {
        final IpAddress address;
        final boolean udp;
        final BlockingQueue<Packet> queue = new LinkedBlockingQueue<>();
        volatile boolean closed;

        Port(IpAddress address, boolean udp) {
            this.address = address;
            this.udp = udp;
        }

        /** Takes the first queued datagram and those right behind it from the same sender, like UDP GRO. */
        @Override
        public int receive(DatagramBatch d) throws IOException {
            PacketBatch b = d.packets;
            b.clear();
            try {
                Packet p = queue.take();
                if (p.data() == null) {
                    queue.add(p);
                    return -1;
                }
                d.peer = p.src();
                d.peerPort = udp ? 4500 : 0;
                while (p != null) {
                    int at = b.end();
                    System.arraycopy(p.data(), 0, b.buf, at, p.data().length);
                    b.add(at, p.data().length);
                    Packet next = queue.peek();
                    p = next != null && next.data() != null && next.src().equals(d.peer)
                            && b.fits(next.data().length) ? queue.poll() : null;
                }
                return b.count();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        /** The wire records {@code src} as the sender (the port's own address when null); it checks nothing. */
        @Override
        public void send(IpAddress src, IpAddress dst, int port, PacketBatch batch) throws IOException {
            if (closed) {
                throw new IOException("port closed");
            }
            IpAddress from = src != null ? src : address;
            for (int i = 0; i < batch.count(); i++) {
                int off = batch.offset(i);
                Packet p = new Packet(from, dst, udp,
                        java.util.Arrays.copyOfRange(batch.buf, off, off + batch.length(i)));
                if (filter.test(p)) {
                    inject(p);
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            ports.remove(new Endpoint(address, udp), this);
            queue.add(new Packet(address, address, udp, null));
        }
    }
}
