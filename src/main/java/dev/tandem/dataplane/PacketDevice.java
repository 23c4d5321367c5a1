package dev.tandem.dataplane;

import java.io.IOException;

/**
 * Where cleartext packets enter and leave the gateway: a TUN device on
 * Linux, a queue in tests and simulation. Packets are raw IPv4/IPv6.
 */
public interface PacketDevice extends AutoCloseable {

    /** Blocks for the next packet; returns its length, or -1 once closed. */
    int read(byte[] buf, int off, int len) throws IOException;

    void write(byte[] buf, int off, int len) throws IOException;

    @Override
    void close() throws IOException;
}
