package dev.tandem.sync;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpState;
import dev.tandem.carp.TransitionHooks;
import dev.tandem.carp.VipGate;
import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Sadb;
import dev.tandem.sim.SimAddresses;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimSegment;
import dev.tandem.sim.SimStreams;
import dev.tandem.sim.SimWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Cluster nodes in the simulator, each with an SADB, CARP on a shared
 * segment and a replicator on simulated TCP, for replication tests: start,
 * kill and restart nodes, reach into their SADBs, and read who is master.
 */
final class SimSyncCluster {

    static final String KEY = "0x00112233445566778899aabbccddeeff";
    static final dev.tandem.net.InterfaceAddress VIP =
            new dev.tandem.net.InterfaceAddress(IpAddress.parse("198.51.100.1").orElseThrow(), 24);

    final SimWorld world;
    final SimSegment segment;
    final SimStreams streams;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    /**
     * Gives each node started from now on an IKE daemon, replicated, passive
     * unless its carp0 is MASTER (sasyncd's "control isakmpd", as tandemd
     * wires it); null: no IKE.
     */
    java.util.function.Function<Node, IkeDaemon> ikeFactory;

    final class Node {
        final String name;
        final IpAddress address;
        final String carpOptions;
        String key = KEY;
        SimLoop loop;
        Sadb sadb;
        Carp carp;
        Replicator replicator;
        IkeDaemon ike;

        Node(String name, IpAddress address, String carpOptions) {
            this.name = name;
            this.address = address;
            this.carpOptions = carpOptions;
        }

        void start() {
            loop = world.loop(name);
            sadb = new Sadb(loop::nanoTime);
            String peers = nodes.values().stream().filter(n -> n != this)
                    .map(n -> "peer " + n.address).collect(Collectors.joining("\n"));
            String sync = "interface carp0\nsharedkey " + key + "\n" + peers + "\n";
            String carpLine = "carp0 vhid 1 carpdev wan0 pass p " + carpOptions + " 198.51.100.1/24\n";
            loop.execute(() -> {
                try {
                    carp = Carp.open(CarpConf.parse(Path.of(name, "carp.conf"), carpLine, w -> { }), loop,
                            segment.attach(loop, address), new SimAddresses(), Carp::authFor, TransitionHooks.NONE);
                    SasyncdConf syncConf = SasyncdConf.parse(Path.of(name, "sasyncd.conf"), sync, w -> { });
                    replicator = new Replicator(syncConf, loop, sadb, streams.attach(loop, address), carp, world.fork(),
                            Replicator.Options.DEFAULT);
                    VipGate.install(carp, sadb, loop, List.of(VIP));
                    if (ikeFactory != null) {
                        ike = ikeFactory.apply(this);
                        new IkePassiveMode(syncConf, loop, ike::passive).follow(carp);
                        replicator.replicateIke(ike);
                        ike.start();
                    }
                    replicator.start();
                    carp.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (CarpConf.Invalid | SasyncdConf.Invalid e) {
                    throw new IllegalStateException(e);
                }
            });
            world.run(Duration.ZERO);
        }

        /** Power loss: everything of the node is gone, its SADB too. */
        void kill() {
            loop.kill();
            carp = null;
            replicator = null;
            ike = null;
        }

        boolean alive() {
            return carp != null && loop.alive();
        }

        CarpState state() {
            return alive() ? carp.state("carp0") : null;
        }

        /** Runs {@code action} on the node's loop, now (as a control request would). */
        void run(Runnable action) {
            loop.execute(action);
            world.run(Duration.ZERO);
        }
    }

    SimSyncCluster(long seed) {
        this.world = new SimWorld(seed);
        this.segment = new SimSegment(world, "wan");
        this.streams = new SimStreams(world);
    }

    Node add(String name, int host, String carpOptions) {
        Node n = new Node(name, IpAddress.parse("192.0.2." + host).orElseThrow(), carpOptions);
        nodes.put(name, n);
        return n;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<Node> masters() {
        List<Node> m = new ArrayList<>();
        nodes.values().stream().filter(n -> n.state() == CarpState.MASTER).forEach(m::add);
        return m;
    }

    void run(Duration d) {
        world.run(d);
    }

    boolean runUntil(java.util.function.BooleanSupplier done, Duration max) {
        return world.runUntil(done, max);
    }
}
