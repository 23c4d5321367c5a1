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
     * Blocks for the next datagram and fills {@code d} (for raw ESP: the ESP
     * packet, IP header removed); returns its length, or -1 once closed.
     */
    int receive(Datagram d) throws IOException;

    /** Sends one datagram to {@code dst} (the port is ignored for raw ESP). */
    void send(IpAddress dst, int port, byte[] buf, int off, int len) throws IOException;

    @Override
    void close() throws IOException;
}
