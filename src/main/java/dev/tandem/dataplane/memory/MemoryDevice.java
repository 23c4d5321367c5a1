package dev.tandem.dataplane.memory;

import dev.tandem.dataplane.PacketBatch;
import dev.tandem.dataplane.PacketDevice;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory stand-in for the TUN device: tests put cleartext packets in
 * with {@link #inject} and take what the gateway delivers with {@link #take}.
 */
public final class MemoryDevice implements PacketDevice {

    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> toGateway = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> fromGateway = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /** A packet from the protected network, as if routed into the tunnel. */
    public void inject(byte[] packet) {
        toGateway.add(packet.clone());
    }

    /** The next packet the gateway delivered to the protected network, or null after the timeout. */
    public byte[] take(long timeout, TimeUnit unit) throws InterruptedException {
        return fromGateway.poll(timeout, unit);
    }

    /** Takes what is queued at once, as a TUN device with offloads hands over several packets in one read. */
    @Override
    public int read(PacketBatch into) throws IOException {
        into.clear();
        try {
            byte[] p = toGateway.take();
            while (p != null) {
                if (p == CLOSED) {
                    toGateway.add(CLOSED);
                    return into.count() == 0 ? -1 : into.count();
                }
                int at = into.end();
                System.arraycopy(p, 0, into.buf, at, p.length);
                into.add(at, p.length);
                byte[] next = toGateway.peek();
                p = next != null && next != CLOSED && into.fits(next.length) ? toGateway.poll() : null;
            }
            return into.count();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void write(PacketBatch packets) throws IOException {
        if (closed) {
            throw new IOException("device closed");
        }
        for (int i = 0; i < packets.count(); i++) {
            int off = packets.offset(i);
            fromGateway.add(Arrays.copyOfRange(packets.buf, off, off + packets.length(i)));
        }
    }

    @Override
    public void close() {
        closed = true;
        toGateway.add(CLOSED);
    }
}
