package dev.tandem.os;

import dev.tandem.dataplane.EspPort;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.ike.IkePort;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IKE daemon's {@link IkePort} on the node's sockets: port 500 is the
 * IKE socket, port 4500 the data plane's ESP-in-UDP socket, where the
 * non-ESP marker goes first. The source address travels as IP_PKTINFO, so a
 * cluster answers from its VIP. A failed send is counted and logged (at most
 * one line per {@link #LOG_EVERY_NANOS}); retransmission recovers it.
 */
public final class UdpIkePort implements IkePort {

    private static final Logger LOG = LoggerFactory.getLogger(UdpIkePort.class);
    static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final EspPort ike;
    private final EspPort natT;
    private final LongSupplier nanoTime;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long lastLog;
    private long unlogged;

    /**
     * @param ike      the port 500 socket
     * @param natT     the port 4500 socket, shared with ESP-in-UDP
     * @param nanoTime the event loop's clock, for rate-limiting the log
     */
    public UdpIkePort(EspPort ike, EspPort natT, LongSupplier nanoTime) {
        this.ike = ike;
        this.natT = natT;
        this.nanoTime = nanoTime;
        this.lastLog = nanoTime.getAsLong() - LOG_EVERY_NANOS;
    }

    @Override
    public void send(IpAddress localAddress, int localPort, IkeEndpoint remote, byte[] message) {
        EspPort port = switch (localPort) {
            case IkeEndpoint.IKE_PORT -> ike;
            case IkeEndpoint.NAT_T_PORT -> natT;
            default -> null;
        };
        if (port == null) {
            fail(remote, "no socket on local port " + localPort);
            return;
        }
        int marker = localPort == IkeEndpoint.NAT_T_PORT ? IkeInbox.MARKER_BYTES : 0;
        PacketBatch b = new PacketBatch(marker + message.length);
        // a new buffer is zero-filled: the marker is there already
        System.arraycopy(message, 0, b.buf, marker, message.length);
        b.add(0, b.buf.length);
        try {
            port.send(localAddress, remote.address(), remote.port(), b);
            sent.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            fail(remote, e.getMessage());
        }
    }

    private void fail(IkeEndpoint remote, String why) {
        failed.incrementAndGet();
        long now = nanoTime.getAsLong();
        if (now - lastLog >= LOG_EVERY_NANOS) {
            LOG.warn("ike: cannot send to {}: {}{}", remote, why,
                    unlogged == 0 ? "" : " (" + unlogged + " more failed sends since the last report)");
            lastLog = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
    }

    /** Messages handed to a socket. */
    public long sent() {
        return sent.get();
    }

    /** Messages that could not be sent. */
    public long failed() {
        return failed.get();
    }
}
