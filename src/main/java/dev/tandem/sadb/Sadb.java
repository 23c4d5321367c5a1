package dev.tandem.sadb;

import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The SA and flow database: the one place configuration, IKE and replication
 * write to and the data plane reads from, as the kernel is on OpenBSD.
 *
 * <p>Readers (the data plane) never lock: SAs sit in concurrent maps and the
 * flows in an immutable {@link FlowTable} that changes are copied into.
 * Writers are the node's control-plane thread; every change is announced to
 * the subscribers as a {@link SadbEvent}, synchronously. Events the data plane
 * causes (ACQUIRE, byte and packet lifetimes) arrive on data-plane threads, so
 * subscribers must be thread-safe and quick (hand over to their own loop).
 */
public final class Sadb {

    /** An ACQUIRE for the same flow is repeated at most this often. */
    static final long ACQUIRE_INTERVAL_NANOS = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final List<Consumer<SadbEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Consumer<SadbEvent> publish = this::publish;

    private final Map<SaId, SecurityAssociation> byId = new ConcurrentHashMap<>();
    /** Inbound lookup by SPI: SPIs are chosen by the receiver, unique per node. */
    private final Map<Long, SecurityAssociation> bySpi = new ConcurrentHashMap<>();
    /**
     * Outbound candidates per (peer, protocol), ordered by when they were
     * indexed, oldest first. A skip list, not a copied array: all inbound SAs
     * of a gateway share one destination (the gateway itself), so one group
     * holds half the SADB, and copying it on every add made filling the SADB
     * (a replication snapshot) quadratic.
     */
    private final Map<PeerKey, ConcurrentSkipListMap<Long, SecurityAssociation>> byPeer = new ConcurrentHashMap<>();
    /** Numbers SAs as they are indexed (the key of {@link #byPeer}). */
    private final AtomicLong indexed = new AtomicLong();
    private volatile FlowTable flows = FlowTable.EMPTY;
    private final Map<Flow.Key, Long> lastAcquire = new ConcurrentHashMap<>();

    private record PeerKey(IpAddress peer, SaProtocol protocol) { }

    private final Milestones milestones = new Milestones();
    private final java.util.Set<IpAddress> standby = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Puts a source address on standby (or takes it off): SAs from a CARP VIP
     * this node is not master of must not send, as OpenBSD's carp_output
     * refuses; the data plane drops their packets as {@link DropReason#STANDBY}.
     */
    public void standby(IpAddress source, boolean on) {
        if (on) {
            standby.add(source);
        } else {
            standby.remove(source);
        }
    }

    /** Which SAs must not carry outbound packets now, or null: see {@link #holdOutbound}. */
    private volatile Predicate<SecurityAssociation> outboundHold;

    /**
     * Calls {@code listener} (from data-plane threads: it must only hand off)
     * whenever an SA's outbound sequence number or highest accepted inbound one
     * reaches a multiple of {@code every} (a power of two); replication uses it
     * to send counters every so many packets.
     */
    public void onSequenceMilestones(int every, Consumer<SecurityAssociation> listener) {
        milestones.set(every, listener);
    }

    public Sadb(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Replication's say over the data plane: while a cluster node is not
     * master, the SAs it replicates must not send, because their outbound
     * sequence numbers are the master's, which is using them (and which the
     * counters it reports move this node's copies to). Packets for them are
     * dropped instead. Null lifts the hold. The hold must be set before a
     * new master's counters are applied, and lifted only after this node's
     * counters have moved past what the old master may have used.
     */
    public void holdOutbound(Predicate<SecurityAssociation> hold) {
        outboundHold = hold;
    }

    /**
     * Why {@code sa} may not send now, or null if it may: its source is a VIP on
     * standby ({@link DropReason#STANDBY}), or replication holds it
     * ({@link DropReason#NOT_MASTER}). The data plane asks after taking a
     * sequence number: a number taken from counters that replication moved
     * after setting a hold then always meets the hold.
     */
    public DropReason outboundHold(SecurityAssociation sa) {
        if (!standby.isEmpty() && standby.contains(sa.spec().src())) {
            return DropReason.STANDBY;
        }
        Predicate<SecurityAssociation> h = outboundHold;
        return h != null && h.test(sa) ? DropReason.NOT_MASTER : null;
    }

    public void subscribe(Consumer<SadbEvent> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<SadbEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    private void publish(SadbEvent e) {
        for (Consumer<SadbEvent> s : subscribers) {
            s.accept(e);
        }
        if (e instanceof SadbEvent.Expired x && x.hard()) {
            remove(x.id());
        }
    }

    // ---- SAs ------------------------------------------------------------

    /** Adds an SA; an SA with the same destination, protocol and SPI must not exist. */
    public SecurityAssociation add(SaSpec spec) throws SadbException {
        SecurityAssociation sa = new SecurityAssociation(spec, nanoClock.getAsLong(), publish, milestones);
        if (byId.putIfAbsent(spec.id(), sa) != null) {
            throw new SadbException("SA exists: " + spec.id());
        }
        index(sa);
        publish(new SadbEvent.Added(spec));
        return sa;
    }

    /**
     * Installs an SA copied from another node (replication): added if new,
     * else its definition replaced as by {@link #update}; either way its age is
     * {@code ageNanos}, so lifetimes run from the original establishment, and
     * its counters and sequence numbers move up to the given ones (never back).
     * Publishes Added or Updated like the other writers.
     */
    public SecurityAssociation install(SaSpec spec, long ageNanos, long lastSequence, long replayTop, long packets,
                                       long bytes) {
        long added = nanoClock.getAsLong() - Math.max(0, ageNanos);
        SecurityAssociation old = byId.get(spec.id());
        SecurityAssociation sa = new SecurityAssociation(spec, added, publish, milestones);
        if (old != null) {
            sa.advanceSequence(old.lastSequence());
            sa.restoreReplay(old.replayTop());
            sa.restoreCounters(old.packets(), old.bytes());
        }
        sa.advanceSequence(lastSequence);
        sa.restoreReplay(replayTop);
        sa.restoreCounters(packets, bytes);
        if (old != null && old.spec().equals(spec)) {
            // same definition: only the state moved; no event, nothing for routes or IKE to redo
            old.advanceSequence(lastSequence);
            old.restoreReplay(replayTop);
            old.restoreCounters(packets, bytes);
            return old;
        }
        if (old != null) {
            unindex(old);
            old.kill();
        }
        byId.put(spec.id(), sa);
        index(sa);
        publish(old == null ? new SadbEvent.Added(spec) : new SadbEvent.Updated(spec));
        return sa;
    }

    /** Nanoseconds since the SA was established, on this SADB's clock. */
    public long ageNanos(SecurityAssociation sa) {
        return nanoClock.getAsLong() - sa.addedNanos();
    }

    /**
     * Replaces an SA's definition (new keys or lifetimes after a rekey or a
     * reconcile), keeping its sequence numbers and replay window.
     */
    public SecurityAssociation update(SaSpec spec) throws SadbException {
        SecurityAssociation old = byId.get(spec.id());
        if (old == null) {
            throw new SadbException("no such SA: " + spec.id());
        }
        SecurityAssociation sa = new SecurityAssociation(spec, old.addedNanos(), publish, milestones);
        sa.advanceSequence(old.lastSequence());
        sa.restoreReplay(old.replayTop());
        unindex(old);
        byId.put(spec.id(), sa);
        old.kill();
        index(sa);
        publish(new SadbEvent.Updated(spec));
        return sa;
    }

    /** Removes an SA; false when there was none. */
    public boolean delete(SaId id) {
        if (remove(id) == null) {
            return false;
        }
        publish(new SadbEvent.Deleted(id));
        return true;
    }

    private SecurityAssociation remove(SaId id) {
        SecurityAssociation sa = byId.remove(id);
        if (sa != null) {
            sa.kill();
            unindex(sa);
        }
        return sa;
    }

    private void index(SecurityAssociation sa) {
        SaSpec s = sa.spec();
        bySpi.put(spiKey(s.id().protocol(), s.id().spi()), sa);
        sa.indexOrder = indexed.incrementAndGet();
        byPeer.compute(new PeerKey(s.dst(), s.id().protocol()), (k, group) -> {
            ConcurrentSkipListMap<Long, SecurityAssociation> g = group != null ? group : new ConcurrentSkipListMap<>();
            g.put(sa.indexOrder, sa);
            return g;
        });
    }

    private void unindex(SecurityAssociation sa) {
        SaSpec s = sa.spec();
        bySpi.remove(spiKey(s.id().protocol(), s.id().spi()), sa);
        byPeer.computeIfPresent(new PeerKey(s.dst(), s.id().protocol()), (k, group) -> {
            group.remove(sa.indexOrder, sa);
            return group.isEmpty() ? null : group;
        });
    }

    private static long spiKey(SaProtocol p, int spi) {
        return ((long) p.ordinal() << 32) | Integer.toUnsignedLong(spi);
    }

    public SecurityAssociation get(SaId id) {
        return byId.get(id);
    }

    /** The live SA a received packet with this SPI belongs to, or null. */
    public SecurityAssociation inbound(SaProtocol protocol, int spi) {
        SecurityAssociation sa = bySpi.get(spiKey(protocol, spi));
        return sa != null && sa.alive() ? sa : null;
    }

    /** The SA to send a flow's traffic with: the newest live one towards its peer, or null. */
    public SecurityAssociation outbound(Flow flow) {
        if (flow.peer() == null) {
            return null;
        }
        ConcurrentSkipListMap<Long, SecurityAssociation> g = byPeer.get(new PeerKey(flow.peer(), flow.protocol()));
        if (g == null) {
            return null;
        }
        for (Map.Entry<Long, SecurityAssociation> e = g.lastEntry(); e != null; e = g.lowerEntry(e.getKey())) {
            if (e.getValue().alive()) {
                return e.getValue();
            }
        }
        return null;
    }

    public Collection<SecurityAssociation> sas() {
        return List.copyOf(byId.values());
    }

    /**
     * Every SA in the order {@link #outbound} ranks them, the one it prefers
     * last: another SADB that adds them in this order sends with the same SA
     * (a replication snapshot; after rekeys one peer has several).
     */
    public List<SecurityAssociation> sasOldestFirst() {
        List<SecurityAssociation> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(sa -> sa.indexOrder));
        return all;
    }

    // ---- flows ----------------------------------------------------------

    public void addFlow(Flow f) {
        addFlows(List.of(f));
    }

    /** Adds flows in one step (one table rebuild), each replacing a flow with the same key. */
    public void addFlows(Collection<Flow> fs) {
        flows = flows.with(fs);
        fs.forEach(f -> publish(new SadbEvent.FlowAdded(f)));
    }

    public boolean deleteFlow(Flow.Key key) {
        Flow f = flows.get(key);
        if (f == null) {
            return false;
        }
        flows = flows.without(List.of(key));
        lastAcquire.remove(key);
        publish(new SadbEvent.FlowDeleted(f));
        return true;
    }

    public Flow flow(Flow.Key key) {
        return flows.get(key);
    }

    public List<Flow> flows() {
        return flows.all();
    }

    /** The most specific flow for a packet, or null. */
    public Flow lookup(FlowDirection d, IpAddress src, IpAddress dst, int proto, int sport, int dport) {
        return flows.lookup(d, src, dst, proto, sport, dport);
    }

    /**
     * Asks for keying for a flow without an SA, at most once a second per
     * flow. Data-plane threads call this, so subscribers receive the Acquire
     * event on a data-plane thread and must hand it to their own thread.
     */
    public void acquire(Flow f) {
        long now = nanoClock.getAsLong();
        Long last = lastAcquire.get(f.key());
        if (last != null && now - last < ACQUIRE_INTERVAL_NANOS) {
            return;
        }
        lastAcquire.put(f.key(), now);
        publish(new SadbEvent.Acquire(f));
    }

    /** Removes every SA and flow (ipsecctl -F). */
    public void flush() {
        for (SaId id : List.copyOf(byId.keySet())) {
            remove(id);
        }
        flows = FlowTable.EMPTY;
        lastAcquire.clear();
        publish(new SadbEvent.Flushed());
    }

    /** Fires time lifetimes; the control plane calls this about once a second. */
    public void tick() {
        long now = nanoClock.getAsLong();
        for (SecurityAssociation sa : List.copyOf(byId.values())) {
            sa.checkAge(now);
        }
    }
}
