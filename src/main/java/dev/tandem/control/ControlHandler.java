package dev.tandem.control;

import java.util.function.Consumer;

/** What the daemon does with control requests; runs the request on its control-plane thread. */
public interface ControlHandler {

    /**
     * Answers one request. Output lines (text to show the caller) go to
     * {@code out}; the returned message is the final "ok" or "error".
     */
    Message handle(Message request, Consumer<String> out);

    /**
     * Streams events to the caller until {@code stop} says the connection
     * went away (ipsecctl -m). Returns when done.
     */
    void monitor(Consumer<String> out, java.util.function.BooleanSupplier stop) throws InterruptedException;
}
