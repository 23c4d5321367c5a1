package dev.tandem.sync;

import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Byte streams between cluster nodes (TCP in production, a simulated network
 * in tests): what the replication channel runs on. Every callback arrives on
 * the node's event loop; nothing here blocks the caller.
 */
public interface StreamTransport {

    /**
     * Accepts connections on {@code local} (null: every address) and {@code port};
     * each accepted connection is handed to {@code acceptor} on the loop.
     *
     * @return closing it stops accepting (established connections stay)
     */
    AutoCloseable listen(IpAddress local, int port, Consumer<StreamConnection> acceptor) throws IOException;

    /** Connects to {@code peer}; exactly one call of {@code handler} follows, on the loop. */
    void connect(IpAddress peer, int port, Duration timeout, ConnectHandler handler);

    /** The outcome of {@link #connect}. */
    interface ConnectHandler {

        void connected(StreamConnection connection);

        void failed(String reason);
    }
}
