package dev.tandem.os;

import dev.tandem.loop.EventLoop;
import dev.tandem.net.IpAddress;
import dev.tandem.sync.StreamConnection;
import dev.tandem.sync.StreamTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication channel's byte streams over TCP. One platform thread
 * ("sync-io") runs a selector over non-blocking sockets; it never runs owner
 * code: accepted and connected connections, arriving bytes and ends of
 * streams are posted to the node's {@link EventLoop}. Callers on the loop
 * only queue work for the I/O thread and wake it, so nothing blocks the loop
 * but {@link #close}, which waits for the thread to end.
 *
 * <p>Sockets have TCP_NODELAY (replication messages are small and latency is
 * the point) and SO_KEEPALIVE. A failure of one socket closes that connection
 * and is reported to its owner; it never stops the thread.
 */
public final class TcpStreamTransport implements StreamTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpStreamTransport.class);

    /** Unsent bytes one connection may queue before {@link StreamConnection#send} refuses. */
    public static final long DEFAULT_SEND_QUEUE_BYTES = 64L << 20;
    /** Bytes read but not yet taken by the loop, per connection, before reading stops for a while. */
    public static final long DEFAULT_RECEIVE_QUEUE_BYTES = 4L << 20;

    /** The largest chunk a receiver is handed. */
    static final int READ_CHUNK_BYTES = 64 * 1024;
    /** Buffers per gathering write: many small messages leave in one system call. */
    private static final int GATHER_BUFFERS = 64;
    private static final int ACCEPTS_PER_TURN = 16;
    private static final Duration THREAD_STOP_WAIT = Duration.ofSeconds(5);
    /** Longer timeouts are cut to this, so deadlines stay far from overflow; the kernel gives up much sooner. */
    private static final Duration LONGEST_CONNECT_TIMEOUT = Duration.ofDays(1);

    /** A bound listening socket. */
    public interface Listening extends AutoCloseable {

        /** The port it is bound to: the one asked for, or the one the kernel picked for port 0. */
        int port();

        /**
         * Stops accepting and frees the port before it returns (it waits for
         * one turn of the I/O thread). Connections not yet handed over are
         * closed instead; established ones stay. Harmless when already closed.
         */
        @Override
        void close();
    }

    private final EventLoop loop;
    private final long sendQueueBytes;
    private final long receiveQueueBytes;
    /** The address outgoing connections are bound to, or null: the kernel picks it from the route. */
    private final IpAddress source;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Object lifecycle = new Object();
    /** No more tasks are taken once set; guarded by {@link #lifecycle}. */
    private boolean terminated;
    private volatile boolean closing;

    // I/O thread only.
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK_BYTES);
    final ByteBuffer[] gather = new ByteBuffer[GATHER_BUFFERS];
    private final List<PendingConnect> connecting = new ArrayList<>();

    private TcpStreamTransport(EventLoop loop, long sendQueueBytes, long receiveQueueBytes, IpAddress source,
                               Selector selector) {
        this.loop = loop;
        this.sendQueueBytes = sendQueueBytes;
        this.receiveQueueBytes = receiveQueueBytes;
        this.source = source;
        this.selector = selector;
        this.thread = Thread.ofPlatform().name("sync-io").daemon(true).unstarted(this::run);
    }

    /** A transport with the default queue bounds; its I/O thread runs until {@link #close}. */
    public static TcpStreamTransport open(EventLoop loop) throws IOException {
        return open(loop, DEFAULT_SEND_QUEUE_BYTES, DEFAULT_RECEIVE_QUEUE_BYTES);
    }

    /**
     * A transport whose connections queue at most {@code sendQueueBytes}
     * unsent bytes each, and stop reading while {@code receiveQueueBytes}
     * (plus at most one chunk of 64 KiB) wait for the loop.
     */
    public static TcpStreamTransport open(EventLoop loop, long sendQueueBytes, long receiveQueueBytes)
            throws IOException {
        return open(loop, sendQueueBytes, receiveQueueBytes, null);
    }

    /**
     * As {@link #open(EventLoop, long, long)}, with every outgoing connection
     * bound to {@code source} (null: the kernel chooses by route). Peers know
     * each other by address, and the kernel's choice is not always the
     * address the peer expects: towards any of 127/8 it is 127.0.0.1, so
     * nodes on 127.0.0.1 and 127.0.0.2 of one host (the sync benchmark) would
     * look alike without it.
     */
    public static TcpStreamTransport open(EventLoop loop, long sendQueueBytes, long receiveQueueBytes,
                                          IpAddress source) throws IOException {
        Objects.requireNonNull(loop, "loop");
        if (sendQueueBytes < 1 || receiveQueueBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
        TcpStreamTransport t = new TcpStreamTransport(loop, sendQueueBytes, receiveQueueBytes, source,
                Selector.open());
        t.thread.start();
        return t;
    }

    /**
     * Binds {@code local} (null: every address, IPv4 and IPv6 through one
     * dual-stack socket where the host has IPv6) and {@code port} (0: any)
     * with SO_REUSEADDR, at once, so a taken port fails here.
     */
    @Override
    public Listening listen(IpAddress local, int port, Consumer<StreamConnection> acceptor) throws IOException {
        Objects.requireNonNull(acceptor, "acceptor");
        checkPort(port, 0);
        if (closing) {
            throw new IOException("transport closed");
        }
        ServerSocketChannel server = local == null ? ServerSocketChannel.open()
                : ServerSocketChannel.open(familyOf(local));
        Listener listener;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(local == null ? new InetSocketAddress(port) : new InetSocketAddress(inet(local), port));
            server.configureBlocking(false);
            listener = new Listener(server, acceptor, ((InetSocketAddress) server.getLocalAddress()).getPort());
        } catch (IOException e) {
            closeQuietly(server);
            throw new IOException("cannot listen on " + (local == null ? "*" : local) + " port " + port + ": "
                    + e.getMessage(), e);
        }
        if (!submit(() -> ioRegister(listener))) {
            closeQuietly(server);
            throw new IOException("transport closed");
        }
        return listener;
    }

    /**
     * Connects without blocking; {@code handler} hears, on the loop, either
     * {@code connected} or {@code failed} with the system's reason ("connection
     * refused", "network is unreachable", ...) or "connection timed out after N ms".
     */
    @Override
    public void connect(IpAddress peer, int port, Duration timeout, ConnectHandler handler) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        checkPort(port, 1);
        Duration wait = timeout.isNegative() ? Duration.ZERO
                : timeout.compareTo(LONGEST_CONNECT_TIMEOUT) > 0 ? LONGEST_CONNECT_TIMEOUT : timeout;
        long deadline = System.nanoTime() + wait.toNanos();
        if (!submit(() -> ioConnect(peer, port, timeout, deadline, handler))) {
            post(loop, () -> handler.failed("transport closed"));
        }
    }

    /**
     * Closes every listener and connection (their receivers hear
     * "transport closed"; pending connects fail with it) and waits for the I/O
     * thread to end. Harmless when already closed.
     */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!thread.join(THREAD_STOP_WAIT)) {
                LOG.warn("sync I/O thread did not stop within {}", THREAD_STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- shared with TcpConnection ----

    /** Queues {@code task} for the I/O thread; false once the thread has stopped taking tasks. */
    boolean submit(Runnable task) {
        synchronized (lifecycle) {
            if (terminated) {
                return false;
            }
            tasks.add(task);
        }
        selector.wakeup();
        return true;
    }

    /** Hands {@code task} to the loop; a loop that has shut down drops it, as it drops its own tasks. */
    static void post(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop is shut down; a transport callback is dropped");
        }
    }

    /** The system's words for a failure, in lower case like the rest of the reasons ("connection reset"). */
    static String reasonOf(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && !Character.isUpperCase(m.charAt(1))) {
            return Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return m;
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    /** The I/O thread, so that tests can see it end. */
    Thread ioThread() {
        return thread;
    }

    // ---- I/O thread ----

    private void run() {
        try {
            while (!closing) {
                try {
                    selector.select(this::ioReady, selectTimeoutMillis());
                } catch (ClosedSelectorException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // ioReady handles each key's failures; this is a bug, and the thread must outlive it.
                    LOG.error("sync I/O turn failed", e);
                }
                runTasks();
                expireConnects();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.error("sync I/O selector failed; the transport stops", e);
        } finally {
            shutDown();
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("sync I/O task failed", e);
            }
        }
    }

    private void ioReady(SelectionKey key) {
        Object a = key.attachment();
        try {
            switch (a) {
                case TcpConnection c -> c.ioReady(readBuffer, gather);
                case Listener l -> ioAccept(l);
                case PendingConnect p -> ioFinishConnect(p);
                case null, default -> key.cancel();
            }
        } catch (RuntimeException e) {
            LOG.warn("sync I/O: {} failed", a, e);
            switch (a) {
                case TcpConnection c -> c.ioFail(e);
                case PendingConnect p -> ioConnectFailed(p, reasonOf(e));
                case null, default -> key.cancel();
            }
        }
    }

    private void ioRegister(Listener l) {
        if (l.closed) {
            return;
        }
        try {
            l.channel.register(selector, SelectionKey.OP_ACCEPT, l);
        } catch (IOException e) {
            LOG.warn("listener on port {} cannot be watched: {}", l.port, e.toString());
            closeQuietly(l.channel);
        }
    }

    private void ioAccept(Listener l) {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel ch;
            try {
                ch = l.channel.accept();
            } catch (IOException e) {
                if (!l.closed) {
                    LOG.warn("accept on port {} failed: {}", l.port, e.toString());
                }
                return;
            }
            if (ch == null) {
                return;
            }
            TcpConnection c;
            try {
                c = ioConnection(ch, ipOf(ch.getRemoteAddress()), null);
            } catch (IOException e) {
                LOG.warn("accepted connection on port {} unusable: {}", l.port, e.toString());
                closeQuietly(ch);
                continue;
            }
            post(loop, () -> {
                if (l.closed) {
                    c.close();
                    return;
                }
                handOver(c, l.acceptor);
            });
        }
    }

    private void ioConnect(IpAddress peer, int port, Duration timeout, long deadline, ConnectHandler handler) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(familyOf(peer));
            ch.configureBlocking(false);
            if (source != null) {
                ch.bind(new InetSocketAddress(inet(source), 0));
            }
            PendingConnect p = new PendingConnect(ch, peer, timeout, deadline, handler);
            if (ch.connect(new InetSocketAddress(inet(peer), port))) {
                ioConnected(p, null);
                return;
            }
            p.key = ch.register(selector, SelectionKey.OP_CONNECT, p);
            connecting.add(p);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            String reason = reasonOf(e);
            post(loop, () -> handler.failed(reason));
        }
    }

    private void ioFinishConnect(PendingConnect p) {
        try {
            if (p.channel.finishConnect()) {
                ioConnected(p, p.key);
            }
        } catch (IOException e) {
            ioConnectFailed(p, reasonOf(e));
        }
    }

    private void ioConnected(PendingConnect p, SelectionKey key) {
        if (!p.decide()) {
            return;
        }
        connecting.remove(p);
        TcpConnection c;
        try {
            c = ioConnection(p.channel, p.peer, key);
        } catch (IOException | RuntimeException e) {
            closeQuietly(p.channel);
            String reason = reasonOf(e);
            post(loop, () -> p.handler.failed(reason));
            return;
        }
        post(loop, () -> handOver(c, p.handler::connected));
    }

    private void ioConnectFailed(PendingConnect p, String reason) {
        if (!p.decide()) {
            return;
        }
        connecting.remove(p);
        if (p.key != null) {
            p.key.cancel();
        }
        closeQuietly(p.channel);
        post(loop, () -> p.handler.failed(reason));
    }

    private void expireConnects() {
        if (connecting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (PendingConnect p : List.copyOf(connecting)) {
            if (now - p.deadline >= 0) {
                ioConnectFailed(p, "connection timed out after " + p.timeout.toMillis() + " ms");
            }
        }
    }

    /** How long select may wait: until the nearest connect deadline, or for ever (0). */
    private long selectTimeoutMillis() {
        if (connecting.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        long nearest = Long.MAX_VALUE;
        for (PendingConnect p : connecting) {
            nearest = Math.min(nearest, p.deadline - now);
        }
        return Math.max(1, (nearest + 999_999) / 1_000_000);
    }

    /** Sets the socket up and registers it for reading (reusing the connect key when there is one). */
    private TcpConnection ioConnection(SocketChannel ch, IpAddress remote, SelectionKey key) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        TcpConnection c = new TcpConnection(this, loop, ch, remote, sendQueueBytes, receiveQueueBytes);
        c.ioAttach(key != null ? key : ch.register(selector, SelectionKey.OP_READ, c));
        return c;
    }

    /** Runs on the loop: gives the connection to its owner, or closes it if the owner's code throws. */
    private static void handOver(TcpConnection c, Consumer<StreamConnection> owner) {
        try {
            owner.accept(c);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void shutDown() {
        synchronized (lifecycle) {
            terminated = true;
        }
        // Work queued before the end still runs, so that every connect ends in a callback below.
        runTasks();
        for (SelectionKey key : List.copyOf(selector.keys())) {
            switch (key.attachment()) {
                case TcpConnection c -> c.ioEnd("transport closed");
                case Listener l -> closeQuietly(l.channel);
                case PendingConnect p -> ioConnectFailed(p, "transport closed");
                case null, default -> closeQuietly(key.channel());
            }
        }
        for (PendingConnect p : List.copyOf(connecting)) {
            ioConnectFailed(p, "transport closed");
        }
        closeQuietly(selector);
    }

    // ---- helpers ----

    private static void checkPort(int port, int lowest) {
        if (port < lowest || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private static ProtocolFamily familyOf(IpAddress a) {
        return a.family() == IpAddress.Family.INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static InetAddress inet(IpAddress a) {
        try {
            return InetAddress.getByAddress(a.octets());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // only for a wrong length, which IpAddress rules out
        }
    }

    private static IpAddress ipOf(SocketAddress a) throws IOException {
        if (a instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return new IpAddress(isa.getAddress().getAddress());
        }
        throw new IOException("peer address unknown: " + a);
    }

    private final class Listener implements Listening {

        final ServerSocketChannel channel;
        final Consumer<StreamConnection> acceptor;
        final int port;
        volatile boolean closed;

        Listener(ServerSocketChannel channel, Consumer<StreamConnection> acceptor, int port) {
            this.channel = channel;
            this.acceptor = acceptor;
            this.port = port;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            // A socket registered with a selector is only really closed when the selector lets go of
            // it, so the I/O thread closes it and turns the selector once; waiting for that keeps the
            // promise that nothing is accepted, and the port is free, once this returns.
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (!submit(() -> ioClose(done))) {
                closeQuietly(channel);
                return;
            }
            if (Thread.currentThread() == thread) {
                return;
            }
            try {
                done.get(THREAD_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("listener on port {} may not be closed yet: {}", port, e.toString());
            }
        }

        private void ioClose(CompletableFuture<Void> done) {
            try {
                closeQuietly(channel);
                selector.selectNow(TcpStreamTransport.this::ioReady);
            } catch (IOException | RuntimeException e) {
                LOG.debug("selector turn after closing {} failed: {}", this, e.toString());
            } finally {
                done.complete(null);
            }
        }

        @Override
        public String toString() {
            return "listener on port " + port;
        }
    }

    /** A connect in progress; I/O thread only. Decided once: connected, failed or timed out. */
    private static final class PendingConnect {

        final SocketChannel channel;
        final IpAddress peer;
        final Duration timeout;
        final long deadline;
        final ConnectHandler handler;
        SelectionKey key;
        private boolean decided;

        PendingConnect(SocketChannel channel, IpAddress peer, Duration timeout, long deadline, ConnectHandler handler) {
            this.channel = channel;
            this.peer = peer;
            this.timeout = timeout;
            this.deadline = deadline;
            this.handler = handler;
        }

        boolean decide() {
            boolean first = !decided;
            decided = true;
            return first;
        }

        @Override
        public String toString() {
            return "connect to " + peer;
        }
    }
}
