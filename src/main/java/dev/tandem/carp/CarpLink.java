package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.io.IOException;

/**
 * CARP's view of one parent interface (the carpdev): advertisements go out
 * as IP protocol 112 with TTL 255, to the CARP group 224.0.0.18 or to a
 * unicast carppeer, and whatever arrives on protocol 112 comes back through
 * the {@link Receiver} together with the link state. The Linux implementation
 * is a raw socket bound to the device; the simulator's is a lossy segment.
 */
public interface CarpLink extends AutoCloseable {

    /** The IPv4 multicast group of CARP (and VRRP). */
    IpAddress GROUP = IpAddress.parseV4("224.0.0.18").orElseThrow();

    /** Name of the parent interface. */
    String device();

    /** The address advertisements leave from (the carpdev's primary IPv4 address), or null if it has none. */
    IpAddress source();

    /** Whether the device is up with carrier. */
    boolean linkUp();

    /**
     * Sends one CARP header ({@code packet}, 36 bytes) inside an IPv4 packet with
     * TTL 255 to {@code destination}. Never blocks for long.
     *
     * @throws IOException when the kernel refuses (counted as a send error by the caller)
     */
    void send(IpAddress destination, byte[] packet) throws IOException;

    @Override
    void close();

    /**
     * What a link reports; always called on the node's event loop, in order.
     */
    interface Receiver {

        /**
         * An IP protocol 112 packet arrived.
         *
         * @param source      IP source address
         * @param destination IP destination address
         * @param ttl         IP TTL as received (CARP requires 255)
         * @param packet      the IP payload, unvalidated
         */
        void received(IpAddress source, IpAddress destination, int ttl, byte[] packet);

        /** The device's link went up or down. */
        void linkChanged(boolean up);
    }

    /** Opens links; one per carpdev, shared by the carp interfaces on that device. */
    interface Factory {

        /**
         * @param device   parent interface name
         * @param receiver where arrivals and link changes go, on the node's loop
         */
        CarpLink open(String device, Receiver receiver) throws IOException;
    }
}
