package dev.tandem.os;

import dev.tandem.loop.EventLoop;
import dev.tandem.net.IpAddress;
import dev.tandem.sync.StreamConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of a {@link TcpStreamTransport}, shared by three parties:
 * the owner on the event loop (receiver, send, close), the transport's I/O
 * thread (reading, writing, noticing the end) and the two queues between them.
 * Both queues are bounded: sends past the outbound bound are refused, and
 * reading stops while more than the inbound bound waits for the loop, so a
 * slow loop or a receiver set late pushes back on the peer through TCP
 * instead of filling the heap.
 */
final class TcpConnection implements StreamConnection {

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

    /** Reads per readiness event, so that one busy peer cannot hold the I/O thread. */
    private static final int READS_PER_TURN = 16;
    /** Gathering writes per turn, for the same reason. */
    private static final int WRITES_PER_TURN = 16;

    /** The end of the stream as an event in the inbound order, after the last bytes. */
    private record End(String reason) { }

    private final TcpStreamTransport transport;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final IpAddress remote;
    private final long sendBound;
    private final long receiveBound;

    /** Unsent bytes: appended by any thread, drained by the I/O thread; guarded by itself. */
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private long outboundBytes;
    private boolean outputShut;
    /** Set while a flush task is queued, so a burst of sends wakes the I/O thread once. */
    private final AtomicBoolean flushQueued = new AtomicBoolean();

    /** Bytes read but not yet handed to the receiver (or dropped). */
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicBoolean readingPaused = new AtomicBoolean();
    private volatile long undeliveredPeak;

    private volatile boolean closedByOwner;

    // Loop side.
    private Receiver receiver;
    /** What arrived before the receiver was set, or while that backlog is still being handed over. */
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private boolean ended;

    // I/O side.
    private SelectionKey key;
    private boolean ioDone;
    private final CompletableFuture<Void> ioEnded = new CompletableFuture<>();
    private final CompletableFuture<Void> firstPause = new CompletableFuture<>();

    TcpConnection(TcpStreamTransport transport, EventLoop loop, SocketChannel channel, IpAddress remote,
            long sendBound, long receiveBound) {
        this.transport = transport;
        this.loop = loop;
        this.channel = channel;
        this.remote = remote;
        this.sendBound = sendBound;
        this.receiveBound = receiveBound;
    }

    @Override
    public IpAddress remote() {
        return remote;
    }

    @Override
    public void receiver(Receiver r) {
        Objects.requireNonNull(r, "receiver");
        if (receiver != null) {
            throw new IllegalStateException("receiver already set");
        }
        receiver = r;
        if (!early.isEmpty()) {
            // Not right here: the owner is still setting up and should not be called back inside its own call.
            TcpStreamTransport.post(loop, this::deliverEarly);
        }
    }

    /**
     * Queues a copy of {@code data}. Also false once the connection is closed
     * (by either side): nothing is queued then.
     */
    @Override
    public boolean send(byte[] data) {
        Objects.requireNonNull(data, "data");
        ByteBuffer copy = ByteBuffer.wrap(data.clone());
        synchronized (outbound) {
            if (outputShut || data.length > sendBound - outboundBytes) {
                return false;
            }
            if (data.length == 0) {
                return true;
            }
            outbound.add(copy);
            outboundBytes += data.length;
        }
        if (flushQueued.compareAndSet(false, true)) {
            transport.submit(this::ioFlush);
        }
        return true;
    }

    /**
     * Closes the stream. Bytes already queued are written as far as the socket
     * takes them at once (a last message usually fits); the rest is dropped.
     */
    @Override
    public void close() {
        if (closedByOwner) {
            return;
        }
        closedByOwner = true;
        synchronized (outbound) {
            outputShut = true;
        }
        transport.submit(this::ioCloseByOwner);
    }

    // ---- loop side ----

    private void arrive(Object event) {
        if (closedByOwner || ended) {
            return;
        }
        if (receiver == null || !early.isEmpty()) {
            early.add(event);
            return;
        }
        deliver(event);
    }

    private void deliverEarly() {
        while (!early.isEmpty() && !closedByOwner && !ended) {
            Object event = early.poll();
            boolean delivered = false;
            try {
                deliver(event);
                delivered = true;
            } finally {
                if (!delivered && !early.isEmpty()) {
                    // The receiver threw; the loop logs it, and the rest still has to go out in order.
                    TcpStreamTransport.post(loop, this::deliverEarly);
                }
            }
        }
    }

    private void deliver(Object event) {
        if (event instanceof byte[] chunk) {
            consumed(chunk.length);
            receiver.data(chunk);
        } else {
            ended = true;
            receiver.closed(((End) event).reason());
        }
    }

    private void consumed(int n) {
        long left = undelivered.addAndGet(-n);
        if (left <= receiveBound / 2 && readingPaused.get() && readingPaused.compareAndSet(true, false)) {
            transport.submit(this::ioResumeReading);
        }
    }

    // ---- I/O side ----

    /** Registers the channel for reading; called once on the I/O thread. */
    void ioAttach(SelectionKey k) {
        key = k;
        k.attach(this);
        k.interestOps(SelectionKey.OP_READ);
    }

    void ioReady(ByteBuffer readBuffer, ByteBuffer[] gather) {
        try {
            int ops = key.readyOps();
            if ((ops & SelectionKey.OP_READ) != 0) {
                ioRead(readBuffer);
            }
            if (!ioDone && (ops & SelectionKey.OP_WRITE) != 0) {
                ioWrite(gather);
            }
        } catch (IOException | RuntimeException e) {
            ioFail(e);
        }
    }

    private void ioRead(ByteBuffer buffer) throws IOException {
        for (int i = 0; i < READS_PER_TURN; i++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                ioEnd("closed by peer");
                return;
            }
            if (n == 0) {
                return;
            }
            byte[] chunk = new byte[n];
            buffer.flip().get(chunk);
            long waiting = undelivered.addAndGet(n);
            if (waiting > undeliveredPeak) {
                undeliveredPeak = waiting;
            }
            TcpStreamTransport.post(loop, () -> arrive(chunk));
            if (waiting >= receiveBound) {
                ioPauseReading();
                return;
            }
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    /**
     * Stops reading until the loop has taken half of what waits. The loop's
     * side resumes only if it wins the flag, and so does the re-check here, so
     * exactly one of them turns reading back on.
     */
    private void ioPauseReading() {
        readingPaused.set(true);
        key.interestOpsAnd(~SelectionKey.OP_READ);
        firstPause.complete(null);
        if (undelivered.get() <= receiveBound / 2 && readingPaused.compareAndSet(true, false)) {
            key.interestOpsOr(SelectionKey.OP_READ);
        }
    }

    private void ioResumeReading() {
        if (!ioDone) {
            key.interestOpsOr(SelectionKey.OP_READ);
        }
    }

    private void ioFlush() {
        flushQueued.set(false);
        if (ioDone) {
            return;
        }
        try {
            ioWrite(transport.gather);
        } catch (IOException | RuntimeException e) {
            ioFail(e);
        }
    }

    /** Writes what the socket takes; keeps OP_WRITE interest exactly while bytes are left. */
    private void ioWrite(ByteBuffer[] gather) throws IOException {
        for (int turn = 0; turn < WRITES_PER_TURN; turn++) {
            WriteResult r = writeOnce(gather);
            if (r == WriteResult.EMPTY) {
                if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                    key.interestOpsAnd(~SelectionKey.OP_WRITE);
                }
                return;
            }
            if (r == WriteResult.SOCKET_FULL) {
                break;
            }
        }
        key.interestOpsOr(SelectionKey.OP_WRITE);
    }

    private enum WriteResult { EMPTY, SOCKET_FULL, MORE }

    private WriteResult writeOnce(ByteBuffer[] gather) throws IOException {
        int k = 0;
        synchronized (outbound) {
            for (ByteBuffer b : outbound) {
                if (k == gather.length) {
                    break;
                }
                gather[k++] = b;
            }
        }
        if (k == 0) {
            return WriteResult.EMPTY;
        }
        boolean full;
        try {
            long n = channel.write(gather, 0, k);
            full = gather[k - 1].hasRemaining();
            synchronized (outbound) {
                outboundBytes -= n;
                while (!outbound.isEmpty() && !outbound.peekFirst().hasRemaining()) {
                    outbound.pollFirst();
                }
            }
        } finally {
            Arrays.fill(gather, 0, k, null);
        }
        return full ? WriteResult.SOCKET_FULL : WriteResult.MORE;
    }

    private void ioCloseByOwner() {
        if (ioDone) {
            return;
        }
        try {
            for (int turn = 0; turn < WRITES_PER_TURN && writeOnce(transport.gather) == WriteResult.MORE; turn++) {
                // keep going while the socket takes everything offered
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("last write to {} before closing failed: {}", remote, e.toString());
        }
        ioEnd(null);
    }

    void ioFail(Throwable e) {
        if (!(e instanceof IOException)) {
            LOG.warn("connection to {} failed unexpectedly", remote, e);
        }
        ioEnd(TcpStreamTransport.reasonOf(e));
    }

    /**
     * Ends the connection on the I/O side, once; {@code reason} goes to the
     * receiver after every byte read before, unless the owner closed it.
     */
    void ioEnd(String reason) {
        if (ioDone) {
            return;
        }
        ioDone = true;
        LOG.debug("connection with {} ends: {}", remote, reason == null ? "closed by its owner" : reason);
        // Sending is refused before the end is queued, and the end is queued before the socket closes:
        // whoever has seen the end and then sends is refused, and whoever has seen the close and then
        // asks the loop finds the end already handled.
        synchronized (outbound) {
            outputShut = true;
            outbound.clear();
            outboundBytes = 0;
        }
        if (reason != null && !closedByOwner) {
            TcpStreamTransport.post(loop, () -> arrive(new End(reason)));
        }
        if (key != null) {
            key.cancel();
        }
        TcpStreamTransport.closeQuietly(channel);
        ioEnded.complete(null);
    }

    // ---- for tests ----

    /** Completes once the I/O side is done with the connection; all it read has been posted to the loop by then. */
    CompletableFuture<Void> ioEnded() {
        return ioEnded;
    }

    /** Completes the first time reading stops because too much waits for the loop. */
    CompletableFuture<Void> firstPause() {
        return firstPause;
    }

    /** The most bytes that ever waited for the loop at once. */
    long undeliveredPeak() {
        return undeliveredPeak;
    }

    @Override
    public String toString() {
        return "TcpConnection[" + remote + "]";
    }
}
