package dev.tandem.sync.wire;

/**
 * The replication channel cannot go on: bad framing, a frame that does not
 * authenticate, a replayed or reordered frame, a malformed message, a failed
 * handshake. The caller logs {@link #getMessage()} and closes the
 * connection; the channel refuses everything after it.
 */
public final class SyncProtocolException extends Exception {

    public SyncProtocolException(String reason) {
        super(reason);
    }

    public SyncProtocolException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
