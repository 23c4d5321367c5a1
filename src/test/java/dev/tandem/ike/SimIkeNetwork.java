package dev.tandem.ike;

import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Sadb;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimWorld;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * IKE daemons on one simulated UDP network: each node has its own loop,
 * SADB and daemon; datagrams arrive after a delay and may be lost or
 * duplicated (deterministic per seed). A node may sit behind a "NAT" that
 * moves its source ports (500 -> 30500, 4500 -> 34500) like a NAT box does,
 * and a node may go silent (nothing to or from it is delivered).
 */
final class SimIkeNetwork {

    static final int NAT_OFFSET = 30000;

    final SimWorld world;
    private final RandomGenerator random;
    final Map<IpAddress, Node> nodes = new LinkedHashMap<>();
    Duration delay = Duration.ofMillis(10);
    double loss;
    double duplication;
    /** Sees (and may replace, or drop by returning null) every datagram in flight. */
    UnaryOperator<byte[]> tap = UnaryOperator.identity();

    final class Node {
        final String name;
        final IpAddress address;
        final SimLoop loop;
        final Sadb sadb;
        final IkeDaemon daemon;
        final IkeDaemon.Options options;
        boolean natted;
        boolean silent;

        Node(String name, IpAddress address, IkeDaemon.Options options) {
            this.name = name;
            this.address = address;
            this.options = options;
            this.loop = world.loop(name);
            this.sadb = new Sadb(world::now);
            this.daemon = new IkeDaemon(loop, sadb, (local, localPort, remote, message) ->
                    deliver(this, localPort, remote, message), world.fork(), options);
            loop.execute(this::tickSadb);
        }

        private void tickSadb() {
            sadb.tick();
            loop.schedule(Duration.ofSeconds(1), this::tickSadb);
        }

        /** Runs something on this node's loop now (the daemon API is loop-only). */
        void run(Runnable r) {
            loop.execute(r);
            world.run(Duration.ZERO);
        }

        IkeStatus status() {
            IkeStatus[] s = new IkeStatus[1];
            run(() -> s[0] = daemon.status());
            return s[0];
        }

        long counter(String name) {
            return status().counters().get(name);
        }
    }

    SimIkeNetwork(long seed) {
        this.world = new SimWorld(seed);
        this.random = world.fork();
    }

    Node node(String name, String address, IkeDaemon.Options options) {
        Node n = new Node(name, IpAddress.parse(address).orElseThrow(), options);
        nodes.put(n.address, n);
        return n;
    }

    Node node(String name, String address) {
        return node(name, address, IkeDaemon.Options.DEFAULT);
    }

    /** The node reboots: its loop dies with every SA and exchange; a fresh one takes its address. */
    Node restart(Node old) {
        old.loop.kill();
        Node n = new Node(old.name, old.address, old.options);
        nodes.put(n.address, n);
        return n;
    }

    private void deliver(Node src, int srcPort, IkeEndpoint remote, byte[] message) {
        Node dst = nodes.get(remote.address());
        if (src.silent || dst == null || dst.silent || random.nextDouble() < loss) {
            return;
        }
        IkeEndpoint from = new IkeEndpoint(src.address, src.natted ? srcPort + NAT_OFFSET : srcPort);
        int dstPort = remote.port();
        if (dst.natted) {
            dstPort -= NAT_OFFSET;
            if (dstPort != IkeEndpoint.IKE_PORT && dstPort != IkeEndpoint.NAT_T_PORT) {
                return;
            }
        } else if (dstPort != IkeEndpoint.IKE_PORT && dstPort != IkeEndpoint.NAT_T_PORT) {
            return;
        }
        int copies = random.nextDouble() < duplication ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            byte[] m = tap.apply(message.clone());
            if (m == null) {
                continue;
            }
            int port = dstPort;
            dst.loop.schedule(delay, () -> dst.daemon.receive(from, dst.address, port, m));
        }
    }

    /** Hands a datagram to a node as if it came from {@code from}. */
    void inject(Node dst, IkeEndpoint from, int localPort, byte[] message) {
        dst.loop.execute(() -> dst.daemon.receive(from, dst.address, localPort, message));
    }
}
