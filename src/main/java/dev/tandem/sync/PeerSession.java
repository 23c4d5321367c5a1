package dev.tandem.sync;

import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.SyncMessage;
import dev.tandem.sync.wire.SyncProtocolException;
import java.time.Duration;
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

    private void write(byte[] bytes) {
        if (bytes.length == 0 || ended) {
            return;
        }
        bytesOut += bytes.length;
        if (!connection.send(bytes)) {
            end("the peer does not keep up (send queue full)");
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
                connection.send(bye);
            } catch (SyncProtocolException | RuntimeException e) {
                // the channel is unusable: just close
            }
        }
        ended = true;
        heartbeatTimer.cancel();
        deadTimer.cancel();
        connection.close();
        owner.ended(this, reason);
    }
}
