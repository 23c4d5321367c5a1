package dev.tandem.sync;

import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.SyncMessage;
import dev.tandem.sync.wire.SyncProtocolException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One connection to a peer: the encrypted channel on a byte stream, with
 * heartbeats both ways and a dead-peer timeout. It hands authenticated
 * messages to its owner and reports its end exactly once; anything wrong on
 * the wire ends it with a reason, and nothing of a bad frame is delivered.
 */
final class PeerSession implements StreamConnection.Receiver {

    /** What a session reports to the replicator, on the loop. */
    interface Owner {

        void authenticated(PeerSession s);

        void received(PeerSession s, List<SecureChannel.Incoming> messages);

        void ended(PeerSession s, String reason);
    }

    /**
     * Bytes gathered while corked before they go to the connection: each
     * hand-over copies the bytes and may wake the I/O thread for a system
     * call, too much per message of a snapshot of 100,000 SAs.
     */
    static final int CORK_BYTES = 64 * 1024;

    private final EventLoop loop;
    private final StreamConnection connection;
    private final SecureChannel channel;
    private final Owner owner;
    private final Duration heartbeat;
    private final Duration deadAfter;
    private Timer heartbeatTimer = Timer.NONE;
    private Timer deadTimer = Timer.NONE;
    private boolean ended;
    private long sent;
    private long received;
    private long bytesIn;
    private long bytesOut;
    private final long openedNanos;
    /** Frames sealed but held back while corked, in order; null when not corked. */
    private byte[] corked;
    private int corkedLength;

    PeerSession(EventLoop loop, StreamConnection connection, SecureChannel channel, Owner owner, Duration heartbeat,
                Duration deadAfter) {
        this.loop = loop;
        this.connection = connection;
        this.channel = channel;
        this.owner = owner;
        this.heartbeat = heartbeat;
        this.deadAfter = deadAfter;
        this.openedNanos = loop.nanoTime();
    }

    /** Starts the handshake: our HELLO goes out, the dead-peer timer runs. */
    void start() {
        connection.receiver(this);
        write(channel.start());
        armDeadTimer();
    }

    IpAddress remote() {
        return connection.remote();
    }

    SecureChannel channel() {
        return channel;
    }

    boolean authenticated() {
        return channel.state() == SecureChannel.State.AUTHENTICATED;
    }

    long peerNodeId() {
        return channel.peerHello().map(h -> h.nodeId()).orElse(0L);
    }

    long openedNanos() {
        return openedNanos;
    }

    long messagesSent() {
        return sent;
    }

    long messagesReceived() {
        return received;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    boolean ended() {
        return ended;
    }

    /** Sends one message; false (and the session ends) if it cannot. */
    boolean send(SyncMessage m) {
        if (ended) {
            return false;
        }
        try {
            write(channel.send(m));
            sent++;
            return !ended;
        } catch (SyncProtocolException e) {
            end(e.getMessage());
            return false;
        }
    }

    /**
     * Holds back what is sent from now on until {@link #uncork}, handing it
     * to the connection in pieces of about {@link #CORK_BYTES}: for a burst
     * of messages (a snapshot) that the loop sends in one go. Nothing else
     * changes: the same frames, in the same order.
     */
    void cork() {
        if (corked == null && !ended) {
            corked = new byte[CORK_BYTES];
            corkedLength = 0;
        }
    }

    /** Hands over what the cork held and sends directly again. */
    void uncork() {
        if (corked != null) {
            flushCorked();
            corked = null;
        }
    }

    private void write(byte[] bytes) {
        if (bytes.length == 0 || ended) {
            return;
        }
        bytesOut += bytes.length;
        if (corked == null) {
            hand(bytes);
            return;
        }
        if (corkedLength + bytes.length > corked.length) {
            flushCorked();
            if (ended) {
                return;
            }
        }
        if (bytes.length > corked.length) {
            hand(bytes);
            return;
        }
        System.arraycopy(bytes, 0, corked, corkedLength, bytes.length);
        corkedLength += bytes.length;
    }

    private void flushCorked() {
        if (corkedLength > 0) {
            byte[] piece = Arrays.copyOf(corked, corkedLength);
            corkedLength = 0;
            hand(piece);
        }
    }

    private void hand(byte[] bytes) {
        if (!connection.send(bytes)) {
            end("cannot send: the connection is closed, or the peer does not keep up (send queue full)");
        }
    }

    @Override
    public void data(byte[] chunk) {
        if (ended) {
            return;
        }
        bytesIn += chunk.length;
        boolean wasAuthenticated = authenticated();
        SecureChannel.Received r;
        try {
            r = channel.receive(chunk);
        } catch (SyncProtocolException e) {
            end(e.getMessage());
            return;
        }
        write(r.reply());
        armDeadTimer();
        if (!wasAuthenticated && authenticated()) {
            owner.authenticated(this);
            scheduleHeartbeat();
        }
        if (!r.messages().isEmpty() && !ended) {
            received += r.messages().size();
            owner.received(this, r.messages());
        }
    }

    @Override
    public void closed(String reason) {
        if (!ended) {
            try {
                channel.endOfStream();
                end(reason);
            } catch (SyncProtocolException e) {
                end(reason + " (" + e.getMessage() + ")");
            }
        }
    }

    private void scheduleHeartbeat() {
        heartbeatTimer.cancel();
        heartbeatTimer = loop.schedule(heartbeat, () -> {
            if (!ended) {
                send(new SyncMessage.Heartbeat(loop.nanoTime() / 1_000_000));
                scheduleHeartbeat();
            }
        });
    }

    private void armDeadTimer() {
        deadTimer.cancel();
        deadTimer = loop.schedule(deadAfter, () -> end("nothing heard for " + deadAfter.toMillis() + " ms"));
    }

    /** Ends the session (idempotent): says goodbye if it can, closes the stream, tells the owner. */
    void end(String reason) {
        if (ended) {
            return;
        }
        if (authenticated()) {
            try {
                byte[] bye = channel.send(new SyncMessage.Bye(reason.length() > 200 ? reason.substring(0, 200) : reason));
                if (corked != null && corkedLength > 0) {
                    // the frames before the BYE, or the peer sees a gap in the sequence instead of the reason
                    connection.send(Arrays.copyOf(corked, corkedLength));
                }
                connection.send(bye);
            } catch (SyncProtocolException | RuntimeException e) {
                // the channel is unusable: just close
            }
        }
        ended = true;
        corked = null;
        heartbeatTimer.cancel();
        deadTimer.cancel();
        connection.close();
        owner.ended(this, reason);
    }
}
