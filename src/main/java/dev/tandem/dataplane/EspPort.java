package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;
import java.io.IOException;

/**
 * Where ESP packets enter and leave: the UDP socket on port 4500 (ESP-in-UDP,
 * shared with IKE through the non-ESP marker) or the raw socket for IP
 * protocol 50. Linux implementations live in dev.tandem.os; tests and the
 * simulation use in-memory ones. Several threads may receive and send at once.
 */
public interface EspPort extends AutoCloseable {

    /**
     * Blocks for the next datagrams from one sender and fills {@code b}
     * (cleared first; for raw ESP the IP header is removed): several when
     * the port can receive them in one go, else one. Returns how many, or
     * -1 once closed.
     */
    int receive(DatagramBatch b) throws IOException;

    /**
     * Sends every packet of {@code batch} as its own datagram from {@code src}
     * to {@code dst} (the port is ignored for raw ESP), in as few system calls
     * as the port manages. {@code src} is the SA's source address, which on a
     * cluster node is a VIP beside the interface's own address; the kernel
     * would otherwise pick the interface's primary address. It must be an
     * address this host holds: a node that does not (a CARP backup) cannot
     * send, and the send fails. Null lets the system choose.
     */
    void send(IpAddress src, IpAddress dst, int port, PacketBatch batch) throws IOException;

    @Override
    void close() throws IOException;
}
