package dev.tandem.ike;

import dev.tandem.ike.crypto.IkeCryptoException;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.wire.ExchangeType;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.IsakmpMessage;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.net.IpAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each received message to its exchange: by cookies to the phase 1 SA,
 * by message ID to the quick mode, or to informational handling. First
 * messages create responder phase 1 SAs (within the half-open bound);
 * repeated messages are answered with our last reply.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(IkeDaemon.class);

    private final IkeDaemon daemon;
    private final Phase1Table phase1s;

    Dispatcher(IkeDaemon daemon, Phase1Table phase1s) {
        this.daemon = daemon;
        this.phase1s = phase1s;
    }

    /** Never throws: bad input is counted and logged (rate limited). */
    void receive(IkeEndpoint from, IpAddress localAddress, int localPort, byte[] message) {
        daemon.count(IkeCounters.RECEIVED);
        try {
            dispatch(from, localAddress, localPort, message);
        } catch (MalformedIsakmp e) {
            daemon.malformed("message from " + from + " malformed at " + e.getMessage());
        } catch (IkeCryptoException e) {
            daemon.malformed("message from " + from + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // The daemon must survive whatever a packet contains; the stack trace (debug) helps find the bug
            daemon.malformed("message from " + from + " could not be handled: " + e);
            LOG.debug("message from {} could not be handled", from, e);
        }
    }

    private void dispatch(IkeEndpoint from, IpAddress localAddress, int localPort, byte[] message)
            throws MalformedIsakmp, IkeCryptoException {
        if (daemon.closed()) {
            return;
        }
        IsakmpHeader h = IsakmpMessage.decodeHeader(message);
        if (h.initiatorCookie() == 0) {
            throw new MalformedIsakmp("header.initiatorCookie", "zero");
        }
        int type = h.exchangeType();
        boolean phase1Type = type == ExchangeType.IDENTITY_PROTECTION.code() || type == ExchangeType.AGGRESSIVE.code();
        if (h.responderCookie() == 0 && phase1Type && h.messageId() == 0) {
            firstMessage(h, from, localAddress, localPort, message);
            return;
        }
        Phase1Sa sa = phase1s.get(h.initiatorCookie(), h.responderCookie());
        if (sa == null) {
            sa = phase1s.awaitingResponderCookie(h.initiatorCookie());
        }
        if (sa == null || !sa.peer.address().equals(from.address())) {
            daemon.unknown("message from " + from + " for unknown cookies " + String.format("%016x:%016x",
                    h.initiatorCookie(), h.responderCookie()));
            return;
        }
        if (phase1Type && h.messageId() == 0) {
            if (repeated(sa, message)) {
                return;
            }
            sa.lastActivityNanos = daemon.loop().nanoTime();
            sa.receive(h, from, localAddress, localPort, message);
            return;
        }
        if (type == ExchangeType.INFORMATIONAL.code() && !h.encrypted()) {
            daemon.info().unprotectedNotify(sa, message);
            return;
        }
        if (!sa.isEstablished()) {
            if (type == ExchangeType.INFORMATIONAL.code() && sa.state == Phase1Sa.State.MM_ID_SENT) {
                // strongSwan answers an MM5 it cannot decrypt with a notification under its own (other) key
                daemon.unauthenticated("phase 1 with " + sa.peer + ": authentication failed (wrong pre-shared key?):"
                        + " the peer answered with a notification we cannot decrypt");
                sa.fail(null);
                return;
            }
            daemon.unknown("message from " + from + " before phase 1 " + sa.cookiesHex() + " is established");
            return;
        }
        if (type == ExchangeType.QUICK_MODE.code()) {
            quickMode(sa, h, from, localAddress, localPort, message);
        } else if (type == ExchangeType.INFORMATIONAL.code()) {
            informational(sa, h, from, localAddress, localPort, message);
        } else {
            throw new MalformedIsakmp("header.exchangeType", "exchange type " + type + " is not supported");
        }
    }

    /** The peer repeated the message we last received: it lost our answer, so it gets that again. */
    private boolean repeated(Phase1Sa sa, byte[] message) {
        if (sa.lastReceived == null || !Arrays.equals(sa.lastReceived, message)) {
            return false;
        }
        if (sa.answersLast) {
            daemon.countRetransmit();
            sa.resend();
        }
        return true;
    }

    private void firstMessage(IsakmpHeader h, IkeEndpoint from, IpAddress localAddress, int localPort,
            byte[] message) throws MalformedIsakmp, IkeCryptoException {
        Phase1Sa existing = phase1s.responder(h.initiatorCookie());
        if (existing != null && existing.peer.address().equals(from.address())) {
            if (!repeated(existing, message)) {
                daemon.unknown("another first message from " + from + " with initiator cookie "
                        + String.format("%016x", h.initiatorCookie()));
            }
            return;
        }
        Phase1Policy p = phase1PolicyFor(from.address(), localAddress);
        if (p == null) {
            daemon.unknown("phase 1 from " + from + ": no policy for this peer");
            return;
        }
        ExchangeMode mode = h.exchangeType() == ExchangeType.AGGRESSIVE.code() ? ExchangeMode.AGGRESSIVE
                : ExchangeMode.MAIN;
        if (mode != p.mode()) {
            daemon.count(IkeCounters.NO_PROPOSAL_CHOSEN);
            daemon.warn("phase 1 from " + from + ": " + mode + " mode offered, " + p.name() + " wants " + p.mode());
            return;
        }
        IsakmpMessage m = IsakmpMessage.decode(message);
        Phase1Sa sa = Phase1Sa.respond(daemon, p, m, from, localAddress, localPort, message);
        if (sa == null) {
            return;
        }
        int maxHalfOpen = daemon.options().maxHalfOpen();
        for (Phase1Sa victim : phase1s.addResponder(sa, maxHalfOpen)) {
            daemon.count(IkeCounters.HALF_OPEN_EVICTED);
            daemon.warn("phase 1: " + maxHalfOpen + " half-open exchanges, dropping the oldest, with " + victim.peer);
            daemon.phase1Lifecycle().remove(victim);
        }
    }

    private Phase1Policy phase1PolicyFor(IpAddress peer, IpAddress local) {
        Phase1Policy fallback = null;
        for (Phase1Policy p : daemon.policy().phase1()) {
            if (p.local() != null && local != null && !p.local().equals(local)) {
                continue;
            }
            if (peer.equals(p.peer())) {
                return p;
            }
            if (p.peer() == null && fallback == null) {
                fallback = p;
            }
        }
        return fallback;
    }

    private void quickMode(Phase1Sa sa, IsakmpHeader h, IkeEndpoint from, IpAddress local, int localPort,
            byte[] message) throws MalformedIsakmp, IkeCryptoException {
        QuickMode qm = sa.quickModes.get(h.messageId());
        if (qm != null) {
            if (!qm.repeatIfDuplicate(message)) {
                qm.receive(h, message);
            }
            return;
        }
        Protection.Opened o = openExchange(sa, h, message, "quick mode");
        if (o == null) {
            return;
        }
        followPeer(sa, from, local, localPort);
        QuickMode r = QuickMode.respond(sa, h, o, message);
        if (r != null) {
            sa.quickModes.put(h.messageId(), r);
        }
    }

    private void informational(Phase1Sa sa, IsakmpHeader h, IkeEndpoint from, IpAddress local, int localPort,
            byte[] message) {
        Protection.Opened o = openExchange(sa, h, message, "informational");
        if (o == null) {
            return;
        }
        followPeer(sa, from, local, localPort);
        for (Payload p : o.payloads()) {
            switch (p) {
                case Payload.Notification n -> daemon.info().notification(sa, n);
                case Payload.Delete d -> daemon.info().delete(sa, d);
                default -> { }
            }
        }
    }

    /** Decrypts and authenticates (HASH(1)) the first message of a quick mode or informational exchange. */
    private Protection.Opened openExchange(Phase1Sa sa, IsakmpHeader h, byte[] message, String what) {
        if (!h.encrypted() || h.messageId() == 0) {
            daemon.malformed(what + " from " + sa.peer + " unencrypted or with message ID 0");
            return null;
        }
        Protection.Opened o;
        try {
            o = sa.open(h, sa.exchangeIv(h.messageId()), message);
        } catch (MalformedIsakmp | IkeCryptoException e) {
            daemon.unauthenticated(what + " from " + sa.peer + " does not decrypt: " + e.getMessage());
            return null;
        }
        if (o.payloads().isEmpty() || !(o.payloads().getFirst() instanceof Payload.Hash hash)
                || !MessageDigest.isEqual(hash.data(),
                        sa.keys.quickMode().hash1((int) h.messageId(), o.raw().from(1)))) {
            daemon.unauthenticated(what + " from " + sa.peer + ": HASH(1) missing or wrong");
            return null;
        }
        daemon.heard(sa);
        return o;
    }

    /** An authenticated message from a new port: a NAT mapping changed; answer where it came from. */
    private void followPeer(Phase1Sa sa, IkeEndpoint from, IpAddress local, int localPort) {
        if (sa.natT && !from.equals(sa.peer)) {
            sa.moveTo(from, local, localPort);
        }
    }
}
