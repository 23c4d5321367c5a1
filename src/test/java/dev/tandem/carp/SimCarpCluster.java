package dev.tandem.carp;

import dev.tandem.conf.carp.CarpAuthMode;
import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.carp.CarpInterfaceConf;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import dev.tandem.sim.SimAddresses;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimSegment;
import dev.tandem.sim.SimWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CARP nodes on one simulated segment sharing a VIP, for election tests:
 * start, kill and restart nodes, demote them, cut their links, and read who
 * is master and since when.
 */
final class SimCarpCluster {

    static final InterfaceAddress VIP = new InterfaceAddress(IpAddress.parse("198.51.100.1").orElseThrow(), 24);
    static final String PASS = "s3cret";

    final SimWorld world;
    final SimSegment segment;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    /** Every transition of every node, in order, as "node iface FROM->TO @ms". */
    final List<String> log = new ArrayList<>();
    /** Every hook script run, as "node script STATE". */
    final List<String> hookRuns = new ArrayList<>();

    /** One node: its settings survive a kill, its running parts do not. */
    final class Node {
        final String name;
        final IpAddress address;
        String confLine;
        SimLoop loop;
        SimAddresses addresses;
        Carp carp;
        /** Virtual time the VIP last appeared on this node. */
        long vipSince = -1;

        Node(String name, IpAddress address, String confLine) {
            this.name = name;
            this.address = address;
            this.confLine = confLine;
        }

        void start() {
            loop = world.loop(name);
            addresses = new SimAddresses();
            addresses.listen(c -> {
                if (c.added()) {
                    vipSince = world.now();
                }
            });
            try {
                CarpConf conf = CarpConf.parse(Path.of(name + "/carp.conf"), confLine.endsWith("\n") ? confLine
                        : confLine + "\n", w -> { });
                loop.execute(() -> {
                    try {
                        carp = Carp.open(conf, loop, segment.attach(loop, address), addresses,
                                SimCarpCluster::auth, (script, t) -> hookRuns.add(name + " " + script + " " + t.to()));
                        carp.subscribe(t -> log.add(name + " " + t.iface() + " " + t.from() + "->" + t.to() + " @"
                                + world.elapsed().toMillis()));
                        carp.start();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (CarpConf.Invalid e) {
                throw new IllegalArgumentException(e);
            }
        }

        /** Power loss: the loop stops, addresses and links vanish with it. */
        void kill() {
            loop.kill();
            addresses.clear();
            carp = null;
        }

        /** An orderly stop: bows out and removes the VIP. */
        void stop() {
            Carp c = carp;
            loop.execute(() -> {
                c.close();
                loop.kill();
            });
            carp = null;
        }

        boolean alive() {
            return carp != null && loop.alive();
        }

        CarpState state() {
            return state("carp0");
        }

        CarpState state(String iface) {
            return alive() ? carp.state(iface) : null;
        }

        boolean holds(InterfaceAddress vip) {
            return alive() && addresses.holds(vip);
        }

        void demote(String group, int delta) {
            loop.execute(() -> carp.demote(group, delta));
        }

        boolean holdsVip() {
            return alive() && addresses.holds(VIP);
        }

        CarpVhostStatus status() {
            return carp.status().interfaces().getFirst();
        }

        LinkStats.Snapshot linkStats() {
            return carp.status().devices().getFirst().stats();
        }

        void demote(int delta) {
            loop.execute(() -> carp.demote("carp", delta));
        }
    }

    SimCarpCluster(long seed) {
        this.world = new SimWorld(seed);
        this.segment = new SimSegment(world, "wan");
    }

    static CarpAuth auth(CarpInterfaceConf c) {
        return c.auth() == CarpAuthMode.STRICT
                ? CarpAuth.strict(c.pass(), c.vhid(), SimCarpCluster::fixedWallClock)
                : CarpAuth.openBsd(CarpKey.fromPass(c.pass()));
    }

    /** Strict mode needs a wall clock; any fixed point will do since counters only need to rise. */
    private static long fixedWallClock() {
        return 1_790_000_000_000_000L;
    }

    /** Adds a node with address 192.0.2.{n} and the given carp0 options (vhid, pass and VIP are added). */
    Node add(String name, int n, String options) {
        Node node = new Node(name, IpAddress.parse("192.0.2." + n).orElseThrow(),
                "carp0 vhid 1 carpdev wan0 pass " + PASS + " " + options + " " + VIP);
        nodes.put(name, node);
        return node;
    }

    /** Adds a node with address 192.0.2.{n} and a whole carp.conf of its own. */
    Node addWithConf(String name, int n, String carpConf) {
        Node node = new Node(name, IpAddress.parse("192.0.2." + n).orElseThrow(), carpConf);
        nodes.put(name, node);
        return node;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<Node> masters() {
        return nodes.values().stream().filter(n -> n.state() == CarpState.MASTER).toList();
    }

    /** Runs until exactly one live node is MASTER and the only one holding the VIP. */
    boolean settle(Duration max) {
        return world.runUntil(this::oneMaster, max);
    }

    boolean oneMaster() {
        List<Node> m = masters();
        return m.size() == 1 && m.getFirst().holdsVip()
                && nodes.values().stream().filter(Node::holdsVip).count() == 1;
    }

    void run(Duration d) {
        world.run(d);
    }
}
