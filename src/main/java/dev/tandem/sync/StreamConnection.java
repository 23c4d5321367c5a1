package dev.tandem.sync;

import dev.tandem.net.IpAddress;

/** One established byte stream; calls are made on the node's event loop. */
public interface StreamConnection {

    /** The address of the other end. */
    IpAddress remote();

    /**
     * Where arriving bytes and the end of the stream go, on the loop. Set once,
     * right after the connection is handed over; nothing is delivered before.
     */
    void receiver(Receiver receiver);

    /**
     * Queues {@code data} for sending, in order.
     *
     * @return false if the queue of unsent bytes is over its bound (the other end
     *         does not keep up); the data is not queued and the caller should close
     */
    boolean send(byte[] data);

    /** Closes the stream; the receiver hears nothing more. Harmless when already closed. */
    void close();

    /** What a connection delivers. */
    interface Receiver {

        /** The next bytes of the stream (any chunking). */
        void data(byte[] chunk);

        /** The stream ended: closed by the other end, reset, or failed. Called once. */
        void closed(String reason);
    }
}
