package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;

/**
 * A receive buffer with what arrived in it: one per data-plane thread,
 * reused for every packet so the fast path allocates nothing for it.
 */
public final class Datagram {

    public final byte[] buf;
    public int length;
    /** Sender address (the remote gateway). */
    public IpAddress peer;
    /** Sender UDP port; 0 for raw ESP. */
    public int peerPort;
    /** The address the sender sent to, when the port reports it; else null. */
    public IpAddress local;

    public Datagram(int capacity) {
        this.buf = new byte[capacity];
    }
}
