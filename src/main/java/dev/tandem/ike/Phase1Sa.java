package dev.tandem.ike;

import dev.tandem.ike.crypto.DhKeyPair;
import dev.tandem.ike.crypto.IkeCryptoException;
import dev.tandem.ike.crypto.IkeIv;
import dev.tandem.ike.crypto.Phase1Keys;
import dev.tandem.ike.negotiation.Identities;
import dev.tandem.ike.negotiation.Phase1Choice;
import dev.tandem.ike.negotiation.Phase1Proposals;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Identity;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.wire.ExchangeType;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.IsakmpMessage;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.NotifyType;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.ProtocolId;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One phase 1 (ISAKMP) SA with a peer: the main or aggressive mode exchange
 * that builds it (RFC 2409 section 5.4, pre-shared keys), then the keys and
 * IV that protect its quick modes and informational exchanges. NAT-T
 * (RFC 3947) is detected here and floats the SA to port 4500.
 */
final class Phase1Sa {

    /** Where the exchange stands; the names appear in status. */
    enum State {
        MM_SA_SENT, MM_KE_SENT, MM_ID_SENT, MM_SA_REPLIED, MM_KE_REPLIED, AM_SA_SENT, AM_REPLIED, ESTABLISHED, DEAD;

        boolean halfOpenResponder() {
            return this == MM_SA_REPLIED || this == MM_KE_REPLIED || this == AM_REPLIED;
        }
    }

    private static final int NONCE_LENGTH = 32;

    final IkeDaemon daemon;
    Phase1Policy policy;
    final boolean initiator;
    final ExchangeMode mode;
    final long ckyI;
    long ckyR;
    IpAddress localAddress;
    int localPort;
    IkeEndpoint peer;
    State state;

    private DhKeyPair dh;
    private byte[] gxi;
    private byte[] gxr;
    private byte[] ni;
    private byte[] nr;
    private byte[] saiB;
    private byte[] idiiB;
    private Payload.SecurityAssociation offered;
    Phase1Choice choice;
    Phase1Keys keys;
    private byte[] encryptionKey;
    private byte[] iv;
    /** The last CBC block of phase 1: every quick mode and informational IV derives from it. */
    byte[] phase1Iv;

    boolean peerNatT;
    boolean peerDpd;
    boolean natT;
    boolean initialContactReceived;
    Identity remoteId;

    byte[] lastReceived;
    byte[] lastSent;
    /**
     * Whether lastSent answers lastReceived, so that a repeat of the latter means
     * our answer was lost. Only answers are repeated, never on our own
     * initiative: two sides echoing each other's duplicates would storm.
     */
    boolean answersLast;
    /** Our last message of phase 1 is sealed but waits for the cluster's backups before it may leave. */
    private boolean answerHeld;
    final Resender resender;
    final long createdNanos;
    long lastActivityNanos;
    long establishedNanos;
    long lastHeardNanos;
    /** Packets received on the peer's inbound ESP SAs when DPD last looked. */
    long inboundPacketsSeen;
    Timer softTimer = Timer.NONE;
    Timer hardTimer = Timer.NONE;
    boolean replaced;
    /** Its soft lifetime passed while passive (a backup's copy): renew it once active. */
    boolean softDue;

    int dpdSequence;
    int dpdUnanswered;
    long dpdNextNanos;

    /** Quick modes in progress (and finished ones, briefly, to answer retransmissions) by message ID. */
    final Map<Long, QuickMode> quickModes = new LinkedHashMap<>();

    private Phase1Sa(IkeDaemon daemon, Phase1Policy policy, boolean initiator, ExchangeMode mode, long ckyI,
            IpAddress localAddress, int localPort, IkeEndpoint peer) {
        this.daemon = daemon;
        this.policy = policy;
        this.initiator = initiator;
        this.mode = mode;
        this.ckyI = ckyI;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.peer = peer;
        this.createdNanos = daemon.loop().nanoTime();
        this.lastActivityNanos = createdNanos;
        this.resender = new Resender(daemon, this::resend, this::noAnswer);
    }

    // ---- initiator ------------------------------------------------------

    /** Starts main or aggressive mode towards the policy's peer: MM1 or AM1. */
    static Phase1Sa initiate(IkeDaemon daemon, Phase1Policy policy) {
        Phase1Sa sa = new Phase1Sa(daemon, policy, true, policy.mode(), daemon.newCookie(), policy.local(),
                IkeEndpoint.IKE_PORT, new IkeEndpoint(policy.peer(), IkeEndpoint.IKE_PORT));
        sa.offered = Phase1Proposals.offer(policy.transforms());
        sa.saiB = Payloads.body(sa.offered);
        List<Payload> out = new ArrayList<>();
        out.add(sa.offered);
        if (sa.mode == ExchangeMode.AGGRESSIVE) {
            // Aggressive mode sends KE before the group is agreed: all transforms must share the first one's group
            sa.dh = policy.transforms().getFirst().group().generate(daemon.secureRandom());
            sa.gxi = sa.dh.publicValue();
            sa.ni = daemon.randomBytes(NONCE_LENGTH);
            Payload.Identification id = Identities.phase1(policy.localId(), sa.ourAddress());
            sa.idiiB = Payloads.body(id);
            out.add(new Payload.KeyExchange(sa.gxi));
            out.add(new Payload.Nonce(sa.ni));
            out.add(id);
            sa.state = State.AM_SA_SENT;
        } else {
            sa.state = State.MM_SA_SENT;
        }
        out.add(new Payload.VendorId(Payloads.NAT_T_VID));
        out.add(new Payload.VendorId(Payloads.DPD_VID));
        sa.sendPlain(out);
        sa.resender.start();
        return sa;
    }

    // ---- responder: first message ---------------------------------------

    /**
     * A new responder for a first main or aggressive mode message, or null when
     * nothing acceptable was offered (the peer is told NO_PROPOSAL_CHOSEN).
     */
    static Phase1Sa respond(IkeDaemon daemon, Phase1Policy policy, IsakmpMessage m, IkeEndpoint from,
            IpAddress localAddress, int localPort, byte[] datagram) throws MalformedIsakmp, IkeCryptoException {
        ExchangeMode mode = m.header().exchangeType() == ExchangeType.AGGRESSIVE.code() ? ExchangeMode.AGGRESSIVE
                : ExchangeMode.MAIN;
        Payload.SecurityAssociation sai = Payloads.required(m.payloads(), Payload.SecurityAssociation.class, "sa");
        Phase1Sa sa = new Phase1Sa(daemon, policy, false, mode, m.header().initiatorCookie(),
                localAddress != null ? localAddress : policy.local(), localPort, from);
        var choice = Phase1Proposals.choose(sai, policy.transforms());
        if (choice.isEmpty()) {
            daemon.noProposalChosen(sa, "phase 1 with " + from + ": no acceptable proposal among "
                    + Phase1Proposals.describe(sai));
            return null;
        }
        sa.choice = choice.get();
        sa.ckyR = daemon.newCookie();
        RawChain raw = RawChain.walk(datagram, IsakmpHeader.SIZE, m.header().nextPayload());
        sa.saiB = raw.body(Payloads.indexOf(m.payloads(), Payload.SecurityAssociation.class));
        sa.peerNatT = Payloads.hasVendorId(m.payloads(), Payloads.NAT_T_VID);
        sa.peerDpd = Payloads.hasVendorId(m.payloads(), Payloads.DPD_VID);
        List<Payload> out = new ArrayList<>();
        out.add(Phase1Proposals.reply(sai, sa.choice));
        if (mode == ExchangeMode.AGGRESSIVE) {
            sa.gxi = Payloads.required(m.payloads(), Payload.KeyExchange.class, "ke").data();
            sa.ni = Payloads.required(m.payloads(), Payload.Nonce.class, "nonce").data();
            Payload.Identification idii = Payloads.required(m.payloads(), Payload.Identification.class, "id");
            if (!idPortOk(idii)) {
                throw new MalformedIsakmp("id", "phase 1 ID with protocol " + idii.protocolId() + " port "
                        + idii.port());
            }
            sa.idiiB = raw.body(Payloads.indexOf(m.payloads(), Payload.Identification.class));
            sa.remoteId = Identities.of(idii);
            sa.dh = sa.choice.group().generate(daemon.secureRandom());
            sa.gxr = sa.dh.publicValue();
            sa.nr = daemon.randomBytes(NONCE_LENGTH);
            sa.deriveKeys();
            Payload.Identification idir = Identities.phase1(policy.localId(), sa.ourAddress());
            out.add(new Payload.KeyExchange(sa.gxr));
            out.add(new Payload.Nonce(sa.nr));
            out.add(idir);
            out.add(new Payload.Hash(sa.keys.hashR(sa.gxi, sa.gxr, sa.cookieI(), sa.cookieR(), sa.saiB,
                    Payloads.body(idir))));
        }
        out.add(new Payload.VendorId(Payloads.NAT_T_VID));
        out.add(new Payload.VendorId(Payloads.DPD_VID));
        if (mode == ExchangeMode.AGGRESSIVE && sa.peerNatT) {
            out.add(NatDetection.payload(sa.choice.hash(), sa.cookieI(), sa.cookieR(), from.address(), from.port()));
            out.add(NatDetection.payload(sa.choice.hash(), sa.cookieI(), sa.cookieR(), sa.ourAddress(), localPort));
        }
        sa.state = mode == ExchangeMode.AGGRESSIVE ? State.AM_REPLIED : State.MM_SA_REPLIED;
        sa.lastReceived = datagram;
        sa.answersLast = true;
        sa.sendPlain(out);
        if (mode == ExchangeMode.AGGRESSIVE) {
            // AM3 is the initiator's last word: without it we would never know the SA is up
            sa.resender.start();
        }
        return sa;
    }

    // ---- the exchange ---------------------------------------------------

    /** A phase 1 message (message ID 0) for this SA. */
    void receive(IsakmpHeader h, IkeEndpoint from, IpAddress local, int port, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        if (h.exchangeType() != (mode == ExchangeMode.MAIN ? ExchangeType.IDENTITY_PROTECTION
                : ExchangeType.AGGRESSIVE).code()) {
            throw new MalformedIsakmp("header.exchangeType", "exchange " + h.exchangeType() + " on a " + mode
                    + " mode SA");
        }
        if (local != null && localAddress == null) {
            localAddress = local;
        }
        switch (state) {
            case MM_SA_SENT -> mainMode2(IsakmpMessage.decode(datagram), datagram);
            case MM_SA_REPLIED -> mainMode3(IsakmpMessage.decode(datagram), datagram);
            case MM_KE_SENT -> mainMode4(IsakmpMessage.decode(datagram), datagram);
            case MM_KE_REPLIED -> mainMode5(h, from, local, port, datagram);
            case MM_ID_SENT -> mainMode6(h, datagram);
            case AM_SA_SENT -> aggressive2(IsakmpMessage.decode(datagram), datagram);
            case AM_REPLIED -> aggressive3(h, from, local, port, datagram);
            default -> daemon.unknown("phase 1 message from " + from + " for " + cookiesHex() + " in state " + state);
        }
    }

    private void mainMode2(IsakmpMessage m, byte[] datagram) throws MalformedIsakmp {
        Payload.SecurityAssociation reply = Payloads.required(m.payloads(), Payload.SecurityAssociation.class, "sa");
        var accepted = Phase1Proposals.accept(reply, policy.transforms());
        if (accepted.isEmpty()) {
            fail("the peer chose a transform we did not offer: " + Phase1Proposals.describe(reply));
            return;
        }
        choice = accepted.get();
        peerNatT = Payloads.hasVendorId(m.payloads(), Payloads.NAT_T_VID);
        peerDpd = Payloads.hasVendorId(m.payloads(), Payloads.DPD_VID);
        daemon.phase1s().responderCookieLearned(this, m.header().responderCookie());
        dh = choice.group().generate(daemon.secureRandom());
        gxi = dh.publicValue();
        ni = daemon.randomBytes(NONCE_LENGTH);
        List<Payload> out = new ArrayList<>(List.of(new Payload.KeyExchange(gxi), new Payload.Nonce(ni)));
        addNatD(out);
        state = State.MM_KE_SENT;
        lastReceived = datagram;
        answersLast = false;
        sendPlain(out);
        resender.start();
    }

    private void mainMode3(IsakmpMessage m, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        gxi = Payloads.required(m.payloads(), Payload.KeyExchange.class, "ke").data();
        ni = Payloads.required(m.payloads(), Payload.Nonce.class, "nonce").data();
        dh = choice.group().generate(daemon.secureRandom());
        gxr = dh.publicValue();
        nr = daemon.randomBytes(NONCE_LENGTH);
        deriveKeys();
        natT = detectNat(Payloads.all(m.payloads(), Payload.NatDiscovery.class));
        List<Payload> out = new ArrayList<>(List.of(new Payload.KeyExchange(gxr), new Payload.Nonce(nr)));
        addNatD(out);
        state = State.MM_KE_REPLIED;
        lastReceived = datagram;
        answersLast = true;
        sendPlain(out);
    }

    private void mainMode4(IsakmpMessage m, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        gxr = Payloads.required(m.payloads(), Payload.KeyExchange.class, "ke").data();
        nr = Payloads.required(m.payloads(), Payload.Nonce.class, "nonce").data();
        deriveKeys();
        natT = detectNat(Payloads.all(m.payloads(), Payload.NatDiscovery.class));
        floatIfNat();
        Payload.Identification id = Identities.phase1(policy.localId(), ourAddress());
        byte[] hash = keys.hashI(gxi, gxr, cookieI(), cookieR(), saiB, Payloads.body(id));
        List<Payload> out = new ArrayList<>(List.of(id, new Payload.Hash(hash)));
        addInitialContact(out);
        state = State.MM_ID_SENT;
        lastReceived = datagram;
        answersLast = false;
        sendEncrypted(out);
        resender.start();
    }

    private void mainMode5(IsakmpHeader h, IkeEndpoint from, IpAddress local, int port, byte[] datagram)
            throws MalformedIsakmp {
        Protection.Opened o = openPhase1(h, datagram, from, local, port);
        if (o == null) {
            return;
        }
        Payload.Identification id = Payloads.required(o.payloads(), Payload.Identification.class, "id");
        Payload.Hash hash = Payloads.required(o.payloads(), Payload.Hash.class, "hash");
        byte[] want = keys.hashI(gxi, gxr, cookieI(), cookieR(), saiB,
                o.raw().body(Payloads.indexOf(o.payloads(), Payload.Identification.class)));
        if (!MessageDigest.isEqual(want, hash.data())) {
            moveTo(from, local, port);
            authenticationFailed(NotifyType.INVALID_HASH_INFORMATION);
            return;
        }
        iv = o.nextIv();
        if (!acceptPeerId(id)) {
            return;
        }
        moveTo(from, local, port);
        initialContactReceived = hasInitialContact(o.payloads());
        Payload.Identification idr = Identities.phase1(policy.localId(), ourAddress());
        byte[] hashR = keys.hashR(gxi, gxr, cookieI(), cookieR(), saiB, Payloads.body(idr));
        lastReceived = datagram;
        answersLast = true;
        sealNext(List.of(idr, new Payload.Hash(hashR)));
        phase1Iv = iv;
        recordEstablished();
        // MM6 completes the peer's phase 1: on a cluster it leaves once the backups have it, so that a
        // master dying now leaves the peer nothing its backup lacks
        answerHeld = true;
        daemon.afterReplication(() -> {
            answerHeld = false;
            if (!daemon.closed() && daemon.phase1s().contains(this)) {
                resend();
                daemon.phase1Lifecycle().completed(this);
            }
        });
    }

    private void mainMode6(IsakmpHeader h, byte[] datagram) throws MalformedIsakmp {
        Protection.Opened o = openPhase1(h, datagram, peer, localAddress, localPort);
        if (o == null) {
            return;
        }
        Payload.Identification id = Payloads.required(o.payloads(), Payload.Identification.class, "id");
        Payload.Hash hash = Payloads.required(o.payloads(), Payload.Hash.class, "hash");
        byte[] want = keys.hashR(gxi, gxr, cookieI(), cookieR(), saiB,
                o.raw().body(Payloads.indexOf(o.payloads(), Payload.Identification.class)));
        if (!MessageDigest.isEqual(want, hash.data())) {
            authenticationFailed(NotifyType.INVALID_HASH_INFORMATION);
            return;
        }
        if (!acceptPeerId(id)) {
            return;
        }
        lastReceived = datagram;
        answersLast = false;
        phase1Iv = o.nextIv();
        established();
    }

    private void aggressive2(IsakmpMessage m, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        Payload.SecurityAssociation reply = Payloads.required(m.payloads(), Payload.SecurityAssociation.class, "sa");
        var accepted = Phase1Proposals.accept(reply, policy.transforms());
        if (accepted.isEmpty() || accepted.get().group() != dh.group()) {
            fail("the peer chose a transform we did not offer: " + Phase1Proposals.describe(reply));
            return;
        }
        choice = accepted.get();
        gxr = Payloads.required(m.payloads(), Payload.KeyExchange.class, "ke").data();
        nr = Payloads.required(m.payloads(), Payload.Nonce.class, "nonce").data();
        Payload.Identification id = Payloads.required(m.payloads(), Payload.Identification.class, "id");
        Payload.Hash hash = Payloads.required(m.payloads(), Payload.Hash.class, "hash");
        long responderCookie = m.header().responderCookie();
        byte[] ckyRBytes = Payloads.cookie(responderCookie);
        Phase1Keys k = Phase1Keys.preSharedKey(choice.hash(), choice.cipher(), policy.psk(), ni, nr,
                choice.group().agree(dh, gxr), cookieI(), ckyRBytes);
        byte[] idB = RawChain.walk(datagram, IsakmpHeader.SIZE, m.header().nextPayload())
                .body(Payloads.indexOf(m.payloads(), Payload.Identification.class));
        if (!MessageDigest.isEqual(k.hashR(gxi, gxr, cookieI(), ckyRBytes, saiB, idB), hash.data())) {
            daemon.unauthenticated("phase 1 with " + peer + ": authentication failed (wrong pre-shared key?)");
            fail(null);
            return;
        }
        peerNatT = Payloads.hasVendorId(m.payloads(), Payloads.NAT_T_VID);
        peerDpd = Payloads.hasVendorId(m.payloads(), Payloads.DPD_VID);
        daemon.phase1s().responderCookieLearned(this, responderCookie);
        useKeys(k);
        if (!acceptPeerId(id)) {
            return;
        }
        List<Payload.NatDiscovery> natD = Payloads.all(m.payloads(), Payload.NatDiscovery.class);
        natT = detectNat(natD);
        floatIfNat();
        List<Payload> out = new ArrayList<>();
        out.add(new Payload.Hash(keys.hashI(gxi, gxr, cookieI(), cookieR(), saiB, idiiB)));
        addNatD(out);
        addInitialContact(out);
        lastReceived = datagram;
        answersLast = true;
        sendEncrypted(out);
        phase1Iv = iv;
        established();
    }

    private void aggressive3(IsakmpHeader h, IkeEndpoint from, IpAddress local, int port, byte[] datagram)
            throws MalformedIsakmp {
        List<Payload> payloads;
        byte[] nextIv;
        if (h.encrypted()) {
            Protection.Opened o = openPhase1(h, datagram, from, local, port);
            if (o == null) {
                return;
            }
            payloads = o.payloads();
            nextIv = o.nextIv();
        } else {
            payloads = IsakmpMessage.decode(datagram).payloads();
            nextIv = iv;
        }
        Payload.Hash hash = Payloads.required(payloads, Payload.Hash.class, "hash");
        if (!MessageDigest.isEqual(keys.hashI(gxi, gxr, cookieI(), cookieR(), saiB, idiiB), hash.data())) {
            moveTo(from, local, port);
            authenticationFailed(NotifyType.INVALID_HASH_INFORMATION);
            return;
        }
        if (remoteId != null && policy.remoteId() != null && !policy.remoteId().equals(remoteId)) {
            fail("identity " + remoteId + " is not the required " + policy.remoteId());
            return;
        }
        List<Payload.NatDiscovery> natD = Payloads.all(payloads, Payload.NatDiscovery.class);
        if (!natD.isEmpty()) {
            natT = detectNat(natD);
        }
        moveTo(from, local, port);
        initialContactReceived = hasInitialContact(payloads);
        lastReceived = datagram;
        answersLast = false;
        resender.stop();
        phase1Iv = nextIv;
        established();
    }

    // ---- steps shared by the messages -----------------------------------

    /**
     * Decrypts MM5/MM6/AM3; a failure here is the classic wrong pre-shared key.
     * The refusal goes back where the message came from (NAT-T peers float
     * to 4500 with MM5): the SA is dropped anyway, so following is harmless.
     */
    private Protection.Opened openPhase1(IsakmpHeader h, byte[] datagram, IkeEndpoint from, IpAddress local,
            int port) {
        if (!h.encrypted()) {
            daemon.malformed("phase 1 with " + peer + ": unencrypted message where an encrypted one belongs");
            return null;
        }
        try {
            return Protection.open(choice.cipher(), encryptionKey, iv, h, datagram);
        } catch (MalformedIsakmp | IkeCryptoException e) {
            moveTo(from, local, port);
            authenticationFailed(NotifyType.PAYLOAD_MALFORMED);
            return null;
        }
    }

    private void authenticationFailed(NotifyType notify) {
        daemon.unauthenticated("phase 1 with " + peer + ": authentication failed (wrong pre-shared key?)");
        if (!initiator) {
            daemon.info().sendUnprotectedNotify(this, notify);
        }
        fail(null);
    }

    /** Phase 1 IDs name protocol and port 0/0 (strongSwan) or UDP/500 (isakmpd), nothing else. */
    private static boolean idPortOk(Payload.Identification id) {
        return (id.protocolId() == 0 && id.port() == 0) || (id.protocolId() == 17 && id.port() == 500);
    }

    private boolean acceptPeerId(Payload.Identification id) throws MalformedIsakmp {
        if (!idPortOk(id)) {
            fail("identity with protocol " + id.protocolId() + " port " + id.port());
            return false;
        }
        remoteId = Identities.of(id);
        if (policy.remoteId() != null && !policy.remoteId().equals(remoteId)) {
            if (!initiator) {
                daemon.info().sendUnprotectedNotify(this, NotifyType.INVALID_ID_INFORMATION);
            }
            fail("identity " + remoteId + " is not the required " + policy.remoteId());
            return false;
        }
        return true;
    }

    private void deriveKeys() throws IkeCryptoException {
        byte[] gxy = choice.group().agree(dh, initiator ? gxr : gxi);
        useKeys(Phase1Keys.preSharedKey(choice.hash(), choice.cipher(), policy.psk(), ni, nr, gxy, cookieI(),
                cookieR()));
    }

    private void useKeys(Phase1Keys k) {
        keys = k;
        encryptionKey = k.encryptionKey();
        iv = IkeIv.phase1(choice.hash(), choice.cipher(), gxi, gxr);
    }

    private boolean detectNat(List<Payload.NatDiscovery> received) {
        if (!peerNatT) {
            return false;
        }
        if (received.isEmpty()) {
            return false;
        }
        return NatDetection.detected(choice.hash(), cookieI(), cookieR(), received, localAddress, localPort,
                peer.address(), peer.port());
    }

    private void addNatD(List<Payload> out) {
        if (peerNatT) {
            out.add(NatDetection.payload(choice.hash(), cookieI(), cookieR(), peer.address(), peer.port()));
            out.add(NatDetection.payload(choice.hash(), cookieI(), cookieR(), ourAddress(), localPort));
        }
    }

    private void addInitialContact(List<Payload> out) {
        if (!daemon.phase1s().hasOther(this)) {
            byte[] spi = Arrays.copyOf(cookieI(), 16);
            System.arraycopy(cookieR(), 0, spi, 8, 8);
            out.add(new Payload.Notification(1, ProtocolId.ISAKMP.code(), spi, NotifyType.INITIAL_CONTACT.code(),
                    new byte[0]));
        }
    }

    private static boolean hasInitialContact(List<Payload> payloads) {
        return Payloads.all(payloads, Payload.Notification.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyType.INITIAL_CONTACT.code());
    }

    /** From MM5 (AM3) on, a NAT-T SA runs on port 4500. */
    private void floatIfNat() {
        if (natT) {
            localPort = IkeEndpoint.NAT_T_PORT;
            peer = peer.floated();
        }
    }

    /** The peer authenticated from here: follow it (NAT mappings change, NAT-T floats). */
    void moveTo(IkeEndpoint from, IpAddress local, int port) {
        peer = from;
        localPort = port;
        if (local != null) {
            localAddress = local;
        }
    }

    /** Phase 1 is done, and the peer has (or is sent) our last message. */
    private void established() {
        recordEstablished();
        daemon.phase1Lifecycle().completed(this);
    }

    /** Phase 1 is done on our side; {@link Phase1Lifecycle#completed} follows once the peer has our last word. */
    private void recordEstablished() {
        resender.stop();
        state = State.ESTABLISHED;
        establishedNanos = daemon.loop().nanoTime();
        lastHeardNanos = establishedNanos;
        dh = null;
        daemon.phase1Lifecycle().established(this);
    }

    void fail(String reason) {
        resender.stop();
        daemon.phase1Lifecycle().failed(this, reason);
    }

    private void noAnswer() {
        fail("no answer after " + resender.count() + " retransmits");
    }

    // ---- sending --------------------------------------------------------

    private void sendPlain(List<Payload> payloads) {
        int type = (mode == ExchangeMode.MAIN ? ExchangeType.IDENTITY_PROTECTION : ExchangeType.AGGRESSIVE).code();
        lastSent = new IsakmpMessage(IsakmpHeader.of(ckyI, ckyR, type, 0, 0), payloads).encode();
        resend();
    }

    private void sendEncrypted(List<Payload> payloads) {
        sealNext(payloads);
        resend();
    }

    /** Encrypts the next message of phase 1 as {@link #lastSent}, without sending it. */
    private void sealNext(List<Payload> payloads) {
        int type = (mode == ExchangeMode.MAIN ? ExchangeType.IDENTITY_PROTECTION : ExchangeType.AGGRESSIVE).code();
        Protection.Sealed s = Protection.seal(choice.cipher(), encryptionKey, iv, IsakmpHeader.of(ckyI, ckyR, type,
                0, 0), payloads);
        iv = s.nextIv();
        lastSent = s.datagram();
    }

    void resend() {
        if (answerHeld) {
            // MM6 waits for replication (see mainMode5); a repeated MM5 meanwhile gets it then
            return;
        }
        daemon.send(this, lastSent);
    }

    /** Encrypts a message of an exchange with its own IV chain; returns the sealed datagram. */
    Protection.Sealed seal(int exchangeType, long messageId, byte[] exchangeIv, List<Payload> payloads) {
        return Protection.seal(choice.cipher(), encryptionKey, exchangeIv,
                IsakmpHeader.of(ckyI, ckyR, exchangeType, 0, messageId), payloads);
    }

    Protection.Opened open(IsakmpHeader h, byte[] exchangeIv, byte[] datagram)
            throws MalformedIsakmp, IkeCryptoException {
        return Protection.open(choice.cipher(), encryptionKey, exchangeIv, h, datagram);
    }

    /** The first IV of the quick mode or informational exchange with this message ID. */
    byte[] exchangeIv(long messageId) {
        return IkeIv.forExchange(choice.hash(), choice.cipher(), phase1Iv, (int) messageId);
    }

    // ---- cluster replication ----------------------------------------------

    /** What a cluster backup needs of this established SA. */
    Phase1State export(long now) {
        return new Phase1State(policy.name(), initiator, mode, ckyI, ckyR, choice, keys.skeyidD(), keys.skeyidA(),
                keys.skeyidE(), phase1Iv, localAddress, localPort, peer, natT, peerDpd, dpdSequence, remoteId,
                Math.max(0, (now - establishedNanos) / 1_000_000), answerToKeep(lastReceived),
                answerToKeep(lastSent));
    }

    /** Our last answer and what it answered, for a backup to repeat; null when there is none to repeat. */
    private byte[] answerToKeep(byte[] message) {
        boolean keep = answersLast && lastReceived != null && lastSent != null
                && lastReceived.length <= Phase1State.MAX_MESSAGE && lastSent.length <= Phase1State.MAX_MESSAGE;
        return keep ? message : null;
    }

    /** The established SA another node of the cluster negotiated, as it exported it. */
    static Phase1Sa restore(IkeDaemon daemon, Phase1Policy policy, Phase1State s) {
        Phase1Sa sa = new Phase1Sa(daemon, policy, s.initiator(), s.mode(), s.initiatorCookie(), s.localAddress(),
                s.localPort(), s.peer());
        sa.ckyR = s.responderCookie();
        sa.choice = s.choice();
        sa.keys = Phase1Keys.established(sa.choice.hash(), sa.choice.cipher(), s.skeyidD(), s.skeyidA(),
                s.skeyidE());
        sa.encryptionKey = sa.keys.encryptionKey();
        sa.phase1Iv = s.phase1Iv();
        sa.peerNatT = s.natT();
        sa.peerDpd = s.peerDpd();
        sa.remoteId = s.remoteId();
        sa.state = State.ESTABLISHED;
        sa.establishedNanos = sa.createdNanos - s.ageMillis() * 1_000_000;
        // silence before the copy says nothing about the peer: DPD counts from now
        sa.lastHeardNanos = sa.createdNanos;
        if (s.lastAnswer().length > 0) {
            // the peer may not have our last answer (lost, or its sender died sending it) and repeat its message
            sa.lastReceived = s.lastReceived();
            sa.lastSent = s.lastAnswer();
            sa.answersLast = true;
        }
        sa.update(s);
        return sa;
    }

    /** What may change on the negotiating node after establishment: where the peer is, the DPD sequence. */
    void update(Phase1State s) {
        localAddress = s.localAddress();
        localPort = s.localPort();
        peer = s.peer();
        natT = s.natT();
        dpdSequence = s.dpdSequence();
    }

    // ---- names ----------------------------------------------------------

    byte[] cookieI() {
        return Payloads.cookie(ckyI);
    }

    byte[] cookieR() {
        return Payloads.cookie(ckyR);
    }

    /** The 16 cookie octets, the SPI of ISAKMP notifications and deletes. */
    byte[] cookies() {
        byte[] spi = Arrays.copyOf(cookieI(), 16);
        System.arraycopy(cookieR(), 0, spi, 8, 8);
        return spi;
    }

    String cookiesHex() {
        return String.format("%016x:%016x", ckyI, ckyR);
    }

    /** Our address as the ID and NAT-D name it; the unspecified address when nothing better is known. */
    IpAddress ourAddress() {
        if (localAddress != null) {
            return localAddress;
        }
        return IpAddress.zero(peer.address().family());
    }

    boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    @Override
    public String toString() {
        return "phase 1 " + cookiesHex() + " with " + peer;
    }
}
