package dev.tandem.ike;

import dev.tandem.net.IpAddress;

/**
 * Where IKE messages leave the node. Port 500 carries them as they are; port
 * 4500 is shared with ESP-in-UDP, so the implementation prefixes the four-byte
 * non-ESP marker (RFC 3948 section 2.2) there. Called on the event loop; a
 * send never blocks for long and never throws for a network error (the loss
 * is logged and counted, retransmission recovers it). Received messages are
 * handed to the IKE daemon on the loop without the marker.
 */
public interface IkePort {

    /**
     * Sends one ISAKMP message from {@code localPort} (500 or 4500) and
     * {@code localAddress} (an address this node holds, possibly a VIP; null
     * lets the kernel choose) to {@code remote}.
     */
    void send(IpAddress localAddress, int localPort, IkeEndpoint remote, byte[] message);
}
