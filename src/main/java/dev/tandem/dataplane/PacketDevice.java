package dev.tandem.dataplane;

import java.io.IOException;

/**
 * Where cleartext packets enter and leave the gateway: a TUN device on
 * Linux, a queue in tests and simulation. Packets are raw IPv4/IPv6 with
 * valid checksums; a device that takes offloads from the kernel splits and
 * merges behind this interface.
 */
public interface PacketDevice extends AutoCloseable {

    /**
     * Blocks for the next packets and fills {@code into} (cleared first): one
     * packet, or the segments of a super-packet. Returns how many, or -1 once
     * closed.
     */
    int read(PacketBatch into) throws IOException;

    /** Writes the packets of {@code packets}, in order (the device may merge them). */
    void write(PacketBatch packets) throws IOException;

    @Override
    void close() throws IOException;
}
