package dev.tandem.sync.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One replication connection as a pure object: bytes in, messages out;
 * messages in, bytes out. No sockets, no threads, not thread-safe: one
 * event loop owns it.
 *
 * <ol>
 *   <li>{@link #start()} gives our HELLO, to be sent first.</li>
 *   <li>{@link #receive} takes whatever TCP delivered. Once the peer's HELLO
 *       is in, it derives the connection's keys and hands back our AUTH to
 *       send ({@link Received#reply()}). The peer's first frame must be its
 *       AUTH with the same transcript hash; only then is the channel
 *       {@link State#AUTHENTICATED} and messages are handed out.</li>
 *   <li>{@link #send} seals a message once authenticated.</li>
 * </ol>
 *
 * Any protocol error fails the channel for good: the caller logs the reason
 * and closes the connection. Nothing of a chunk that failed is handed out.
 */
public final class SecureChannel {

    public enum State { HANDSHAKING, AUTHENTICATED, FAILED }

    /** What one {@link #receive} yields: bytes to send back (the AUTH, once) and the messages received. */
    public record Received(byte[] reply, List<Incoming> messages) {
        public Received {
            messages = List.copyOf(messages);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Received r && Arrays.equals(r.reply, reply) && r.messages.equals(messages);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(reply) * 31 + messages.hashCode();
        }

        @Override
        public String toString() {
            return "Received[reply " + reply.length + " bytes, " + messages + "]";
        }
    }

    /** A message with the sequence number of the frame it came in, what an ACK refers to. */
    public record Incoming(long sequence, SyncMessage message) {
        public Incoming {
            Objects.requireNonNull(message, "message");
        }
    }

    private static final byte[] NONE = new byte[0];

    private final Side side;
    private final Handshake handshake;
    private final FrameReader reader = new FrameReader();
    private FrameSealer sealer;
    private FrameOpener opener;
    private boolean started;
    private State state = State.HANDSHAKING;
    private String failure;

    /**
     * @param side        initiator if this node connected, responder if it accepted
     * @param key         the cluster's shared key
     * @param nodeId      this daemon's id, random per start
     * @param intentFlags the HELLO flags ({@link Hello#INTENT_MASTER}, {@link Hello#INTENT_LOCKED})
     * @param random      source of this connection's nonce: SecureRandom in production,
     *                    a seeded generator in tests and the simulator
     */
    public SecureChannel(Side side, SyncKey key, long nodeId, int intentFlags, RandomGenerator random) {
        this.side = Objects.requireNonNull(side, "side");
        byte[] nonce = new byte[Hello.NONCE_LENGTH];
        random.nextBytes(nonce);
        this.handshake = new Handshake(side, Objects.requireNonNull(key, "key"),
                new Hello(Hello.VERSION, nonce, nodeId, intentFlags));
    }

    /** Our HELLO: the first bytes to send on the connection. Once only. */
    public byte[] start() {
        if (started) {
            throw new IllegalStateException("channel already started");
        }
        started = true;
        return handshake.ownHello();
    }

    public Received receive(byte[] chunk) throws SyncProtocolException {
        return receive(chunk, 0, chunk.length);
    }

    /**
     * Takes bytes as TCP delivered them (any split, even one byte at a time).
     *
     * @throws SyncProtocolException the connection must be closed; its
     *         message is the reason to log
     */
    public Received receive(byte[] chunk, int off, int len) throws SyncProtocolException {
        if (!started) {
            throw new IllegalStateException("receive before start()");
        }
        Objects.checkFromIndexSize(off, len, chunk.length);
        checkNotFailed();
        try {
            int p = off;
            int end = off + len;
            byte[] reply = NONE;
            if (!handshake.complete()) {
                p += handshake.take(chunk, p, end - p);
                if (handshake.complete()) {
                    ChannelKeys keys = handshake.keys();
                    sealer = new FrameSealer(keys.sending(side), side.sendDirection());
                    opener = new FrameOpener(keys.receiving(side), side.receiveDirection());
                    reply = seal(new SyncMessage.Auth(handshake.transcriptHash()));
                }
            }
            List<Incoming> messages = new ArrayList<>();
            if (p < end) {
                for (Frame f : reader.feed(chunk, p, end - p)) {
                    Incoming in = open(f);
                    if (in != null) {
                        messages.add(in);
                    }
                }
            }
            return new Received(reply, messages);
        } catch (SyncProtocolException e) {
            throw fail(e);
        }
    }

    /** The message of one frame, or null for the peer's AUTH, which the channel consumes. */
    private Incoming open(Frame f) throws SyncProtocolException {
        byte[] plain = opener.open(f);
        SyncMessage m;
        try {
            m = SyncMessage.decode(plain);
        } catch (MalformedSyncMessage e) {
            throw new SyncProtocolException("malformed message in frame " + Long.toUnsignedString(f.sequence())
                    + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        if (state == State.HANDSHAKING) {
            if (!(m instanceof SyncMessage.Auth auth)) {
                throw new SyncProtocolException("peer sent " + m.type() + " before AUTH");
            }
            if (!auth.matches(handshake.transcriptHash())) {
                throw new SyncProtocolException("peer AUTH does not match the HELLOs sent:"
                        + " altered on the way, or a protocol mismatch");
            }
            state = State.AUTHENTICATED;
            return null;
        }
        if (m instanceof SyncMessage.Auth) {
            throw new SyncProtocolException("peer sent AUTH twice");
        }
        return new Incoming(f.sequence(), m);
    }

    /**
     * The bytes of one frame carrying {@code m}.
     *
     * @throws IllegalStateException    before the channel is authenticated
     * @throws IllegalArgumentException for AUTH, which only the channel sends
     * @throws SyncProtocolException    the channel failed (earlier, or now because this
     *                                  direction's sequence numbers are used up)
     */
    public byte[] send(SyncMessage m) throws SyncProtocolException {
        checkNotFailed();
        if (state != State.AUTHENTICATED) {
            throw new IllegalStateException("send before the channel is authenticated");
        }
        if (m instanceof SyncMessage.Auth) {
            throw new IllegalArgumentException("AUTH is sent by the channel itself");
        }
        try {
            return seal(m);
        } catch (SyncProtocolException e) {
            throw fail(e);
        }
    }

    private byte[] seal(SyncMessage m) throws SyncProtocolException {
        byte[] plain = m.encode();
        try {
            return sealer.seal(plain, plain.length);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The peer closed its side. Fine between frames once authenticated; in
     * the handshake or in the middle of a frame it is a truncated stream.
     */
    public void endOfStream() throws SyncProtocolException {
        checkNotFailed();
        if (state == State.HANDSHAKING) {
            throw fail(new SyncProtocolException("connection closed during the handshake ("
                    + (handshake.complete() ? "HELLO received, no AUTH" : handshake.received() + " of "
                    + Hello.LENGTH + " HELLO bytes received") + ")"));
        }
        if (!reader.atBoundary()) {
            throw fail(new SyncProtocolException("connection closed in the middle of a frame ("
                    + reader.pending() + " bytes of it received)"));
        }
    }

    private void checkNotFailed() throws SyncProtocolException {
        if (state == State.FAILED) {
            throw new SyncProtocolException("channel failed earlier: " + failure);
        }
    }

    private SyncProtocolException fail(SyncProtocolException e) {
        state = State.FAILED;
        failure = e.getMessage();
        return e;
    }

    public State state() {
        return state;
    }

    public Side side() {
        return side;
    }

    /** The peer's HELLO once received (its node id and intent flags; authenticated only once {@link #state()} says so). */
    public Optional<Hello> peerHello() {
        return Optional.ofNullable(handshake.peer());
    }

    /** Why the channel failed, or empty. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failure);
    }

    /** The sequence number the next frame {@link #send} makes will carry (AUTH was 0). */
    public long nextSendSequence() {
        return sealer == null ? 0 : sealer.nextSequence();
    }

    /** Package-private for tests: the frame layers once keys exist. */
    FrameSealer sealer() {
        return sealer;
    }

    FrameOpener opener() {
        return opener;
    }

    Handshake handshake() {
        return handshake;
    }

    /** For tests of the end of the sequence space: continue sending from {@code next}. */
    void restartSendingAt(long next) {
        sealer = new FrameSealer(handshake.keys().sending(side), side.sendDirection(), next);
    }

    @Override
    public String toString() {
        return "SecureChannel[" + side + " " + state + "]";
    }
}
