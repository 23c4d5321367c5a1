package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.net.IpAddress;
import dev.tandem.sim.SimWorld;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.Side;
import dev.tandem.sync.wire.SyncKey;
import dev.tandem.sync.wire.SyncMessage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A corked session (a snapshot going out) hands the connection a few large
 * pieces instead of one write per message, and the peer reads exactly the
 * messages sent, in order; ending while corked still delivers what was held
 * back before the goodbye.
 */
class PeerSessionCorkTest {

    private static final SyncKey KEY = new SyncKey(new byte[32]);

    /** A connection that keeps what it is given. */
    private static final class Recorder implements StreamConnection {
        final List<byte[]> sent = new ArrayList<>();
        boolean closed;

        @Override
        public IpAddress remote() {
            return IpAddress.parse("192.0.2.2").orElseThrow();
        }

        @Override
        public void receiver(Receiver receiver) {
        }

        @Override
        public boolean send(byte[] data) {
            sent.add(data.clone());
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }

        byte[] takeAll() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            sent.forEach(all::writeBytes);
            sent.clear();
            return all.toByteArray();
        }
    }

    private final Recorder connection = new Recorder();
    private final List<String> ended = new ArrayList<>();
    private PeerSession session;
    /** The peer's end of the channel. */
    private SecureChannel peer;

    @BeforeEach
    void authenticate() throws Exception {
        SimWorld world = new SimWorld(5);
        peer = new SecureChannel(Side.RESPONDER, KEY, 2, 0, new SplittableRandom(2));
        session = new PeerSession(world.loop("a"), connection,
                new SecureChannel(Side.INITIATOR, KEY, 1, 0, new SplittableRandom(1)), new PeerSession.Owner() {
                    @Override
                    public void authenticated(PeerSession s) {
                    }

                    @Override
                    public void received(PeerSession s, List<SecureChannel.Incoming> messages) {
                    }

                    @Override
                    public void ended(PeerSession s, String reason) {
                        ended.add(reason);
                    }
                }, Duration.ofSeconds(1), Duration.ofSeconds(3));
        session.start();
        byte[] peerHello = peer.start();
        byte[] peerAuth = peer.receive(connection.takeAll()).reply();
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(peerHello);
        in.writeBytes(peerAuth);
        session.data(in.toByteArray());
        peer.receive(connection.takeAll());
        assertThat(session.authenticated()).isTrue();
        assertThat(peer.state()).isEqualTo(SecureChannel.State.AUTHENTICATED);
    }

    private List<SyncMessage> peerReads(byte[] bytes) throws Exception {
        return peer.receive(bytes).messages().stream().map(SecureChannel.Incoming::message).toList();
    }

    @Test
    void corkedMessagesGoOutInFewPiecesAndArriveInOrder() throws Exception {
        session.cork();
        List<SyncMessage> sent = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            SyncMessage m = new SyncMessage.Heartbeat(i);
            sent.add(m);
            assertThat(session.send(m)).isTrue();
        }
        int piecesWhileCorked = connection.sent.size();
        session.uncork();

        // each message alone is some 40 bytes: 5000 of them fill a few pieces, not 5000 writes
        assertThat(connection.sent.size()).isBetween(2, 10);
        assertThat(piecesWhileCorked).isEqualTo(connection.sent.size() - 1);
        assertThat(connection.sent).allMatch(p -> p.length <= PeerSession.CORK_BYTES);
        assertThat(peerReads(connection.takeAll())).isEqualTo(sent);

        // uncorked again: one write per message
        session.send(new SyncMessage.Heartbeat(-1));
        assertThat(connection.sent).hasSize(1);
        assertThat(peerReads(connection.takeAll())).containsExactly(new SyncMessage.Heartbeat(-1));
    }

    @Test
    void endingWhileCorkedSendsWhatWasHeldBackBeforeTheGoodbye() throws Exception {
        session.cork();
        session.send(new SyncMessage.Heartbeat(1));
        session.send(new SyncMessage.Heartbeat(2));
        assertThat(connection.sent).isEmpty();
        session.end("stopping");

        assertThat(connection.closed).isTrue();
        assertThat(ended).containsExactly("stopping");
        assertThat(peerReads(connection.takeAll())).containsExactly(new SyncMessage.Heartbeat(1),
                new SyncMessage.Heartbeat(2), new SyncMessage.Bye("stopping"));
        session.uncork();
        assertThat(connection.sent).isEmpty();
    }
}
