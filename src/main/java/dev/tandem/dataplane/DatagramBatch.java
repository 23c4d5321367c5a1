package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;

/**
 * ESP datagrams received from one sender in one go (a UDP GRO receive
 * coalesces only datagrams of one flow; other ports deliver one at a time).
 */
public final class DatagramBatch {

    public final PacketBatch packets;
    /** Sender address (the remote gateway). */
    public IpAddress peer;
    /** Sender UDP port; 0 for raw ESP. */
    public int peerPort;
    /** The address the sender sent to, when the port reports it (IKE's); else null. */
    public IpAddress local;

    public DatagramBatch(int capacity) {
        this.packets = new PacketBatch(capacity);
    }
}
