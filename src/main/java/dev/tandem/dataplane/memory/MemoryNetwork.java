package dev.tandem.dataplane.memory;

import dev.tandem.dataplane.Datagram;
import dev.tandem.dataplane.EspPort;
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

        @Override
        public int receive(Datagram d) throws IOException {
            try {
                Packet p = queue.take();
                if (p.data() == null) {
                    queue.add(p);
                    return -1;
                }
                int n = Math.min(p.data().length, d.buf.length);
                System.arraycopy(p.data(), 0, d.buf, 0, n);
                d.length = n;
                d.peer = p.src();
                d.peerPort = udp ? 4500 : 0;
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void send(IpAddress dst, int port, byte[] buf, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("port closed");
            }
            byte[] data = java.util.Arrays.copyOfRange(buf, off, off + len);
            Packet p = new Packet(address, dst, udp, data);
            if (filter.test(p)) {
                inject(p);
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
