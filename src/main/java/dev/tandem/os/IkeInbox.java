package dev.tandem.os;

import dev.tandem.dataplane.Datagram;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.loop.EventLoop;
import dev.tandem.net.IpAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where received IKE messages enter the control plane: from the port 500
 * reader and from the data plane's port 4500 (non-ESP marker removed here),
 * each posted to the event loop as its own task. At most {@link #LIMIT}
 * wait at once; beyond that a flood costs counted drops, not memory.
 */
public final class IkeInbox {

    /** Messages waiting for the loop at most. */
    public static final int LIMIT = 4096;
    /** The RFC 3948 non-ESP marker before IKE messages on port 4500. */
    static final int MARKER_BYTES = 4;

    /** The IKE daemon's receive entry point, run on the loop. */
    @FunctionalInterface
    public interface Receiver {
        void receive(IkeEndpoint from, IpAddress localAddress, int localPort, byte[] message);
    }

    private final BoundedHandOff handOff;
    private final Receiver receiver;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    public IkeInbox(EventLoop loop, Receiver receiver) {
        this.handOff = new BoundedHandOff(loop, LIMIT);
        this.receiver = receiver;
    }

    /**
     * Queues one message; callable from any thread. False when it was dropped
     * (too many waiting, or a sender port of 0, which no IKE peer uses).
     *
     * @param localAddress the address it was sent to, or null when unknown
     */
    public boolean offer(IpAddress from, int fromPort, IpAddress localAddress, int localPort, byte[] message) {
        if (from == null || fromPort < 1 || fromPort > 0xffff) {
            malformed.incrementAndGet();
            return false;
        }
        IkeEndpoint sender = new IkeEndpoint(from, fromPort);
        if (!handOff.offer(() -> receiver.receive(sender, localAddress, localPort, message))) {
            return false;
        }
        received.incrementAndGet();
        return true;
    }

    /**
     * A datagram of port 4500 that starts with the non-ESP marker (the data
     * plane checked it), on a data-plane thread: the marker goes, the rest is
     * the IKE message.
     */
    public void natT(Datagram d) {
        if (d.length <= MARKER_BYTES) {
            malformed.incrementAndGet();
            return;
        }
        offer(d.peer, d.peerPort, d.local, IkeEndpoint.NAT_T_PORT, Arrays.copyOfRange(d.buf, MARKER_BYTES,
                d.length));
    }

    /** Messages handed to the loop. */
    public long received() {
        return received.get();
    }

    /** Messages dropped because too many were waiting (or the loop was closed). */
    public long dropped() {
        return handOff.dropped();
    }

    /** Datagrams that could not be IKE: empty after the marker, or from port 0. */
    public long malformed() {
        return malformed.get();
    }
}
