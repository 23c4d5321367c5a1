package dev.tandem.ike;

import dev.tandem.ike.crypto.DhKeyPair;
import dev.tandem.ike.crypto.IkeCryptoException;
import dev.tandem.ike.crypto.QuickModeKeys;
import dev.tandem.ike.negotiation.ChildSaSpec;
import dev.tandem.ike.negotiation.Identities;
import dev.tandem.ike.negotiation.Phase2Choice;
import dev.tandem.ike.negotiation.Phase2Proposals;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.ExchangeType;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.NotifyType;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import dev.tandem.ike.wire.Phase2Attribute;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SadbException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One quick mode exchange (RFC 2409 section 5.5) over an established phase 1:
 * HASH(1) SA Ni [KE] [IDci IDcr], HASH(2) SA Nr [KE] [IDci IDcr], HASH(3).
 * Each exchange keeps its own IV chain, started from the phase 1 IV and the
 * message ID. The initiator installs its SAs on QM2, the responder on QM3.
 */
final class QuickMode {

    enum State { QM1_SENT, QM2_SENT, DONE }

    private static final int NONCE_LENGTH = 32;

    final Phase1Sa sa;
    final long messageId;
    final boolean initiator;
    final Phase2Policy policy;
    /** The child this quick mode replaces (a rekey), or null. */
    final ChildSaRecord replaces;
    State state;
    long lastActivityNanos;
    private byte[] iv;
    private byte[] ni;
    private byte[] nr;
    private DhKeyPair dh;
    private byte[] pfsSecret;
    private int ourSpi;
    /**
     * A responder's rekey: the inbound SA installed as QM2 left (the old
     * outbound SA carries our traffic until QM3); removed again if QM3 never
     * comes.
     */
    private SaId earlyInbound;
    /** A responder's first SAs of a connection: all installed as QM2 left. */
    private boolean installedOnAnswer;
    private Phase2Choice choice;
    private List<Payload> clientIds = List.of();
    private byte[] lastReceived;
    private byte[] lastSent;
    /** Whether lastSent answers lastReceived (see {@link Phase1Sa#answersLast}). */
    private boolean answersLast;
    private final Resender resender;

    private QuickMode(Phase1Sa sa, long messageId, boolean initiator, Phase2Policy policy, ChildSaRecord replaces) {
        this.sa = sa;
        this.messageId = messageId;
        this.initiator = initiator;
        this.policy = policy;
        this.replaces = replaces;
        this.iv = sa.exchangeIv(messageId);
        this.lastActivityNanos = sa.daemon.loop().nanoTime();
        this.resender = new Resender(sa.daemon, this::resend, this::noAnswer);
    }

    // ---- initiator ------------------------------------------------------

    static QuickMode initiate(Phase1Sa sa, long messageId, Phase2Policy policy, ChildSaRecord replaces) {
        IkeDaemon d = sa.daemon;
        QuickMode qm = new QuickMode(sa, messageId, true, policy, replaces);
        qm.ourSpi = d.connections().allocateSpi();
        qm.ni = d.randomBytes(NONCE_LENGTH);
        List<Payload> after = new ArrayList<>();
        after.add(Phase2Proposals.offer(policy.transforms(), qm.ourSpi, sa.natT));
        after.add(new Payload.Nonce(qm.ni));
        var group = policy.transforms().getFirst().pfs();
        if (group != null) {
            qm.dh = group.generate(d.secureRandom());
            after.add(new Payload.KeyExchange(qm.dh.publicValue()));
        }
        qm.clientIds = List.of(Identities.client(policy.localNet(), policy.protocol(), policy.localPort()),
                Identities.client(policy.remoteNet(), policy.protocol(), policy.remotePort()));
        after.addAll(qm.clientIds);
        byte[] hash = sa.keys.quickMode().hash1((int) messageId, PayloadChain.encode(after));
        List<Payload> out = new ArrayList<>();
        out.add(new Payload.Hash(hash));
        out.addAll(after);
        qm.state = State.QM1_SENT;
        qm.sendEncrypted(out);
        qm.resender.start();
        return qm;
    }

    // ---- responder ------------------------------------------------------

    /**
     * A first quick mode message, authenticated: finds the connection whose
     * selectors match the peer's IDs seen from our side, and answers QM2.
     * Returns null when refused (logged, counted, the peer told).
     */
    static QuickMode respond(Phase1Sa sa, IsakmpHeader h, Protection.Opened o, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        IkeDaemon d = sa.daemon;
        List<Payload> ps = o.payloads();
        Payload.SecurityAssociation offered = Payloads.required(ps, Payload.SecurityAssociation.class, "sa");
        byte[] ni = Payloads.required(ps, Payload.Nonce.class, "nonce").data();
        Payload.KeyExchange ke = Payloads.optional(ps, Payload.KeyExchange.class);
        List<Payload.Identification> ids = Payloads.all(ps, Payload.Identification.class);
        IpNet theirNet;
        IpNet ourNet;
        int protocol = 0;
        int theirPort = 0;
        int ourPort = 0;
        if (ids.isEmpty()) {
            theirNet = IpNet.host(sa.peer.address());
            ourNet = IpNet.host(sa.ourAddress());
        } else if (ids.size() == 2) {
            Identities.ClientId ci = Identities.client(ids.get(0));
            Identities.ClientId cr = Identities.client(ids.get(1));
            theirNet = ci.net();
            ourNet = cr.net();
            protocol = ci.protocol();
            theirPort = ci.port();
            ourPort = cr.port();
        } else {
            throw new MalformedIsakmp("id", ids.size() + " client IDs, expected none or two");
        }
        Phase2Policy policy = d.connections().connectionFor(sa, ourNet, theirNet, protocol, ourPort, theirPort);
        String what = "quick mode with " + sa.peer + " for " + theirNet + " -> " + ourNet;
        if (policy == null) {
            d.connections().phase2Refused(sa, NotifyType.INVALID_ID_INFORMATION,
                    what + ": no connection matches these IDs");
            return null;
        }
        var chosen = Phase2Proposals.choose(offered, policy.transforms(), sa.natT);
        if (chosen.isEmpty()) {
            // NAT-D is not authenticated, so the ends may disagree about NAT: the (authenticated)
            // proposal decides, and an offer for the other encapsulation is taken as it is
            chosen = Phase2Proposals.choose(offered, policy.transforms(), !sa.natT);
        }
        if (chosen.isEmpty()) {
            d.noProposalChosen(sa, what + " (" + policy.name() + "): no acceptable proposal among "
                    + Phase2Proposals.describe(offered));
            return null;
        }
        Phase2Choice choice = chosen.get();
        if ((choice.pfs() == null) != (ke == null)) {
            d.connections().phase2Refused(sa, NotifyType.INVALID_KEY_INFORMATION, what + ": key exchange payload "
                    + (ke == null ? "missing for PFS" : "without PFS in the proposal"));
            return null;
        }
        QuickMode qm = new QuickMode(sa, h.messageId(), false, policy, null);
        qm.iv = o.nextIv();
        qm.ni = ni;
        qm.choice = choice;
        qm.ourSpi = d.connections().allocateSpi();
        qm.nr = d.randomBytes(NONCE_LENGTH);
        List<Payload> after = new ArrayList<>();
        after.add(Phase2Proposals.reply(offered, choice, qm.ourSpi));
        after.add(new Payload.Nonce(qm.nr));
        if (choice.pfs() != null) {
            qm.dh = choice.pfs().generate(d.secureRandom());
            qm.pfsSecret = choice.pfs().agree(qm.dh, ke.data());
            after.add(new Payload.KeyExchange(qm.dh.publicValue()));
        }
        qm.clientIds = List.copyOf(ids);
        after.addAll(ids);
        byte[] hash = sa.keys.quickMode().hash2((int) qm.messageId, ni, PayloadChain.encode(after));
        List<Payload> out = new ArrayList<>();
        out.add(new Payload.Hash(hash));
        out.addAll(after);
        qm.lastReceived = datagram;
        qm.answersLast = true;
        qm.state = State.QM2_SENT;
        if (!d.connections().hasLiveChild(policy.name())) {
            // nothing carries this traffic yet: be ready both ways before the initiator sends
            if (!d.connections().phase2Established(qm, qm.spec())) {
                return null;
            }
            qm.installedOnAnswer = true;
        } else if (!qm.installInboundEarly()) {
            return null;
        }
        // QM2 lets the initiator send with the new SAs: on a cluster, only once the backups have them
        d.afterReplication(() -> {
            if (qm.state == State.QM2_SENT && !d.closed()) {
                qm.sendEncrypted(out);
                // QM3 is the initiator's last word; repeating QM2 brings it back if it was lost
                qm.resender.start();
            }
        });
        return qm;
    }

    // ---- the exchange ---------------------------------------------------

    /** A further message of this exchange (already known not to be a duplicate of the last one). */
    void receive(IsakmpHeader h, byte[] datagram) throws MalformedIsakmp, IkeCryptoException {
        if (state == State.DONE || (initiator ? state != State.QM1_SENT : state != State.QM2_SENT)) {
            sa.daemon.unknown("quick mode message " + Long.toHexString(messageId) + " from " + sa.peer + " after its end");
            return;
        }
        if (!h.encrypted()) {
            throw new MalformedIsakmp("header.flags", "unencrypted quick mode message");
        }
        Protection.Opened o = sa.open(h, iv, datagram);
        if (o.payloads().isEmpty() || !(o.payloads().getFirst() instanceof Payload.Hash hash)) {
            sa.daemon.unauthenticated("quick mode with " + sa.peer + ": message without HASH first");
            return;
        }
        QuickModeKeys k = sa.keys.quickMode();
        byte[] want = initiator ? k.hash2((int) messageId, ni, o.raw().from(1)) : k.hash3((int) messageId, ni, nr);
        if (!MessageDigest.isEqual(want, hash.data())) {
            sa.daemon.unauthenticated("quick mode with " + sa.peer + ": HASH(" + (initiator ? 2 : 3) + ") mismatch");
            return;
        }
        iv = o.nextIv();
        lastReceived = datagram;
        // the initiator answers QM2 with QM3, and repeats it if QM2 comes again
        answersLast = initiator;
        sa.daemon.heard(sa);
        if (initiator) {
            initiatorComplete(o.payloads());
        } else {
            resender.stop();
            state = State.DONE;
            if (!installedOnAnswer) {
                install();
            }
        }
    }

    /**
     * The peer deleted the old SAs of {@code connection}. If this is our
     * answer to its rekey of that connection, the peer finished it, and its
     * QM3 was lost: our traffic has no outbound SA until QM3 comes. QM2 goes
     * again at once, which the peer answers with QM3, rather than at the next
     * retransmission seconds later.
     */
    void peerMovedOn(String connection) {
        if (!initiator && state == State.QM2_SENT && earlyInbound != null && policy.name().equals(connection)) {
            sa.daemon.countRetransmit();
            resend();
        }
    }

    /** Whether this datagram repeats the last one we answered: then the answer goes out again. */
    boolean repeatIfDuplicate(byte[] datagram) {
        if (lastReceived == null || !java.util.Arrays.equals(lastReceived, datagram)) {
            return false;
        }
        if (answersLast) {
            sa.daemon.countRetransmit();
            resend();
        }
        return true;
    }

    private void initiatorComplete(List<Payload> ps) throws MalformedIsakmp, IkeCryptoException {
        resender.stop();
        Payload.SecurityAssociation reply = Payloads.required(ps, Payload.SecurityAssociation.class, "sa");
        var accepted = Phase2Proposals.accept(reply, policy.transforms(), sa.natT);
        if (accepted.isEmpty()) {
            accepted = Phase2Proposals.accept(reply, policy.transforms(), !sa.natT);
        }
        if (accepted.isEmpty()) {
            fail("the peer chose a transform we did not offer: " + Phase2Proposals.describe(reply));
            return;
        }
        choice = accepted.get();
        nr = Payloads.required(ps, Payload.Nonce.class, "nonce").data();
        Payload.KeyExchange ke = Payloads.optional(ps, Payload.KeyExchange.class);
        if (dh != null) {
            if (ke == null) {
                fail("PFS key exchange payload missing");
                return;
            }
            pfsSecret = dh.group().agree(dh, ke.data());
        }
        List<Payload.Identification> ids = Payloads.all(ps, Payload.Identification.class);
        if (!ids.isEmpty() && !ids.equals(clientIds)) {
            fail("the peer answered for other client IDs");
            return;
        }
        for (Payload.Notification n : Payloads.all(ps, Payload.Notification.class)) {
            if (n.notifyType() == NotifyType.RESPONDER_LIFETIME.code()) {
                long seconds = responderLifetime(n.data());
                if (seconds > 0 && (choice.lifeSeconds() == 0 || seconds < choice.lifeSeconds())) {
                    choice = new Phase2Choice(choice.esp(), choice.tunnel(), choice.udpEncapsulated(), choice.pfs(),
                            seconds, choice.peerSpi(), choice.proposalNumber(), choice.transformNumber());
                }
            }
        }
        byte[] hash3 = sa.keys.quickMode().hash3((int) messageId, ni, nr);
        state = State.DONE;
        // QM1 is no longer ours to repeat; QM3 goes once the new inbound SA is on the backups (the
        // responder may send with it on QM3), and our outbound one is installed after it
        lastSent = null;
        if (!installInboundEarly()) {
            if (replaces != null) {
                replaces.rekeying = false;
            }
            return;
        }
        sa.daemon.afterReplication(() -> {
            if (!sa.daemon.closed()) {
                sendEncrypted(List.of(new Payload.Hash(hash3)));
                install();
            }
        });
    }

    /** SA_LIFE_TYPE/SA_LIFE_DURATION pairs of a RESPONDER-LIFETIME notify; the seconds, or 0 (also when malformed). */
    static long responderLifetime(byte[] data) {
        List<DataAttribute> attributes;
        try {
            attributes = DataAttribute.decodeAll(data, "notify.data");
        } catch (MalformedIsakmp e) {
            return 0;
        }
        long seconds = 0;
        long type = 0;
        for (DataAttribute a : attributes) {
            if (a.type() == Phase2Attribute.SA_LIFE_TYPE.code()) {
                type = a.numeric().orElse(0);
            } else if (a.type() == Phase2Attribute.SA_LIFE_DURATION.code() && type == 1) {
                seconds = a.numeric().orElse(0);
            }
        }
        return seconds;
    }

    private void install() {
        sa.daemon.connections().phase2Established(this, spec());
    }

    /** The inbound SA already installed (a responder's, as QM2 left), or null. */
    SaId earlyInbound() {
        return earlyInbound;
    }

    private ChildSaSpec spec() {
        QuickModeKeys k = sa.keys.quickMode();
        return new ChildSaSpec(policy.name(), sa.ourAddress(), sa.peer.address(),
                choice.udpEncapsulated() ? sa.peer.port() : 0, choice, ourSpi,
                k.espKeys(choice.esp(), pfsSecret, ourSpi, ni, nr),
                k.espKeys(choice.esp(), pfsSecret, choice.peerSpi(), ni, nr),
                policy.localNet(), policy.remoteNet(), policy.protocol(), policy.localPort(), policy.remotePort());
    }

    /**
     * On a rekey the responder's inbound SA goes in before QM2 leaves: the
     * initiator installs on QM2 and may send with the new SA before our side
     * has read its QM3 (the race RFC 2409's commit bit was for); our own
     * traffic stays on the old SA until QM3. Whether it could be installed.
     */
    private boolean installInboundEarly() {
        try {
            earlyInbound = sa.daemon.connections().installer().installInbound(spec(), sa.daemon.random());
            return true;
        } catch (SadbException | RuntimeException e) {
            sa.daemon.connections().phase2Refused(sa, NotifyType.NO_PROPOSAL_CHOSEN, "quick mode with " + sa.peer
                    + ": the SADB refused the inbound SA: " + e.getMessage());
            return false;
        }
    }

    void fail(String reason) {
        resender.stop();
        boolean answered = !initiator && state == State.QM2_SENT;
        state = State.DONE;
        sa.daemon.connections().phase2Failed(this, reason);
        if (answered) {
            // The initiator may have installed on our QM2 while its QM3 never came: have it drop that pair
            sa.daemon.info().sendDelete(sa, ourSpi);
            if (earlyInbound != null) {
                sa.daemon.connections().installer().removeInbound(earlyInbound);
            }
            ChildSaRecord installed = installedOnAnswer
                    ? sa.daemon.connections().childOf(new SaId(sa.ourAddress(), SaProtocol.ESP, ourSpi)) : null;
            if (installed != null) {
                sa.daemon.connections().removeChild(installed);
            }
        }
    }

    private void noAnswer() {
        fail("no answer after " + resender.count() + " retransmits");
        if (initiator) {
            sa.daemon.phase1Lifecycle().unresponsive(sa);
        }
    }

    void stop() {
        resender.stop();
    }

    /** Given up without a word to the peer (this node became a backup); a rekey it ran is due again. */
    void abandon() {
        resender.stop();
        state = State.DONE;
        if (replaces != null) {
            replaces.rekeying = false;
        }
    }

    private void sendEncrypted(List<Payload> payloads) {
        Protection.Sealed s = sa.seal(ExchangeType.QUICK_MODE.code(), messageId, iv, payloads);
        iv = s.nextIv();
        lastSent = s.datagram();
        resend();
    }

    private void resend() {
        if (lastSent == null) {
            // our answer still waits for replication (see afterReplication)
            return;
        }
        lastActivityNanos = sa.daemon.loop().nanoTime();
        sa.daemon.send(sa, lastSent);
    }

    Phase2Choice choice() {
        return choice;
    }
}
