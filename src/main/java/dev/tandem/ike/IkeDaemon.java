package dev.tandem.ike;

import dev.tandem.ike.crypto.IkeCryptoException;
import dev.tandem.ike.negotiation.ChildSa;
import dev.tandem.ike.negotiation.ChildSaInstaller;
import dev.tandem.ike.negotiation.ChildSaSpec;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.wire.ExchangeType;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.IsakmpMessage;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.NotifyType;
import dev.tandem.ike.wire.Payload;
import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SecurityAssociation;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sadb.SadbException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IKEv1 daemon (isakmpd's role) with pre-shared keys: main and
 * aggressive mode, quick mode, informational exchanges (DPD, DELETE), NAT-T,
 * retransmission and rekeying, all on the control-plane event loop with an
 * injected network port, so two daemons also negotiate in the simulator.
 * Every method except {@link #start()} and {@link #close()} runs on the loop.
 */
public final class IkeDaemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IkeDaemon.class);
    /** An exchange that has not moved for this long is dropped (flooded half-open state must not linger). */
    private static final long UNFINISHED_NANOS = Duration.ofSeconds(30).toNanos();
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int CHECK_EVERY_TICKS = 10;
    /** Old SAs of a rekey stay this long after their DELETE, so packets in flight still decrypt. */
    private static final Duration REKEY_OVERLAP = Duration.ofSeconds(5);
    private static final long DEFAULT_PHASE1_LIFE = 3600;

    /**
     * @param replayWindow     of the ESP SAs installed
     * @param maxHalfOpen      responder exchanges not yet authenticated that are kept; the oldest goes first
     * @param retransmitFirst  first retransmission delay, doubled each time
     * @param retransmitLimit  retransmissions before an exchange fails
     */
    public record Options(int replayWindow, int maxHalfOpen, Duration retransmitFirst, int retransmitLimit) {
        public static final Options DEFAULT = new Options(64, 1024, Duration.ofSeconds(2), 5);

        public Options {
            if (maxHalfOpen < 1 || retransmitLimit < 0 || retransmitFirst.isNegative() || retransmitFirst.isZero()) {
                throw new IllegalArgumentException("IKE options " + maxHalfOpen + "/" + retransmitFirst + "/"
                        + retransmitLimit);
            }
        }
    }

    private final EventLoop loop;
    private final Sadb sadb;
    private final IkePort port;
    private final RandomGenerator random;
    private final SecureRandom secureRandom;
    private final Options options;
    private final ChildSaInstaller installer;
    private final IkeCounters counters = new IkeCounters();
    private final BadInputLog badInput;
    private final Consumer<SadbEvent> subscriber;
    private final Informational info = new Informational(this);

    private IkePolicy policy = IkePolicy.EMPTY;
    private boolean passive;
    private final Phase1Table phase1s = new Phase1Table();
    private final List<ChildSaRecord> children = new ArrayList<>();
    /** Passive connections that traffic asked for (Acquire): started like active ones until they have SAs. */
    private final java.util.Set<String> acquired = new java.util.HashSet<>();
    private Timer tick = Timer.NONE;
    private int ticks;
    private boolean closed;

    public IkeDaemon(EventLoop loop, Sadb sadb, IkePort port, RandomGenerator random, Options options) {
        this.loop = loop;
        this.sadb = sadb;
        this.port = port;
        this.random = random;
        this.secureRandom = RandomSecureRandom.of(random);
        this.options = options;
        this.installer = new ChildSaInstaller(sadb, options.replayWindow());
        this.badInput = new BadInputLog(LOG, loop);
        this.subscriber = e -> loop.execute(() -> sadbEvent(e));
    }

    // ---- public API ---------------------------------------------------------

    /** On the loop. Replaces the policy; active connections without SAs start negotiating; connections that disappeared are torn down (unless passive). */
    public void configure(IkePolicy newPolicy) {
        policy = newPolicy;
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            var p = newPolicy.phase1(sa.policy.name());
            if (p.isPresent()) {
                sa.policy = p.get();
            } else if (!passive) {
                if (sa.isEstablished()) {
                    info.sendPhase1Delete(sa);
                }
                removePhase1(sa);
            }
        }
        for (ChildSaRecord c : List.copyOf(children)) {
            if (!passive && newPolicy.phase2().stream().noneMatch(p -> p.name().equals(c.connection()))) {
                LOG.info("connection {} removed from the configuration: deleting SPIs 0x{}/0x{}", c.connection(),
                        hex(c.inboundSpi()), hex(c.outboundSpi()));
                info.sendDelete(c);
                removeChild(c);
                installer.removeFlows(c.spec);
            }
        }
        checkConnections();
    }

    /** On the loop. One received ISAKMP message (non-ESP marker already removed) from {@code from}, sent to our {@code localAddress} (nullable if unknown) on {@code localPort} (500 or 4500). Never throws: bad input is counted and logged (rate limited). */
    public void receive(IkeEndpoint from, IpAddress localAddress, int localPort, byte[] message) {
        counters.inc(IkeCounters.RECEIVED);
        try {
            dispatch(from, localAddress, localPort, message);
        } catch (MalformedIsakmp e) {
            malformed("message from " + from + " malformed at " + e.getMessage());
        } catch (IkeCryptoException e) {
            malformed("message from " + from + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // The daemon must survive whatever a packet contains; the stack trace (debug) helps find the bug
            malformed("message from " + from + " could not be handled: " + e);
            LOG.debug("message from {} could not be handled", from, e);
        }
    }

    /** On the loop. A require/acquire flow has no SA: negotiate the connection whose selectors cover it (unless passive). */
    public void acquire(Flow flow) {
        if (passive || closed) {
            return;
        }
        for (Phase2Policy c : policy.phase2()) {
            if (covers(c.localNet(), flow.selector().src()) && covers(c.remoteNet(), flow.selector().dst())) {
                acquired.add(c.name());
                startConnection(c, null);
                return;
            }
        }
    }

    /** On the loop. Passive (carp BACKUP, isakmpd -S): initiate nothing, send no DELETE, remove nothing; still answer the peer. Leaving passive starts active connections at once. */
    public void passive(boolean on) {
        if (passive == on) {
            return;
        }
        passive = on;
        LOG.info("IKE {}", on ? "passive: answering only" : "active: initiating connections");
        if (!on) {
            checkConnections();
        }
    }

    public boolean passive() {
        return passive;
    }

    /** On the loop. ipsecctl -d: delete the connection's phase 2 SAs, telling the peer (DELETE) unless passive. Returns whether anything existed. */
    public boolean teardown(String connection) {
        boolean any = false;
        for (ChildSaRecord c : List.copyOf(children)) {
            if (c.connection().equals(connection)) {
                info.sendDelete(c);
                removeChild(c);
                any = true;
            }
        }
        return any;
    }

    /** On the loop. A snapshot for ipsecctl -s / tandem status. */
    public IkeStatus status() {
        long now = loop.nanoTime();
        List<Phase1Status> p1 = new ArrayList<>();
        for (Phase1Sa sa : phase1s.all()) {
            IpAddress local = sa.ourAddress();
            p1.add(new Phase1Status(sa.policy.name(), new IkeEndpoint(local, sa.localPort), sa.peer,
                    String.format("%016x", sa.ckyI), String.format("%016x", sa.ckyR),
                    sa.isEstablished() ? "established" : sa.state.name(), sa.initiator, sa.mode,
                    sa.choice == null ? "" : TransformNames.of(sa.choice),
                    (now - (sa.isEstablished() ? sa.establishedNanos : sa.createdNanos)) / 1_000_000_000L,
                    sa.choice == null ? 0 : phase1Life(sa), sa.natT, sa.isEstablished() ? sa.remoteId : null));
        }
        List<Phase2Status> p2 = new ArrayList<>();
        for (ChildSaRecord c : children) {
            p2.add(new Phase2Status(c.connection(), c.phase1Cookies, c.inboundSpi(), c.outboundSpi(), c.transform,
                    c.spec.choice().pfs() != null, (now - c.createdNanos) / 1_000_000_000L,
                    c.spec.choice().lifeSeconds()));
        }
        return new IkeStatus(p1, p2, counters.snapshot(), passive);
    }

    /** Subscribes to the SADB (soft expiry -> rekey, Acquire -> acquire on the loop) and starts the connection checker. */
    public void start() {
        sadb.subscribe(subscriber);
        loop.execute(() -> {
            tick = loop.schedule(TICK, this::tick);
            checkConnections();
        });
    }

    @Override
    public void close() {
        sadb.unsubscribe(subscriber);
        Runnable stop = () -> {
            closed = true;
            tick.cancel();
            for (Phase1Sa sa : phase1s.all()) {
                stopTimers(sa);
            }
        };
        if (loop.inLoop()) {
            stop.run();
        } else {
            loop.execute(stop);
        }
    }

    // ---- dispatch -----------------------------------------------------------

    private void dispatch(IkeEndpoint from, IpAddress localAddress, int localPort, byte[] message)
            throws MalformedIsakmp, IkeCryptoException {
        if (closed) {
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
            unknown("message from " + from + " for unknown cookies " + String.format("%016x:%016x",
                    h.initiatorCookie(), h.responderCookie()));
            return;
        }
        if (phase1Type && h.messageId() == 0) {
            if (sa.lastReceived != null && Arrays.equals(sa.lastReceived, message)) {
                if (sa.answersLast) {
                    countRetransmit();
                    sa.resend();
                }
                return;
            }
            sa.lastActivityNanos = loop.nanoTime();
            sa.receive(h, from, localAddress, localPort, message);
            return;
        }
        if (type == ExchangeType.INFORMATIONAL.code() && !h.encrypted()) {
            info.unprotectedNotify(sa, message);
            return;
        }
        if (!sa.isEstablished()) {
            if (type == ExchangeType.INFORMATIONAL.code() && sa.state == Phase1Sa.State.MM_ID_SENT) {
                // strongSwan answers an MM5 it cannot decrypt with a notification under its own (other) key
                unauthenticated("phase 1 with " + sa.peer + ": authentication failed (wrong pre-shared key?):"
                        + " the peer answered with a notification we cannot decrypt");
                sa.fail(null);
                return;
            }
            unknown("message from " + from + " before phase 1 " + sa.cookiesHex() + " is established");
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

    private void firstMessage(IsakmpHeader h, IkeEndpoint from, IpAddress localAddress, int localPort,
            byte[] message) throws MalformedIsakmp, IkeCryptoException {
        Phase1Sa existing = phase1s.responder(h.initiatorCookie());
        if (existing != null && existing.peer.address().equals(from.address())) {
            if (Arrays.equals(existing.lastReceived, message)) {
                if (existing.answersLast) {
                    countRetransmit();
                    existing.resend();
                }
            } else {
                unknown("another first message from " + from + " with initiator cookie "
                        + String.format("%016x", h.initiatorCookie()));
            }
            return;
        }
        Phase1Policy p = phase1PolicyFor(from.address(), localAddress);
        if (p == null) {
            unknown("phase 1 from " + from + ": no policy for this peer");
            return;
        }
        ExchangeMode mode = h.exchangeType() == ExchangeType.AGGRESSIVE.code() ? ExchangeMode.AGGRESSIVE
                : ExchangeMode.MAIN;
        if (mode != p.mode()) {
            counters.inc(IkeCounters.NO_PROPOSAL_CHOSEN);
            badInput.warn("phase 1 from " + from + ": " + mode + " mode offered, " + p.name() + " wants " + p.mode());
            return;
        }
        IsakmpMessage m = IsakmpMessage.decode(message);
        Phase1Sa sa = Phase1Sa.respond(this, p, m, from, localAddress, localPort, message);
        if (sa == null) {
            return;
        }
        for (Phase1Sa victim : phase1s.addResponder(sa, options.maxHalfOpen())) {
            counters.inc(IkeCounters.HALF_OPEN_EVICTED);
            badInput.warn("phase 1: " + options.maxHalfOpen() + " half-open exchanges, dropping the oldest, with "
                    + victim.peer);
            removePhase1(victim);
        }
    }

    private Phase1Policy phase1PolicyFor(IpAddress peer, IpAddress local) {
        Phase1Policy fallback = null;
        for (Phase1Policy p : policy.phase1()) {
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

    // ---- quick mode -----------------------------------------------------------

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

    /** Decrypts and authenticates (HASH(1)) the first message of a quick mode or informational exchange. */
    private Protection.Opened openExchange(Phase1Sa sa, IsakmpHeader h, byte[] message, String what) {
        if (!h.encrypted() || h.messageId() == 0) {
            malformed(what + " from " + sa.peer + " unencrypted or with message ID 0");
            return null;
        }
        Protection.Opened o;
        try {
            o = sa.open(h, sa.exchangeIv(h.messageId()), message);
        } catch (MalformedIsakmp | IkeCryptoException e) {
            unauthenticated(what + " from " + sa.peer + " does not decrypt: " + e.getMessage());
            return null;
        }
        if (o.payloads().isEmpty() || !(o.payloads().getFirst() instanceof Payload.Hash hash)
                || !java.security.MessageDigest.isEqual(hash.data(),
                        sa.keys.quickMode().hash1((int) h.messageId(), o.raw().from(1)))) {
            unauthenticated(what + " from " + sa.peer + ": HASH(1) missing or wrong");
            return null;
        }
        heard(sa);
        return o;
    }

    /** An authenticated message from a new port: a NAT mapping changed; answer where it came from. */
    private void followPeer(Phase1Sa sa, IkeEndpoint from, IpAddress local, int localPort) {
        if (sa.natT && !from.equals(sa.peer)) {
            sa.moveTo(from, local, localPort);
        }
    }

    /** The connection of a peer's quick mode: our side's and its side's selectors as it proposed them. */
    Phase2Policy connectionFor(Phase1Sa sa, IpNet ourNet, IpNet theirNet, int protocol, int ourPort, int theirPort) {
        for (Phase2Policy c : policy.phase2()) {
            if (c.phase1().equals(sa.policy.name()) && c.localNet().equals(ourNet) && c.remoteNet().equals(theirNet)
                    && c.protocol() == protocol && c.localPort() == ourPort && c.remotePort() == theirPort) {
                return c;
            }
        }
        return null;
    }

    /** Installs what a quick mode negotiated; false (and counted as failed) if the SADB refused it. */
    boolean phase2Established(QuickMode qm, ChildSaSpec spec) {
        ChildSa child;
        try {
            child = qm.earlyInbound() != null ? installer.complete(spec, random) : installer.install(spec, random);
        } catch (SadbException | RuntimeException e) {
            phase2Failed(qm, "the SADB refused the SAs: " + e.getMessage());
            return false;
        }
        ChildSaRecord rec = new ChildSaRecord(child, spec, qm.sa.cookiesHex(), TransformNames.of(qm.choice()),
                loop.nanoTime());
        children.add(rec);
        acquired.remove(spec.connection());
        counters.inc(IkeCounters.PHASE2_ESTABLISHED);
        LOG.info("quick mode with {} established: connection {}, {}, SPIs in 0x{} out 0x{}{}{}", qm.sa.peer,
                spec.connection(), rec.transform, hex(rec.inboundSpi()), hex(rec.outboundSpi()),
                spec.peerNatPort() != 0 ? ", NAT-T" : "", qm.replaces != null ? ", rekey" : "");
        ChildSaRecord old = qm.replaces;
        if (old != null && children.contains(old)) {
            info.sendDelete(old);
            loop.schedule(REKEY_OVERLAP, () -> {
                if (children.contains(old)) {
                    removeChild(old);
                }
            });
        }
        return true;
    }

    void phase2Failed(QuickMode qm, String reason) {
        counters.inc(IkeCounters.PHASE2_FAILED);
        badInput.warn("quick mode with " + qm.sa.peer + " for " + qm.policy.name() + " failed: " + reason);
        if (qm.replaces != null) {
            qm.replaces.rekeying = false;
        }
    }

    void phase2Refused(Phase1Sa sa, NotifyType notify, String reason) {
        counters.inc(IkeCounters.PHASE2_FAILED);
        badInput.warn(reason);
        info.sendNotify(sa, notify);
    }

    /** Our inbound SPI: random, above the reserved range, unused in the SADB. */
    int allocateSpi() {
        while (true) {
            int spi = random.nextInt();
            if (Integer.toUnsignedLong(spi) >= 256 && sadb.inbound(SaProtocol.ESP, spi) == null) {
                return spi;
            }
        }
    }

    // ---- informational --------------------------------------------------------

    private void informational(Phase1Sa sa, IsakmpHeader h, IkeEndpoint from, IpAddress local, int localPort,
            byte[] message) {
        Protection.Opened o = openExchange(sa, h, message, "informational");
        if (o == null) {
            return;
        }
        followPeer(sa, from, local, localPort);
        for (Payload p : o.payloads()) {
            switch (p) {
                case Payload.Notification n -> info.notification(sa, n);
                case Payload.Delete d -> info.delete(sa, d);
                default -> { }
            }
        }
    }

    long newMessageId(Phase1Sa sa) {
        while (true) {
            long mid = Integer.toUnsignedLong(random.nextInt());
            if (mid != 0 && !sa.quickModes.containsKey(mid)) {
                return mid;
            }
        }
    }

    // ---- phase 1 life ---------------------------------------------------------

    void phase1Established(Phase1Sa sa) {
        phase1s.authenticated(sa);
        counters.inc(IkeCounters.PHASE1_ESTABLISHED);
        LOG.info("phase 1 with {} established: {} mode as {}, {}, cookies {}, peer id {}{}", sa.peer,
                sa.mode == ExchangeMode.MAIN ? "main" : "aggressive", sa.initiator ? "initiator" : "responder",
                TransformNames.of(sa.choice), sa.cookiesHex(), sa.remoteId, sa.natT ? ", NAT-T" : "");
        long life = phase1Life(sa);
        long soft = life * 1000 * (85 + random.nextInt(11)) / 100;
        sa.softTimer = loop.schedule(Duration.ofMillis(soft), () -> phase1Soft(sa));
        sa.hardTimer = loop.schedule(Duration.ofSeconds(life), () -> phase1Hard(sa));
        if (sa.initialContactReceived && !passive) {
            initialContact(sa);
        }
        checkConnections();
    }

    /**
     * INITIAL-CONTACT: the peer rebooted when it began this exchange, so what
     * was established with it before then is stale. Exchanges still running
     * and SAs completed since (both ends initiating at once) are kept.
     */
    private void initialContact(Phase1Sa fresh) {
        IpAddress peer = fresh.peer.address();
        int removed = 0;
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (sa != fresh && sa.isEstablished() && sa.peer.address().equals(peer)
                    && sa.establishedNanos < fresh.createdNanos) {
                removePhase1(sa);
                removed++;
            }
        }
        for (ChildSaRecord c : List.copyOf(children)) {
            if (c.peer().equals(peer) && c.createdNanos < fresh.createdNanos) {
                removeChild(c);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("phase 1 with {}: initial contact, {} older SAs of this peer removed", fresh.peer, removed);
        }
    }

    private static long phase1Life(Phase1Sa sa) {
        return sa.choice.lifeSeconds() > 0 ? sa.choice.lifeSeconds() : DEFAULT_PHASE1_LIFE;
    }

    private void phase1Soft(Phase1Sa sa) {
        if (passive || closed || !sa.isEstablished() || sa.policy.peer() == null || sa.replaced) {
            return;
        }
        boolean used = policy.phase2().stream().anyMatch(c -> c.active() && c.phase1().equals(sa.policy.name()));
        if (used && !phase1Running(sa.policy)) {
            sa.replaced = true;
            LOG.info("phase 1 {} with {} nears its end: negotiating a new one", sa.cookiesHex(), sa.peer);
            startPhase1(sa.policy);
        }
    }

    private void phase1Hard(Phase1Sa sa) {
        if (!phase1s.contains(sa)) {
            return;
        }
        LOG.info("phase 1 {} with {} expired", sa.cookiesHex(), sa.peer);
        info.sendPhase1Delete(sa);
        removePhase1(sa);
    }

    /**
     * Our quick mode over this phase 1 went unanswered: the peer has probably
     * lost it (its last message never reached it, or it rebooted). Without DPD
     * nothing else would notice, so start over with a fresh phase 1.
     */
    void phase1Unresponsive(Phase1Sa sa) {
        if (!phase1s.contains(sa)) {
            return;
        }
        badInput.warn("phase 1 " + sa.cookiesHex() + " with " + sa.peer + ": quick mode unanswered, dropping it");
        removePhase1(sa);
        checkConnections();
    }

    void phase1Failed(Phase1Sa sa, String reason) {
        counters.inc(IkeCounters.PHASE1_FAILED);
        // An acquire is not retried forever: the next packet of the flow asks again
        policy.phase2().stream().filter(c -> c.phase1().equals(sa.policy.name())).forEach(c -> acquired.remove(c.name()));
        if (reason != null) {
            badInput.warn("phase 1 with " + sa.peer + ": " + reason);
        }
        removePhase1(sa);
    }

    void removePhase1(Phase1Sa sa) {
        phase1s.remove(sa);
        stopTimers(sa);
        sa.state = Phase1Sa.State.DEAD;
    }

    private static void stopTimers(Phase1Sa sa) {
        sa.resender.stop();
        sa.softTimer.cancel();
        sa.hardTimer.cancel();
        for (QuickMode qm : sa.quickModes.values()) {
            qm.stop();
        }
    }

    void responderCookieLearned(Phase1Sa sa, long responderCookie) {
        phase1s.responderCookieLearned(sa, responderCookie);
    }

    boolean hasOtherPhase1(Phase1Sa sa) {
        return phase1s.hasOther(sa);
    }

    Phase1Sa newestPhase1(IpAddress peer) {
        return phase1s.newest(peer);
    }

    private boolean phase1Running(Phase1Policy p) {
        return phase1s.initiating(p.peer());
    }

    private void startPhase1(Phase1Policy p) {
        Phase1Sa sa = Phase1Sa.initiate(this, p);
        phase1s.addInitiator(sa);
        LOG.info("phase 1 with {}: {} mode started", sa.peer, p.mode() == ExchangeMode.MAIN ? "main" : "aggressive");
    }

    // ---- connections ----------------------------------------------------------

    /** Starts what active connections lack: a quick mode, or first its phase 1. */
    void checkConnections() {
        if (passive || closed) {
            return;
        }
        for (Phase2Policy c : policy.phase2()) {
            if (c.active() || acquired.contains(c.name())) {
                startConnection(c, null);
            }
        }
        for (ChildSaRecord c : List.copyOf(children)) {
            if (c.rekeyWanted && !c.rekeying) {
                policy.phase2().stream().filter(p -> p.name().equals(c.connection()) && p.active()).findFirst()
                        .ifPresent(p -> startConnection(p, c));
            }
        }
    }

    private void startConnection(Phase2Policy c, ChildSaRecord replaces) {
        if (passive || closed || (replaces == null && hasLiveChild(c.name())) || quickModeRunning(c.name())) {
            return;
        }
        Phase1Policy p1 = policy.phase1(c.phase1()).orElse(null);
        if (p1 == null || p1.peer() == null) {
            return;
        }
        Phase1Sa sa = newestPhase1(p1.peer());
        if (sa != null) {
            long mid = newMessageId(sa);
            if (replaces != null) {
                replaces.rekeying = true;
            }
            sa.quickModes.put(mid, QuickMode.initiate(sa, mid, c, replaces));
        } else if (!phase1Running(p1)) {
            startPhase1(p1);
        }
    }

    boolean hasLiveChild(String connection) {
        return children.stream().anyMatch(c -> c.connection().equals(connection) && !c.retiring
                && sadb.get(c.sa.inbound()) != null && sadb.get(c.sa.outbound()) != null);
    }

    private boolean quickModeRunning(String connection) {
        for (Phase1Sa sa : phase1s.all()) {
            for (QuickMode qm : sa.quickModes.values()) {
                if (qm.state != QuickMode.State.DONE && qm.policy.name().equals(connection)) {
                    return true;
                }
            }
        }
        return false;
    }

    void removeChild(ChildSaRecord c) {
        children.remove(c);
        c.retiring = true;
        installer.remove(c.sa);
    }

    private static boolean covers(IpNet net, IpNet part) {
        return net.family() == part.family() && net.prefix() <= part.prefix() && net.contains(part.address());
    }

    // ---- SADB events ------------------------------------------------------------

    private void sadbEvent(SadbEvent e) {
        if (closed) {
            return;
        }
        switch (e) {
            case SadbEvent.Expired x when !x.hard() -> softExpired(x.id());
            case SadbEvent.Expired x -> gone(x.id());
            case SadbEvent.Deleted d -> gone(d.id());
            case SadbEvent.Acquire a -> acquire(a.flow());
            case SadbEvent.Flushed f -> children.clear();
            default -> { }
        }
    }

    ChildSaRecord childOf(SaId id) {
        for (ChildSaRecord c : children) {
            if (c.sa.inbound().equals(id) || c.sa.outbound().equals(id)) {
                return c;
            }
        }
        return null;
    }

    private void softExpired(SaId id) {
        ChildSaRecord c = childOf(id);
        if (c == null || c.rekeying || c.retiring || passive) {
            return;
        }
        c.rekeyWanted = true;
        policy.phase2().stream().filter(p -> p.name().equals(c.connection()) && p.active()).findFirst()
                .ifPresent(p -> {
                    LOG.info("connection {}: SPI 0x{} soft expired, rekeying", c.connection(), hex(id.spi()));
                    startConnection(p, c);
                });
    }

    private void gone(SaId id) {
        ChildSaRecord c = childOf(id);
        if (c != null) {
            children.remove(c);
            c.retiring = true;
            checkConnections();
        }
    }

    // ---- housekeeping -------------------------------------------------------------

    private void tick() {
        if (closed) {
            return;
        }
        long now = loop.nanoTime();
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (!sa.isEstablished()) {
                if (!sa.initiator && now - sa.lastActivityNanos > UNFINISHED_NANOS) {
                    sa.fail("exchange unfinished after " + UNFINISHED_NANOS / 1_000_000_000L + " s");
                }
                continue;
            }
            sa.quickModes.values().removeIf(qm -> qm.state == QuickMode.State.DONE
                    && now - qm.lastActivityNanos > doneRetention());
            info.deadPeerDetection(sa, now);
        }
        if (++ticks % CHECK_EVERY_TICKS == 0) {
            checkConnections();
        }
        tick = loop.schedule(TICK, this::tick);
    }

    /** How long a finished quick mode is remembered: as long as the peer may still repeat its last message. */
    private long doneRetention() {
        long retransmitting = options.retransmitFirst().toNanos() << Math.min(20, options.retransmitLimit() + 1);
        return Math.max(UNFINISHED_NANOS, retransmitting);
    }

    // ---- for the exchanges ----------------------------------------------------------

    Informational info() {
        return info;
    }

    ChildSaInstaller installer() {
        return installer;
    }

    RandomGenerator random() {
        return random;
    }

    List<ChildSaRecord> children() {
        return children;
    }

    java.util.Collection<Phase1Sa> phase1Sas() {
        return phase1s.all();
    }

    boolean hasPhase1(Phase1Sa sa) {
        return phase1s.contains(sa);
    }

    Phase1Sa phase1(long initiatorCookie, long responderCookie) {
        return phase1s.get(initiatorCookie, responderCookie);
    }

    void count(String counter) {
        counters.inc(counter);
    }

    void warn(String message) {
        badInput.warn(message);
    }

    EventLoop loop() {
        return loop;
    }

    Options options() {
        return options;
    }

    SecureRandom secureRandom() {
        return secureRandom;
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    long newCookie() {
        while (true) {
            long c = random.nextLong();
            if (phase1s.unused(c)) {
                return c;
            }
        }
    }

    void send(Phase1Sa sa, byte[] datagram) {
        counters.inc(IkeCounters.SENT);
        port.send(sa.localAddress, sa.localPort, sa.peer, datagram);
    }

    void countRetransmit() {
        counters.inc(IkeCounters.RETRANSMITS);
    }

    /** Packets received so far on the live inbound SAs negotiated with {@code peer}. */
    long inboundPackets(IpAddress peer) {
        long n = 0;
        for (ChildSaRecord c : children) {
            if (c.peer().equals(peer)) {
                SecurityAssociation in = sadb.get(c.sa.inbound());
                if (in != null) {
                    n += in.packets();
                }
            }
        }
        return n;
    }

    /** Any authenticated message proves the peer alive. */
    void heard(Phase1Sa sa) {
        sa.lastHeardNanos = loop.nanoTime();
        sa.dpdUnanswered = 0;
    }

    void malformed(String message) {
        counters.inc(IkeCounters.MALFORMED);
        badInput.warn(message);
    }

    void unknown(String message) {
        counters.inc(IkeCounters.UNKNOWN_SA);
        badInput.warn(message);
    }

    void unauthenticated(String message) {
        counters.inc(IkeCounters.UNAUTHENTICATED);
        badInput.warn(message);
    }

    void noProposalChosen(Phase1Sa sa, String message) {
        counters.inc(IkeCounters.NO_PROPOSAL_CHOSEN);
        badInput.warn(message);
        if (sa.isEstablished()) {
            counters.inc(IkeCounters.PHASE2_FAILED);
        }
        info.sendNotify(sa, NotifyType.NO_PROPOSAL_CHOSEN);
    }

    static String hex(int spi) {
        return String.format("%08x", spi);
    }
}
