package dev.tandem.os;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.ike.IkeEndpoint;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP port 500: the socket IKE starts on, and the platform thread "ike-rx"
 * that reads it and hands each message, with the address it was sent to,
 * to the {@link IkeInbox} (as from local port 500, whatever port a test
 * bound). The socket is also where port 500 messages leave ({@link #port()}).
 */
public final class IkeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IkeListener.class);

    private final LinuxUdpEspPort port;
    private final IkeInbox inbox;
    private final int localPort;
    private Thread thread;

    private IkeListener(LinuxUdpEspPort port, int localPort, IkeInbox inbox) {
        this.port = port;
        this.localPort = localPort;
        this.inbox = inbox;
    }

    /** Binds UDP {@code port} on every IPv4 address (0: any free port, for tests); call {@link #start()} to read. */
    public static IkeListener open(int port, IkeInbox inbox) throws IOException {
        LinuxUdpEspPort p = LinuxUdpEspPort.open(null, port, false);
        try {
            p.reportDestinations();
            return new IkeListener(p, port == 0 ? p.localPort() : port, inbox);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The socket, for sending from the same port. */
    public LinuxUdpEspPort port() {
        return port;
    }

    public int localPort() {
        return localPort;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Thread.ofPlatform().name("ike-rx").daemon().start(this::run);
    }

    private void run() {
        DatagramBatch b = new DatagramBatch(65_536);
        try {
            while (port.receive(b) >= 0) {
                for (int i = 0; i < b.packets.count(); i++) {
                    byte[] m = new byte[b.packets.length(i)];
                    System.arraycopy(b.packets.buf, b.packets.offset(i), m, 0, m.length);
                    inbox.offer(b.peer, b.peerPort, b.local, IkeEndpoint.IKE_PORT, m);
                }
            }
        } catch (IOException e) {
            LOG.error("ike: UDP port {} cannot receive any more, IKE on port {} is down: {}", localPort, localPort,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        port.close();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
