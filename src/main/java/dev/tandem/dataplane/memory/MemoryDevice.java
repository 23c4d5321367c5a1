package dev.tandem.dataplane.memory;

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

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        try {
            byte[] p = toGateway.take();
            if (p == CLOSED) {
                toGateway.add(CLOSED);
                return -1;
            }
            int n = Math.min(len, p.length);
            System.arraycopy(p, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("device closed");
        }
        fromGateway.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void close() {
        closed = true;
        toGateway.add(CLOSED);
    }
}
