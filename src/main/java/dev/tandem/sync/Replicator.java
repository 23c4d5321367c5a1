package dev.tandem.sync;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.conf.sasyncd.FlushMode;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.ike.ChildState;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.IkeState;
import dev.tandem.ike.IkeStateEvent;
import dev.tandem.ike.Phase1State;
import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sadb.SecurityAssociation;
import dev.tandem.sync.wire.RunState;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.Side;
import dev.tandem.sync.wire.SyncKey;
import dev.tandem.sync.wire.SyncMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sasyncd's job: the master of the carp interface sends its SAs and flows
 * to every peer, a full snapshot on every connection and role change and
 * every change as it happens; backups apply them, removing what the snapshot
 * does not have (a reconcile, not a flush). Sequence numbers and replay
 * windows travel too (pfsync's job), and a backup that becomes master moves
 * its outbound counters ahead by a measured margin. With an IKE daemon
 * ({@link #replicateIke}) its established phase 1 and child SAs go along,
 * after the SAs, so a new master carries on with the IKE peers. A node that is not
 * master sends nothing on the SAs it replicates ({@link Sadb#holdOutbound}):
 * their counters are the master's. Runs on the node's loop.
 */
public final class Replicator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tandem.sync");
    /** Added to the counter interval when sizing a takeover jump: network and scheduling delays of the last report. */
    static final Duration TAKEOVER_SLACK = Duration.ofSeconds(1);
    /** Longest an IKE answer waits for the backups (see {@link #afterReplicated}). */
    static final Duration ANSWER_WAIT = Duration.ofMillis(500);

    /**
     * Timing of the channel and of counter replication.
     *
     * @param heartbeat       interval of heartbeats on an idle connection
     * @param deadAfter       silence after which a peer is taken for dead
     * @param connectTimeout  limit of one connection attempt
     * @param retryMin        first wait before reconnecting; doubles up to retryMax
     * @param retryMax        longest wait before reconnecting
     * @param counterInterval counters of changed SAs go out at least this often
     * @param counterEvery    and whenever an SA's sequence number crosses a multiple of this (power of two)
     * @param interlock       the start-up demotion is lifted after this at the latest
     */
    public record Options(Duration heartbeat, Duration deadAfter, Duration connectTimeout, Duration retryMin,
                          Duration retryMax, Duration counterInterval, int counterEvery, Duration interlock) {

        public static final Options DEFAULT = new Options(Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMillis(100), 1024,
                Duration.ofSeconds(60));
    }

    private final SasyncdConf conf;
    private final EventLoop loop;
    private final Sadb sadb;
    private final StreamTransport transport;
    private final Carp carp;
    private final RandomGenerator random;
    private final Options options;
    private final SyncKey key;
    private final long nodeId;
    private final Map<IpAddress, Peer> peers = new LinkedHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final SequenceRates rates = new SequenceRates();
    private final SyncStats stats = new SyncStats();
    private final AtomicBoolean countersScheduled = new AtomicBoolean();
    private final Map<SaId, long[]> lastSentCounters = new java.util.HashMap<>();
    /**
     * Flows received in a row, not yet in the SADB: applied together, one
     * flow table rebuild for all of them instead of one per flow (a snapshot
     * carries thousands in a row). Applied before any other message and at
     * the end of every batch received, so nothing else sees them late.
     */
    private final Map<Flow.Key, Flow> pendingFlows = new LinkedHashMap<>();
    private final Consumer<SadbEvent> sadbListener = this::sadbEvent;
    private final Consumer<CarpTransition> carpListener = this::carpTransition;
    private final CompletableFuture<Void> firstSnapshot = new CompletableFuture<>();
    /** The SAs a node that is not master must not send on: all it replicates (see {@link #skip}). */
    private final Predicate<SecurityAssociation> notMasterHold;
    private RunState role = RunState.INIT;
    private long epoch;
    private AutoCloseable listener;
    private boolean interlocked;
    private Timer interlockTimer = Timer.NONE;
    private Timer counterTimer = Timer.NONE;
    private long lastSnapshotId;
    private long lastCountersNanos;
    /**
     * When a peer last said anything (heartbeats come every second): our
     * counters are stale from there on if another node was or became master.
     */
    private long lastContactNanos;
    private boolean closed;
    /** Null in clusters without IKE (manual keying). */
    private IkeDaemon ike;

    /** A configured peer: its connection, if any, and what it told us. */
    private final class Peer {
        final IpAddress address;
        PeerSession session;
        PeerSession pending;
        RunState role = RunState.INIT;
        Duration retry;
        Timer retryTimer = Timer.NONE;
        String lastError = "";
        long connects;
        long upSinceNanos;
        long acked;
        long ackedSnapshot;
        /** When we are master: the last snapshot sent to it; each backup gets its own id. */
        long sentSnapshot;
        boolean roleSeen;
        /** When we are backup: the snapshot being received from it. */
        Reconcile incoming;

        Peer(IpAddress address) {
            this.address = address;
            this.retry = options.retryMin();
        }

        boolean up() {
            return session != null && session.authenticated() && !session.ended();
        }
    }

    public Replicator(SasyncdConf conf, EventLoop loop, Sadb sadb, StreamTransport transport, Carp carp,
                      RandomGenerator random, Options options) {
        this.conf = conf;
        this.loop = loop;
        this.sadb = sadb;
        this.transport = transport;
        this.carp = carp;
        this.random = random;
        this.options = options;
        this.key = new SyncKey(conf.sharedKey().bytes());
        this.nodeId = random.nextLong();
        for (IpAddress a : conf.peers()) {
            peers.put(a, new Peer(a));
        }
        Set<IpAddress> peerAddresses = Set.copyOf(conf.peers());
        // read by data-plane threads: only immutable state
        this.notMasterHold = sa -> !(conf.skipSlave() && (peerAddresses.contains(sa.spec().src())
                || peerAddresses.contains(sa.spec().dst())));
    }

    /**
     * Replicates {@code daemon}'s IKE state too: sent by the master, applied
     * to it by backups. Call before {@link #start()}, on the loop.
     */
    public void replicateIke(IkeDaemon daemon) {
        this.ike = daemon;
        daemon.onStateChange(this::ikeEvent);
        daemon.answerAfter(this::afterReplicated);
    }

    /**
     * Runs {@code action} once every backup has acknowledged what this master
     * sent so far: an IKE answer that lets the peer use new SAs waits for
     * them to be on the backups, so that a master losing power right after
     * it leaves no SA behind that only the peer has. At once when no backup
     * is up; after {@link #ANSWER_WAIT} anyway (a backup that slow is lagging
     * and the peer would retransmit). Dropped if this node stops being
     * master meanwhile: the peer's retransmission goes to the new one.
     */
    public void afterReplicated(Runnable action) {
        Waiter w = new Waiter(action);
        if (role == RunState.MASTER) {
            for (Peer p : peers.values()) {
                if (p.up() && p.role == RunState.BACKUP) {
                    w.targets.put(p, new Target(p.session, p.session.messagesSent()));
                }
            }
        }
        if (w.done()) {
            action.run();
            return;
        }
        waiters.add(w);
        w.timer = loop.schedule(ANSWER_WAIT, () -> {
            if (waiters.remove(w)) {
                stats.answerWaitsTimedOut++;
                LOG.warn("sync: backups did not acknowledge within {} ms; answering the IKE peer anyway",
                        ANSWER_WAIT.toMillis());
                action.run();
            }
        });
    }

    /** What a backup must acknowledge on the connection it had when an answer began to wait. */
    private record Target(PeerSession session, long messages) { }

    /** An IKE answer waiting for the backups' acknowledgement. */
    private static final class Waiter {
        final Runnable action;
        final Map<Peer, Target> targets = new java.util.HashMap<>();
        Timer timer = Timer.NONE;

        Waiter(Runnable action) {
            this.action = action;
        }

        /** Each backup acknowledged up to its target, or the connection it had is gone. */
        boolean done() {
            for (Map.Entry<Peer, Target> e : targets.entrySet()) {
                Peer p = e.getKey();
                if (p.session == e.getValue().session() && p.up() && p.acked < e.getValue().messages()) {
                    return false;
                }
            }
            return true;
        }
    }

    private void releaseWaiters() {
        for (Waiter w : List.copyOf(waiters)) {
            if (w.done()) {
                waiters.remove(w);
                w.timer.cancel();
                w.action.run();
            }
        }
    }

    private void dropWaiters() {
        waiters.forEach(w -> w.timer.cancel());
        waiters.clear();
    }

    /**
     * Starts listening and connecting, follows the carp interface's role, and
     * holds a demotion of the configured group until the first snapshot is in
     * (so this node never takes mastership with an empty SADB). Call on the loop.
     */
    public void start() throws IOException {
        // until this node is master its outbound counters are not its own to use
        sadb.holdOutbound(notMasterHold);
        sadb.subscribe(sadbListener);
        sadb.onSequenceMilestones(options.counterEvery(), this::milestone);
        listener = transport.listen(listenAddress(), conf.port(), this::accepted);
        switch (conf.mode()) {
            case MASTER -> role(RunState.MASTER, "mode master in sasyncd.conf");
            case SLAVE -> role(RunState.BACKUP, "mode slave in sasyncd.conf");
            case CARP -> {
                carp.subscribe(carpListener);
                interlock();
                CarpState s = carp.state(conf.interfaceName());
                role(runState(s), conf.interfaceName() + " is " + s);
            }
        }
        peers.values().forEach(this::connect);
        counterTimer = loop.schedule(options.counterInterval(), this::counterTick);
        LOG.info("sync: listening on port {}, {} peers, role {}", conf.port(), peers.size(), role);
    }

    /** The first numeric "listen on" address; none (every address) otherwise, as OpenBSD's default. */
    private IpAddress listenAddress() {
        for (var l : conf.listen()) {
            var a = IpAddress.parse(l.on());
            if (a.isPresent()) {
                return a.get();
            }
            LOG.warn("sync: listen on {}: interface names are not supported yet, listening on every address", l.on());
        }
        return null;
    }

    private static RunState runState(CarpState s) {
        return switch (s) {
            case MASTER -> RunState.MASTER;
            case BACKUP -> RunState.BACKUP;
            case null, default -> RunState.INIT;
        };
    }

    // ---- start-up interlock -------------------------------------------------

    private void interlock() {
        if (peers.isEmpty()) {
            return;
        }
        interlocked = true;
        carp.demote(conf.group(), 1);
        LOG.info("sync: group {} demoted until the first snapshot is in", conf.group());
        interlockTimer = loop.schedule(options.interlock(), () -> releaseInterlock(
                "no complete snapshot within " + options.interlock().toSeconds() + " s"));
    }

    private void releaseInterlock(String why) {
        if (!interlocked) {
            return;
        }
        interlocked = false;
        interlockTimer.cancel();
        carp.demote(conf.group(), -1);
        LOG.info("sync: demotion of group {} lifted: {}", conf.group(), why);
    }

    // ---- role ---------------------------------------------------------------

    private void carpTransition(CarpTransition t) {
        if (t.iface().equals(conf.interfaceName())) {
            role(runState(t.to()), t.toString());
        }
    }

    private void role(RunState next, String why) {
        if (next == role) {
            return;
        }
        RunState was = role;
        role = next;
        epoch++;
        stats.roleChanges++;
        LOG.warn("sync: {} -> {} ({})", was, next, why);
        if (was == RunState.MASTER) {
            dropWaiters();
        }
        if (next == RunState.MASTER) {
            takeOver();
            // only now, past what the old master may have used
            sadb.holdOutbound(null);
            releaseInterlock("this node is master");
        } else {
            // at once, before the new master's counters (which move ours to its numbers) can arrive
            sadb.holdOutbound(notMasterHold);
        }
        for (Peer p : peers.values()) {
            if (p.up()) {
                p.session.send(new SyncMessage.Role(role, epoch));
                if (role == RunState.MASTER && p.roleSeen && p.role != RunState.MASTER) {
                    sendSnapshot(p);
                }
            }
            if (role != RunState.MASTER) {
                p.sentSnapshot = 0;
            }
            if (next != RunState.BACKUP) {
                p.incoming = null;
            }
        }
    }

    /**
     * A backup becomes master: every SA's outbound counter jumps past what the
     * old master may have used since its last report, so the peer never sees a
     * sequence number twice. Nothing is flushed, nothing is deleted.
     */
    private void takeOver() {
        // what the old master may have sent unseen: since we last heard from the cluster (longer when the sync
        // link was down; changed counters come within an interval while it is up), plus one interval and slack
        long silence = lastContactNanos == 0 ? 0 : loop.nanoTime() - lastContactNanos;
        long exposure = silence + options.counterInterval().toNanos() + TAKEOVER_SLACK.toNanos();
        // cut off from the cluster for longer than a master stays unnoticed: another node may have been master
        // meanwhile and made a jump of its own from counters as old as ours; ours must clear that one too
        // (whose jump grew with its own silence: ours, longer, clears it by a jump for each dead-after interval)
        long deadAfter = options.deadAfter().toNanos();
        long others = silence > deadAfter
                ? SequenceRates.MINIMUM_MARGIN * peers.size() * ((silence + deadAfter - 1) / deadAfter) : 0;
        int jumped = 0;
        for (SecurityAssociation sa : sadb.sas()) {
            long margin = rates.margin(sa.id(), exposure, options.counterEvery()) + others;
            long from = sa.lastSequence();
            long to = from + margin;
            if (!sa.spec().esn() && to > 0xffff_ffffL) {
                LOG.error("sync: SA {} is too close to 2^32 to be used after the takeover (last sequence {}); "
                        + "it must be replaced by a new SA", sa.id(), from);
            }
            sa.advanceSequence(to);
            jumped++;
        }
        stats.takeovers++;
        if (jumped > 0) {
            LOG.info("sync: outbound sequence numbers of {} SAs moved ahead for the takeover", jumped);
        }
    }

    // ---- connections ------------------------------------------------------

    private void connect(Peer p) {
        if (closed || p.up() || p.pending != null) {
            return;
        }
        p.connects++;
        transport.connect(p.address, conf.port(), options.connectTimeout(), new StreamTransport.ConnectHandler() {
            @Override
            public void connected(StreamConnection c) {
                if (closed) {
                    c.close();
                    return;
                }
                open(p, c, Side.INITIATOR);
            }

            @Override
            public void failed(String reason) {
                p.lastError = "connect: " + reason;
                retryLater(p);
            }
        });
    }

    private void retryLater(Peer p) {
        if (closed || p.up()) {
            return;
        }
        p.retryTimer.cancel();
        Duration wait = p.retry;
        p.retry = p.retry.multipliedBy(2).compareTo(options.retryMax()) > 0 ? options.retryMax() : p.retry.multipliedBy(2);
        p.retryTimer = loop.schedule(wait, () -> connect(p));
    }

    private void accepted(StreamConnection c) {
        Peer p = peers.get(c.remote());
        if (p == null || closed) {
            stats.refused++;
            LOG.warn("sync: connection from {} refused: not a peer in sasyncd.conf", c.remote());
            c.close();
            return;
        }
        open(p, c, Side.RESPONDER);
    }

    private void open(Peer p, StreamConnection c, Side side) {
        SecureChannel ch = new SecureChannel(side, key, nodeId,
                role == RunState.MASTER ? dev.tandem.sync.wire.Hello.INTENT_MASTER : 0, random);
        PeerSession s = new PeerSession(loop, c, ch, sessionOwner(p), options.heartbeat(), options.deadAfter());
        if (side == Side.INITIATOR) {
            p.pending = s;
        }
        s.start();
    }

    private PeerSession.Owner sessionOwner(Peer p) {
        return new PeerSession.Owner() {
            @Override
            public void authenticated(PeerSession s) {
                if (p.pending == s) {
                    p.pending = null;
                }
                if (p.up() && p.session != s) {
                    // both ends connected at once: keep the connection opened by the smaller node id
                    boolean mineWins = s.channel().side() == Side.INITIATOR ? nodeId < s.peerNodeId()
                            : s.peerNodeId() < nodeId;
                    if (!mineWins) {
                        s.end("duplicate connection");
                        return;
                    }
                    PeerSession old = p.session;
                    p.session = s;
                    old.end("duplicate connection");
                } else {
                    p.session = s;
                }
                p.retry = options.retryMin();
                p.retryTimer.cancel();
                p.upSinceNanos = loop.nanoTime();
                p.lastError = "";
                p.acked = 0;
                p.role = RunState.INIT;
                p.roleSeen = false;
                LOG.info("sync: peer {} connected ({})", p.address, s.channel().side() == Side.INITIATOR
                        ? "we connected" : "it connected");
                // the snapshot follows the peer's ROLE: a master sends one to each peer that is not master
                s.send(new SyncMessage.Role(role, epoch));
            }

            @Override
            public void received(PeerSession s, List<SecureChannel.Incoming> messages) {
                if (p.session != s) {
                    return;
                }
                lastContactNanos = loop.nanoTime();
                try {
                    for (SecureChannel.Incoming in : messages) {
                        if (!(in.message() instanceof SyncMessage.FlowAdd)) {
                            applyPendingFlows();
                        }
                        handle(p, s, in.message());
                        if (s.ended()) {
                            return;
                        }
                    }
                } finally {
                    applyPendingFlows();
                }
                if (role == RunState.BACKUP && p.role == RunState.MASTER) {
                    s.send(new SyncMessage.Ack(s.messagesReceived(), lastSnapshotId));
                }
            }

            @Override
            public void ended(PeerSession s, String reason) {
                if (p.pending == s) {
                    p.pending = null;
                }
                if (p.session == s) {
                    p.session = null;
                    p.incoming = null;
                    releaseWaiters();
                    p.role = RunState.INIT;
                    p.lastError = reason;
                    stats.disconnects++;
                    LOG.warn("sync: peer {} disconnected: {}", p.address, reason);
                } else if (!"duplicate connection".equals(reason)) {
                    p.lastError = reason;
                    stats.failedHandshakes++;
                    LOG.warn("sync: connection with {} failed: {}", p.address, reason);
                }
                retryLater(p);
            }
        };
    }

    // ---- messages -----------------------------------------------------------

    private void handle(Peer p, PeerSession s, SyncMessage m) {
        switch (m) {
            case SyncMessage.Role r -> {
                RunState old = p.role;
                boolean first = !p.roleSeen;
                p.role = r.state();
                p.roleSeen = true;
                if (r.state() == RunState.MASTER && role == RunState.MASTER) {
                    LOG.warn("sync: peer {} claims MASTER too; its data is ignored until CARP settles", p.address);
                } else if (role == RunState.MASTER && (first || old != r.state())) {
                    // a new or changed backup gets the whole SADB: it reconciles what it has against it
                    sendSnapshot(p);
                    if (old == RunState.MASTER) {
                        // it was master beside us for a moment, and our other backups may have taken its
                        // data: they reconcile against ours again
                        for (Peer q : peers.values()) {
                            if (q != p && q.up() && q.roleSeen && q.role == RunState.BACKUP) {
                                sendSnapshot(q);
                            }
                        }
                    }
                }
            }
            case SyncMessage.Ack a -> {
                p.acked = a.lastSequence();
                p.ackedSnapshot = a.lastSnapshotId();
                releaseWaiters();
            }
            case SyncMessage.Heartbeat h -> { }
            case SyncMessage.Bye b -> s.end("peer closed: " + b.reason());
            case SyncMessage.Auth a -> s.end("unexpected AUTH after the handshake");
            default -> {
                if (role == RunState.MASTER || p.role != RunState.MASTER) {
                    stats.ignored++;
                    return;
                }
                apply(p, m);
            }
        }
    }

    private void apply(Peer p, SyncMessage m) {
        switch (m) {
            case SyncMessage.SnapshotBegin b -> p.incoming = new Reconcile(b.snapshotId());
            case SyncMessage.SaUpsert u -> {
                sadb.install(u.spec(), u.ageMillis() * 1_000_000, u.outboundSequence(), u.replayTop(), u.packets(),
                        u.bytes());
                rates.seed(u.spec().id(), u.outboundSequence(), u.ageMillis() * 1_000_000, loop.nanoTime());
                rates.observe(u.spec().id(), u.outboundSequence(), loop.nanoTime());
                stats.sasApplied++;
                if (p.incoming != null) {
                    p.incoming.sas.add(u.spec().id());
                }
            }
            case SyncMessage.SaDelete d -> {
                sadb.delete(d.id());
                rates.forget(d.id());
                stats.deletesApplied++;
            }
            case SyncMessage.FlowAdd f -> {
                pendingFlows.put(f.flow().key(), f.flow());
                stats.flowsApplied++;
                if (p.incoming != null) {
                    p.incoming.flows.add(f.flow().key());
                }
            }
            case SyncMessage.FlowDelete f -> {
                sadb.deleteFlow(f.key());
                stats.deletesApplied++;
            }
            case SyncMessage.Counters c -> {
                long now = loop.nanoTime();
                for (SyncMessage.Counters.Entry e : c.entries()) {
                    SecurityAssociation sa = sadb.get(e.id());
                    if (sa != null) {
                        sa.advanceSequence(e.outboundSequence());
                        sa.restoreReplay(e.replayTop());
                        rates.observe(e.id(), e.outboundSequence(), now);
                    }
                }
                stats.counterUpdates++;
            }
            case SyncMessage.SnapshotEnd e -> finishSnapshot(p, e.snapshotId());
            case SyncMessage.IkePhase1Upsert u when ike != null -> {
                if (ike.importPhase1(u.state()) && p.incoming != null) {
                    p.incoming.phase1s.add(u.state().cookies());
                }
            }
            case SyncMessage.IkePhase1Delete d when ike != null ->
                    ike.removePhase1(d.initiatorCookie(), d.responderCookie());
            case SyncMessage.IkeChildUpsert u when ike != null -> {
                if (ike.importChild(u.state()) && p.incoming != null) {
                    p.incoming.children.add(u.state().inbound());
                }
            }
            case SyncMessage.IkeChildDelete d when ike != null -> ike.removeChild(d.inbound());
            default -> stats.ignored++;
        }
    }

    /** Adds the pending flows that differ from what the SADB has, in one step. */
    private void applyPendingFlows() {
        if (pendingFlows.isEmpty()) {
            return;
        }
        List<Flow> changed = new ArrayList<>(pendingFlows.size());
        for (Flow f : pendingFlows.values()) {
            if (!f.equals(sadb.flow(f.key()))) {
                changed.add(f);
            }
        }
        pendingFlows.clear();
        if (!changed.isEmpty()) {
            sadb.addFlows(changed);
        }
    }

    /** The SAs and flows of one incoming snapshot, to remove what it did not contain. */
    private static final class Reconcile {
        final long id;
        final Set<SaId> sas = new HashSet<>();
        final Set<Flow.Key> flows = new HashSet<>();
        final Set<String> phase1s = new HashSet<>();
        final Set<SaId> children = new HashSet<>();

        Reconcile(long id) {
            this.id = id;
        }
    }

    private void finishSnapshot(Peer p, long id) {
        Reconcile r = p.incoming;
        p.incoming = null;
        if (r == null || r.id != id) {
            LOG.warn("sync: snapshot {} from {} ended without its beginning; nothing removed", id, p.address);
            return;
        }
        int staleSas = 0;
        for (SecurityAssociation sa : sadb.sas()) {
            if (!r.sas.contains(sa.id())) {
                sadb.delete(sa.id());
                staleSas++;
            }
        }
        int staleFlows = 0;
        for (Flow f : sadb.flows()) {
            if (!r.flows.contains(f.key())) {
                sadb.deleteFlow(f.key());
                staleFlows++;
            }
        }
        if (ike != null) {
            ike.retainState(r.phase1s, r.children);
        }
        lastSnapshotId = id;
        stats.snapshotsReceived++;
        LOG.info("sync: snapshot from {} applied: {} SAs, {} flows; {} stale SAs and {} stale flows removed",
                p.address, r.sas.size(), r.flows.size(), staleSas, staleFlows);
        releaseInterlock("snapshot from " + p.address + " applied");
        firstSnapshot.complete(null);
    }

    // ---- master side ------------------------------------------------------

    private void sendSnapshot(Peer p) {
        long id = ++lastSnapshotId;
        p.sentSnapshot = id;
        // oldest first, so the backup indexes them as this node did and sends with the same SA
        Collection<SecurityAssociation> sas = sadb.sasOldestFirst();
        List<Flow> flows = sadb.flows();
        PeerSession s = p.session;
        // the whole snapshot goes out in this one step: written in large pieces, not frame by frame
        s.cork();
        try {
            if (!s.send(new SyncMessage.SnapshotBegin(id, sas.size(), flows.size()))) {
                return;
            }
            for (SecurityAssociation sa : sas) {
                if (skip(sa.spec().src(), sa.spec().dst()) || !s.send(upsert(sa))) {
                    continue;
                }
            }
            for (Flow f : flows) {
                if (!s.send(new SyncMessage.FlowAdd(f))) {
                    return;
                }
            }
            if (ike != null && !sendIkeState(s)) {
                return;
            }
            if (!s.send(new SyncMessage.SnapshotEnd(id))) {
                return;
            }
        } finally {
            s.uncork();
        }
        if (s.ended()) {
            return;
        }
        stats.snapshotsSent++;
        LOG.info("sync: snapshot {} sent to {}: {} SAs, {} flows", id, p.address, sas.size(), flows.size());
    }

    /** After the SAs: a backup takes a child only when its SAs are in. */
    private boolean sendIkeState(PeerSession s) {
        IkeState state = ike.exportState();
        for (Phase1State p1 : state.phase1s()) {
            if (!s.send(new SyncMessage.IkePhase1Upsert(p1))) {
                return false;
            }
        }
        for (ChildState c : state.children()) {
            if (!s.send(new SyncMessage.IkeChildUpsert(c))) {
                return false;
            }
        }
        return true;
    }

    private void ikeEvent(IkeStateEvent e) {
        if (closed || role != RunState.MASTER) {
            return;
        }
        broadcast(switch (e) {
            case IkeStateEvent.Phase1Upserted u -> new SyncMessage.IkePhase1Upsert(u.state());
            case IkeStateEvent.Phase1Removed r -> new SyncMessage.IkePhase1Delete(r.initiatorCookie(),
                    r.responderCookie());
            case IkeStateEvent.ChildUpserted u -> new SyncMessage.IkeChildUpsert(u.state());
            case IkeStateEvent.ChildRemoved r -> new SyncMessage.IkeChildDelete(r.inbound());
        });
    }

    private SyncMessage.SaUpsert upsert(SecurityAssociation sa) {
        return new SyncMessage.SaUpsert(sa.spec(), sa.lastSequence(), sa.replayTop(), sa.packets(), sa.bytes(),
                sadb.ageNanos(sa) / 1_000_000);
    }

    /** mode skipslave: SAs between the nodes themselves (protecting the sync link) stay local. */
    private boolean skip(IpAddress src, IpAddress dst) {
        return conf.skipSlave() && peers.values().stream().anyMatch(p -> p.up()
                && (p.address.equals(src) || p.address.equals(dst)));
    }

    private void sadbEvent(SadbEvent e) {
        // whatever the role: state kept per SA goes with the SA
        switch (e) {
            case SadbEvent.Deleted d -> forget(d.id());
            case SadbEvent.Expired x when x.hard() -> forget(x.id());
            case SadbEvent.Flushed f -> {
                lastSentCounters.clear();
                rates.clear();
            }
            default -> { }
        }
        if (role != RunState.MASTER) {
            return;
        }
        SyncMessage m = switch (e) {
            case SadbEvent.Added a -> {
                SecurityAssociation sa = sadb.get(a.sa().id());
                yield sa == null || skip(a.sa().src(), a.sa().dst()) ? null : upsert(sa);
            }
            case SadbEvent.Updated u -> {
                SecurityAssociation sa = sadb.get(u.sa().id());
                yield sa == null || skip(u.sa().src(), u.sa().dst()) ? null : upsert(sa);
            }
            case SadbEvent.Deleted d -> new SyncMessage.SaDelete(d.id());
            case SadbEvent.Expired x -> x.hard() ? new SyncMessage.SaDelete(x.id()) : null;
            case SadbEvent.FlowAdded f -> new SyncMessage.FlowAdd(f.flow());
            case SadbEvent.FlowDeleted f -> new SyncMessage.FlowDelete(f.flow().key());
            case SadbEvent.Flushed f -> flushed();
            default -> null;
        };
        if (m != null) {
            broadcast(m);
        }
    }

    /** flushmode sync and startup forward a flush (OpenBSD's default too); never keeps the backups' copies. */
    private SyncMessage flushed() {
        if (conf.flushMode() == FlushMode.NEVER) {
            return null;
        }
        // a flush is an empty snapshot: the reconcile on each backup removes everything
        for (Peer p : peers.values()) {
            if (p.up() && p.role != RunState.MASTER) {
                sendSnapshot(p);
            }
        }
        return null;
    }

    private void forget(SaId id) {
        lastSentCounters.remove(id);
        rates.forget(id);
    }

    private void broadcast(SyncMessage m) {
        for (Peer p : peers.values()) {
            if (p.up()) {
                p.session.send(m);
            }
        }
        stats.forwarded++;
    }

    /** From a data-plane thread: an SA crossed a multiple of the counter interval. */
    private void milestone(SecurityAssociation sa) {
        if (countersScheduled.compareAndSet(false, true)) {
            loop.execute(() -> {
                countersScheduled.set(false);
                sendCounters();
            });
        }
    }

    private void counterTick() {
        if (closed) {
            return;
        }
        sendCounters();
        counterTimer = loop.schedule(options.counterInterval(), this::counterTick);
    }

    private void sendCounters() {
        if (role != RunState.MASTER) {
            return;
        }
        long now = loop.nanoTime();
        boolean anyUp = peers.values().stream().anyMatch(Peer::up);
        List<SyncMessage.Counters.Entry> batch = new ArrayList<>();
        for (SecurityAssociation sa : sadb.sas()) {
            long out = sa.lastSequence();
            // our own pace too: should we take over again after a time cut off, it sizes our jump
            rates.observe(sa.id(), out, now);
            if (!anyUp) {
                continue;
            }
            long top = sa.replayTop();
            long[] last = lastSentCounters.get(sa.id());
            if (last != null && last[0] == out && last[1] == top) {
                continue;
            }
            lastSentCounters.put(sa.id(), new long[] {out, top});
            batch.add(new SyncMessage.Counters.Entry(sa.id(), out, top));
            if (batch.size() == SyncMessage.Counters.MAX_ENTRIES) {
                broadcast(new SyncMessage.Counters(List.copyOf(batch)));
                batch.clear();
            }
        }
        if (!anyUp) {
            return;
        }
        if (!batch.isEmpty()) {
            broadcast(new SyncMessage.Counters(List.copyOf(batch)));
        }
        lastCountersNanos = loop.nanoTime();
    }

    // ---- status and shutdown -------------------------------------------------

    public RunState role() {
        return role;
    }

    public boolean interlocked() {
        return interlocked;
    }

    /**
     * Completes once the first snapshot from a master has been applied (what
     * lifts the start-up interlock), on the loop, inside the step that applied
     * it; never if none arrives. For benchmarks and tests, which wait for it
     * rather than poll {@link #status()}. Actions attached to it must be quick.
     */
    public CompletionStage<Void> firstSnapshotApplied() {
        return firstSnapshot.minimalCompletionStage();
    }

    public SyncStatus status() {
        long now = loop.nanoTime();
        List<SyncStatus.PeerStatus> ps = new ArrayList<>();
        for (Peer p : peers.values()) {
            PeerSession s = p.session;
            boolean up = p.up();
            ps.add(new SyncStatus.PeerStatus(p.address, up ? "up" : p.pending != null ? "connecting" : "down",
                    up ? p.role.name() : null, up ? (now - p.upSinceNanos) / 1_000_000 : 0,
                    up ? s.messagesSent() : 0, up ? s.messagesReceived() : 0, up ? s.bytesOut() : 0,
                    up ? s.bytesIn() : 0, up && role == RunState.MASTER ? Math.max(0, s.messagesSent() - p.acked) : 0,
                    p.ackedSnapshot, p.sentSnapshot, p.connects, p.lastError));
        }
        return new SyncStatus(role.name(), epoch, interlocked, conf.interfaceName(), conf.group(), conf.port(),
                lastSnapshotId, lastCountersNanos == 0 ? -1 : (now - lastCountersNanos) / 1_000_000, ps,
                stats.snapshot());
    }

    /**
     * Stops: says goodbye to every peer, removes nothing from the SADB, lifts
     * its own demotion. A hold on outbound ESP stays: a stopping backup does
     * not start sending.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        counterTimer.cancel();
        dropWaiters();
        sadb.unsubscribe(sadbListener);
        if (carp != null) {
            carp.unsubscribe(carpListener);
        }
        releaseInterlock("stopping");
        for (Peer p : peers.values()) {
            p.retryTimer.cancel();
            if (p.session != null) {
                p.session.end("shutting down");
            }
            if (p.pending != null) {
                p.pending.end("shutting down");
            }
        }
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (Exception e) {
            LOG.warn("sync: closing the listener: {}", e.toString());
        }
    }
}
