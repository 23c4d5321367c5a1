package dev.tandem.sim.failover;

import dev.tandem.dataplane.IpPacket;
import dev.tandem.dataplane.UdpPackets;
import dev.tandem.net.IpAddress;
import dev.tandem.sim.SimLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A host sending sequence-numbered UDP datagrams at a steady rate to a host
 * on the other side of the tunnel, and that host's record of what arrived
 * and when: loss, duplicates and the longest silence, per window of time.
 */
public final class SequencedFlow {

    private final String name;
    private final SimLoop sender;
    private final IpAddress src;
    private final IpAddress dst;
    private final int port;
    private final long intervalNanos;
    private final Consumer<byte[]> out;
    private long[] sentAt = new long[1024];
    private long[] arrivedAt = new long[1024];
    private int[] copies = new int[1024];
    private int sent;
    private boolean running;

    /** The flow's datagrams leave through {@code out}, the sending host's next hop. */
    public SequencedFlow(String name, SimLoop sender, IpAddress src, IpAddress dst, int port, int perSecond,
                         Consumer<byte[]> out) {
        this.name = name;
        this.sender = sender;
        this.src = src;
        this.dst = dst;
        this.port = port;
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.out = out;
    }

    public void start() {
        if (!running) {
            running = true;
            sender.execute(this::next);
        }
    }

    private void next() {
        grow(sent + 1);
        byte[] payload = new byte[8];
        long seq = sent;
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (seq >>> (56 - 8 * i));
        }
        sentAt[sent++] = sender.nanoTime();
        out.accept(UdpPackets.build(src, dst, port, port, payload));
        sender.schedule(Duration.ofNanos(intervalNanos), this::next);
    }

    private void grow(int n) {
        if (n > sentAt.length) {
            int size = Math.max(n, sentAt.length * 2);
            sentAt = Arrays.copyOf(sentAt, size);
            arrivedAt = Arrays.copyOf(arrivedAt, size);
            copies = Arrays.copyOf(copies, size);
        }
    }

    /** A packet delivered to the receiving host at {@code nanos}; not one of the flow's: false. */
    public boolean received(byte[] packet, long nanos) {
        IpPacket ip = new IpPacket();
        if (!ip.parse(packet, 0, packet.length) || ip.protocol() != IpPacket.PROTO_UDP || ip.dstPort() != port
                || !ip.dst().equals(dst) || packet.length < ip.headerLength() + 16) {
            return false;
        }
        long seq = 0;
        int at = ip.headerLength() + 8;
        for (int i = 0; i < 8; i++) {
            seq = seq << 8 | (packet[at + i] & 0xff);
        }
        if (seq < 0 || seq >= sent) {
            return false;
        }
        int s = (int) seq;
        if (copies[s]++ == 0) {
            arrivedAt[s] = nanos;
        }
        return true;
    }

    /** Sent at or after {@code nanos} and delivered. */
    public boolean deliveredSince(long nanos) {
        for (int i = sent - 1; i >= 0 && sentAt[i] >= nanos; i--) {
            if (copies[i] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * What happened to the datagrams sent in [from, to): how many, lost,
     * delivered twice, and the longest time between consecutive arrivals
     * (the gap a failover leaves).
     */
    public Window window(long from, long to) {
        int n = 0;
        int lost = 0;
        int dup = 0;
        long previous = -1;
        long gap = 0;
        long gapStart = 0;
        long[] arrivals = new long[sent];
        int a = 0;
        for (int i = 0; i < sent; i++) {
            if (sentAt[i] < from || sentAt[i] >= to) {
                continue;
            }
            n++;
            if (copies[i] == 0) {
                lost++;
            } else {
                dup += copies[i] - 1;
                arrivals[a++] = arrivedAt[i];
            }
        }
        Arrays.sort(arrivals, 0, a);
        for (int i = 0; i < a; i++) {
            if (previous >= 0 && arrivals[i] - previous > gap) {
                gap = arrivals[i] - previous;
                gapStart = previous;
            }
            previous = arrivals[i];
        }
        return new Window(name, n, lost, dup, gap, gapStart);
    }

    /**
     * @param gapNanos      longest time between consecutive arrivals
     * @param gapStartNanos when it began (the world's clock)
     */
    public record Window(String flow, int sent, int lost, int duplicates, long gapNanos, long gapStartNanos) {

        public double gapMs() {
            return gapNanos / 1e6;
        }

        @Override
        public String toString() {
            return "%s: %d sent, %d lost, gap %.1f ms".formatted(flow, sent, lost, gapMs());
        }
    }
}
