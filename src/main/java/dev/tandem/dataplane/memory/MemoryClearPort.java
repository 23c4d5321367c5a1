package dev.tandem.dataplane.memory;

import dev.tandem.dataplane.ClearPort;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects the packets a data plane sends in the clear, for tests and the simulation. */
public final class MemoryClearPort implements ClearPort {

    private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();

    @Override
    public void send(byte[] buf, int off, int len) {
        sent.add(Arrays.copyOfRange(buf, off, off + len));
    }

    /** The next packet sent in the clear, or null after the timeout. */
    public byte[] take(long timeout, TimeUnit unit) throws InterruptedException {
        return sent.poll(timeout, unit);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
