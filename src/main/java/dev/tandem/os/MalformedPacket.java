package dev.tandem.os;

/**
 * What arrived from a socket (a datagram off the wire, a kernel message)
 * does not have the shape its header claims; the message names the field.
 */
final class MalformedPacket extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedPacket(String message) {
        super(message);
    }
}
