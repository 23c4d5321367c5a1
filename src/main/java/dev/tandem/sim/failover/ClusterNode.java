package dev.tandem.sim.failover;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpState;
import dev.tandem.carp.TransitionHooks;
import dev.tandem.carp.VipGate;
import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.IkeStatus;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Sadb;
import dev.tandem.sim.SimAddresses;
import dev.tandem.sim.SimLoop;
import dev.tandem.sync.HandOver;
import dev.tandem.sync.IkePassiveMode;
import dev.tandem.sync.Replicator;
import dev.tandem.sync.SyncStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One cluster node in the simulation, put together as tandemd puts a node
 * together: SADB, data plane, IKE daemon (passive unless carp0 is MASTER, as
 * sasyncd's "control isakmpd" makes it), CARP with the VIP gate, and the
 * replicator, all on one event loop. It can be started, killed (power
 * loss: nothing of it survives), shut down gracefully and demoted.
 */
public final class ClusterNode {

    private final FailoverWorld world;
    private final String name;
    private final IpAddress address;
    private final String carpConf;
    private final String sasyncdConf;
    private SimLoop loop;
    private Sadb sadb;
    private Carp carp;
    private Replicator replicator;
    private IkeDaemon ike;
    private SimDataPlane data;
    private SimAddresses addresses;
    private SasyncdConf sync;
    private int boots;

    ClusterNode(FailoverWorld world, String name, IpAddress address, String carpConf, String sasyncdConf) {
        this.world = world;
        this.name = name;
        this.address = address;
        this.carpConf = carpConf;
        this.sasyncdConf = sasyncdConf;
    }

    public String name() {
        return name;
    }

    public IpAddress address() {
        return address;
    }

    /** Boots the node: a fresh loop and SADB, everything configured from the node's files. */
    public void start() {
        boots++;
        loop = world.sim().loop(name + (boots > 1 ? "#" + boots : ""));
        sadb = new Sadb(loop::nanoTime);
        data = new SimDataPlane(sadb, world.wan(), world::deliverToClusterHost);
        addresses = new SimAddresses();
        addresses.listen(c -> {
            if (c.vip().equals(FailoverWorld.VIP)) {
                if (c.added()) {
                    world.claimed(this);
                } else {
                    world.released(this);
                }
            }
        });
        world.wan().attach(address, loop, p -> data.fromWan(p, ike));
        SimLoop l = loop;
        loop.execute(() -> {
            try {
                ike = new IkeDaemon(l, sadb, world.wan().ikePort(address), world.sim().fork(),
                        IkeDaemon.Options.DEFAULT);
                ike.configure(world.clusterPolicy());
                sync = SasyncdConf.parse(Path.of(name, "sasyncd.conf"), sasyncdConf, w -> { });
                carp = Carp.open(CarpConf.parse(Path.of(name, "carp.conf"), carpConf, w -> { }), l,
                        world.segment().attach(l, address), addresses, Carp::authFor, TransitionHooks.NONE);
                carp.subscribe(t -> world.event(name + ": " + t));
                VipGate.install(carp, sadb, l, List.of(FailoverWorld.VIP));
                replicator = new Replicator(sync, l, sadb, world.streams().attach(l, address), carp,
                        world.sim().fork(), Replicator.Options.DEFAULT);
                replicator.replicateIke(ike);
                replicator.start();
                new IkePassiveMode(sync, l, ike::passive).follow(carp);
                ike.start();
                carp.start();
                tick();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (CarpConf.Invalid | SasyncdConf.Invalid e) {
                throw new IllegalStateException(name + ": " + e.getMessage(), e);
            }
        });
        world.sim().run(Duration.ZERO);
    }

    private void tick() {
        sadb.tick();
        loop.schedule(Duration.ofSeconds(1), this::tick);
    }

    /** Power loss: the loop stops, and the SADB, the IKE state and the addresses are gone with it. */
    public void kill() {
        if (alive()) {
            loop.kill();
            world.streams().powerLoss(address);
        }
        carp = null;
        replicator = null;
        ike = null;
    }

    /**
     * SIGTERM, as tandemd handles it: a master with a synced backup hands
     * over first ({@link HandOver}), then replication and IKE stop without a
     * word to the peer, CARP bows out if still master, and the process is
     * gone.
     *
     * @return how the hand-over went
     */
    public String shutdown() {
        CompletableFuture<String> handedOver = new CompletableFuture<>();
        run(() -> HandOver.begin(loop, sync, carp, replicator, HandOver.LIMIT).thenAccept(handedOver::complete));
        world.sim().runUntil(handedOver::isDone, HandOver.LIMIT.plusSeconds(1));
        String how = handedOver.getNow("still handing over");
        world.event(name + ": SIGTERM: " + how);
        run(() -> {
            replicator.close();
            ike.close();
            carp.close();
        });
        kill();
        return how;
    }

    /** {@code tandem carp demote delta}: adds to the carp group's demotion counter. */
    public void demote(int delta) {
        run(() -> carp.demote("carp", delta));
    }

    public boolean alive() {
        return loop != null && loop.alive() && carp != null;
    }

    /** carp0's state, or null while down. */
    public CarpState state() {
        return alive() ? carp.state("carp0") : null;
    }

    /** Whether the node has applied a snapshot since it started, when it has a peer to take one from. */
    public boolean synced() {
        return alive() && !replicator.interlocked();
    }

    /** Whether the VIP is on the node's interface. */
    boolean holdsVip() {
        return alive() && addresses.holds(FailoverWorld.VIP);
    }

    public Sadb sadb() {
        return sadb;
    }

    public IkeStatus ikeStatus() {
        IkeStatus[] s = new IkeStatus[1];
        run(() -> s[0] = ike.status());
        return s[0];
    }

    /** Replication now; the world runs one event at a time, so this may be asked from any event. */
    public SyncStatus syncStatus() {
        return replicator.status();
    }

    /**
     * As master: whether {@code backup} has everything this node has, or
     * will (what is in flight on the sync link arrives): its connection is
     * up and it acknowledged the last snapshot.
     */
    public boolean replicatesTo(ClusterNode backup) {
        if (!alive() || !backup.alive() || !backup.synced()) {
            return false;
        }
        SyncStatus s = syncStatus();
        return s.peers().stream().anyMatch(p -> p.address().equals(backup.address()) && p.synced());
    }

    /** Runs {@code action} on the node's loop, now, as a control request would. */
    public void run(Runnable action) {
        loop.execute(action);
        world.sim().run(Duration.ZERO);
    }

    /** Hands a cleartext packet from the cluster's LAN to this node's data plane, on its loop. */
    void fromLan(byte[] packet) {
        loop.execute(() -> data.fromLan(packet));
    }
}
