package dev.tandem.ike;

import dev.tandem.ike.negotiation.ChildSaInstaller;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.wire.NotifyType;
import dev.tandem.loop.EventLoop;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SadbEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    private final IkeCounters counters = new IkeCounters();
    private final BadInputLog badInput;
    private final Consumer<SadbEvent> subscriber;
    private final Informational info = new Informational(this);
    private final Phase1Table phase1s = new Phase1Table();
    private final Phase1Lifecycle phase1Lifecycle = new Phase1Lifecycle(this, phase1s);
    private final Connections connections;
    private final Dispatcher dispatcher = new Dispatcher(this, phase1s);
    private final Housekeeping housekeeping = new Housekeeping(this, phase1s);
    private final StateTransfer transfer;
    private final List<Consumer<IkeStateEvent>> stateListeners = new ArrayList<>();

    private IkePolicy policy = IkePolicy.EMPTY;
    private boolean passive;
    private Consumer<Runnable> barrier = Runnable::run;
    /** Nothing is initiated before start(): a cluster node learns whether it is passive in between. */
    private boolean started;
    private boolean closed;

    public IkeDaemon(EventLoop loop, Sadb sadb, IkePort port, RandomGenerator random, Options options) {
        this.loop = loop;
        this.sadb = sadb;
        this.port = port;
        this.random = random;
        this.secureRandom = RandomSecureRandom.of(random);
        this.options = options;
        this.connections = new Connections(this, sadb, new ChildSaInstaller(sadb, options.replayWindow()), phase1s);
        this.transfer = new StateTransfer(this, phase1s, connections);
        this.badInput = new BadInputLog(LOG, loop);
        this.subscriber = e -> loop.execute(() -> connections.sadbEvent(e));
    }

    // ---- public API ---------------------------------------------------------

    /** On the loop. Replaces the policy; active connections without SAs start negotiating; connections that disappeared are torn down (unless passive). */
    public void configure(IkePolicy newPolicy) {
        policy = newPolicy;
        phase1Lifecycle.configure(newPolicy);
        connections.configure(newPolicy);
        if (started) {
            connections.checkConnections();
        }
    }

    /** On the loop. One received ISAKMP message (non-ESP marker already removed) from {@code from}, sent to our {@code localAddress} (nullable if unknown) on {@code localPort} (500 or 4500). Never throws: bad input is counted and logged (rate limited). */
    public void receive(IkeEndpoint from, IpAddress localAddress, int localPort, byte[] message) {
        dispatcher.receive(from, localAddress, localPort, message);
    }

    /** On the loop. A require/acquire flow has no SA: negotiate the connection whose selectors cover it (unless passive). */
    public void acquire(Flow flow) {
        connections.acquire(flow);
    }

    /** On the loop. Passive (carp BACKUP, isakmpd -S): initiate nothing, send no DELETE, remove nothing; still answer the peer. Leaving passive starts active connections at once. */
    public void passive(boolean on) {
        if (passive == on) {
            return;
        }
        passive = on;
        LOG.info("IKE {}", on ? "passive: answering only" : "active: initiating connections");
        if (on) {
            abandonExchanges();
        }
        if (!on && started) {
            phase1Lifecycle.activated();
            connections.checkConnections();
        }
    }

    /**
     * A master that becomes backup stops the exchanges it was running, in
     * silence: the peer's next messages go to the new master, and our
     * retransmissions from the VIP would only confuse it. What the exchanges
     * installed stays (the new master has its copy); what they were to
     * renew is renewed by whoever is master next.
     */
    private void abandonExchanges() {
        int abandoned = 0;
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (!sa.isEstablished()) {
                phase1Lifecycle.remove(sa);
                abandoned++;
                continue;
            }
            for (QuickMode qm : sa.quickModes.values()) {
                if (qm.state != QuickMode.State.DONE) {
                    qm.abandon();
                    abandoned++;
                }
            }
            if (sa.replaced) {
                sa.replaced = false;
                sa.softDue = true;
            }
        }
        if (abandoned > 0) {
            LOG.info("IKE: {} exchanges in progress left to the new master", abandoned);
        }
    }

    public boolean passive() {
        return passive;
    }

    /** On the loop. ipsecctl -d: delete the connection's phase 2 SAs, telling the peer (DELETE) unless passive. Returns whether anything existed. */
    public boolean teardown(String connection) {
        return connections.teardown(connection);
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
                    sa.choice == null ? 0 : Phase1Lifecycle.life(sa), sa.natT, sa.isEstablished() ? sa.remoteId : null));
        }
        List<Phase2Status> p2 = new ArrayList<>();
        for (ChildSaRecord c : connections.children()) {
            p2.add(new Phase2Status(c.connection(), c.phase1Cookies, c.inboundSpi(), c.outboundSpi(), c.transform,
                    c.spec.choice().pfs() != null, (now - c.createdNanos) / 1_000_000_000L,
                    c.spec.choice().lifeSeconds()));
        }
        return new IkeStatus(p1, p2, counters.snapshot(), passive);
    }

    // ---- cluster replication ----------------------------------------------------

    /** On the loop. The established phase 1 SAs and child SAs, for a cluster backup. Contains keys. */
    public IkeState exportState() {
        return transfer.export();
    }

    /**
     * On the loop. A backup's copy of the master's state: {@code state} exactly,
     * nothing else (see {@link #importPhase1} and {@link #importChild}).
     */
    public void importState(IkeState state) {
        transfer.replace(state);
    }

    /**
     * On the loop. Adds or updates a phase 1 SA established on another node:
     * its lifetime runs on from its age there; DPD, rekeys and quick modes
     * work over it as over our own once not passive. Sends nothing. False
     * (and logged) when its policy is not configured here.
     */
    public boolean importPhase1(Phase1State state) {
        return transfer.upsert(state);
    }

    /** On the loop. Forgets a phase 1 SA without telling the peer. */
    public void removePhase1(long initiatorCookie, long responderCookie) {
        transfer.remove(initiatorCookie, responderCookie);
    }

    /**
     * On the loop. Adds or updates a pair of child SAs negotiated on another
     * node. Its SAs must already be in the SADB (they replicate first); the
     * daemon installs nothing. False (and logged) when they are not there.
     */
    public boolean importChild(ChildState state) {
        return transfer.upsert(state);
    }

    /** On the loop. Forgets a pair of child SAs by its inbound SA, leaving the SADB alone. */
    public void removeChild(SaId inbound) {
        transfer.remove(inbound);
    }

    /** On the loop. Keeps only the phase 1 SAs (cookie pairs as {@link Phase1State#cookies()}) and children named. */
    public void retainState(Set<String> phase1Cookies, Set<SaId> childInbounds) {
        transfer.retain(phase1Cookies, childInbounds);
    }

    /**
     * On the loop. Answers that let the peer use new SAs (QM2 as responder,
     * QM3 as initiator) go through {@code barrier}, which runs them once the
     * cluster's backups have those SAs (see Replicator#afterReplicated); by
     * default at once.
     */
    public void answerAfter(Consumer<Runnable> barrier) {
        this.barrier = barrier;
    }

    void afterReplication(Runnable send) {
        barrier.accept(send);
    }

    /**
     * On the loop. {@code listener} hears every change a backup must follow,
     * on the loop, as it happens (events carry keys: never log them whole).
     */
    public void onStateChange(Consumer<IkeStateEvent> listener) {
        stateListeners.add(listener);
    }

    void stateChanged(IkeStateEvent e) {
        for (Consumer<IkeStateEvent> l : stateListeners) {
            l.accept(e);
        }
    }

    /** Subscribes to the SADB (soft expiry -> rekey, Acquire -> acquire on the loop) and starts the connection checker. */
    public void start() {
        started = true;
        sadb.subscribe(subscriber);
        loop.execute(() -> {
            housekeeping.start();
            if (!passive) {
                phase1Lifecycle.activated();
            }
            connections.checkConnections();
        });
    }

    @Override
    public void close() {
        sadb.unsubscribe(subscriber);
        Runnable stop = () -> {
            closed = true;
            housekeeping.stop();
            for (Phase1Sa sa : phase1s.all()) {
                Phase1Lifecycle.stopTimers(sa);
            }
        };
        if (loop.inLoop()) {
            stop.run();
        } else {
            loop.execute(stop);
        }
    }

    // ---- the parts ------------------------------------------------------------

    IkePolicy policy() {
        return policy;
    }

    boolean closed() {
        return closed;
    }

    Phase1Table phase1s() {
        return phase1s;
    }

    Phase1Lifecycle phase1Lifecycle() {
        return phase1Lifecycle;
    }

    Connections connections() {
        return connections;
    }

    // ---- for the exchanges ----------------------------------------------------------

    Informational info() {
        return info;
    }

    RandomGenerator random() {
        return random;
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

    long newMessageId(Phase1Sa sa) {
        while (true) {
            long mid = Integer.toUnsignedLong(random.nextInt());
            if (mid != 0 && !sa.quickModes.containsKey(mid)) {
                return mid;
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
