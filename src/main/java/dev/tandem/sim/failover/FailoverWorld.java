package dev.tandem.sim.failover;

import dev.tandem.carp.CarpState;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.net.InterfaceAddress;
import dev.tandem.net.IpAddress;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimSegment;
import dev.tandem.sim.SimStreams;
import dev.tandem.sim.SimWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A Tandem cluster (two nodes by default), the remote peer gateway and a host behind
 * each, in one simulated world: the set-up of the failover demo and of the
 * failover scenarios. Configuration is the admin's: an ike rule in
 * ipsec.conf, sasyncd.conf and carp.conf per node. Deterministic from the
 * seed.
 *
 * <p>Addresses are the lab's: the nodes 192.0.2.11, .12, ... share the VIP
 * 192.0.2.100 on carp0 and each replicates to all others; the peer is 192.0.2.3.
 * The cluster's LAN side follows carp0 (in a real cluster carp1 on the LAN
 * moves with carp0 in one carp group): the host behind the cluster sends
 * to whichever node last claimed the VIP.
 */
public final class FailoverWorld {

    public static final InterfaceAddress VIP = new InterfaceAddress(ip("192.0.2.100"), 24);
    public static final IpAddress PEER = ip("192.0.2.3");
    public static final IpAddress CLUSTER_HOST = ip("10.1.0.10");
    public static final IpAddress PEER_HOST = ip("10.2.0.10");
    static final int IKE_PORT = 500;
    private static final Duration LAN_DELAY = Duration.ofMillis(1);

    /**
     * @param wanLoss           chance that a datagram between peer and cluster is lost
     * @param segmentLoss       chance that a CARP advertisement is lost
     * @param packetsPerSecond  rate of each sequenced flow
     * @param quickLifetime     phase 2 lifetime in seconds ("quick lifetime" of the ike rules)
     * @param advskew           one node per entry, its advskew (advbase 0): n0 preempts, the others do not
     * @param clusterInitiates  the cluster's ike rule is active (it negotiates and rekeys too), not passive
     */
    public record Options(double wanLoss, double segmentLoss, int packetsPerSecond, int quickLifetime,
                          int[] advskew, boolean clusterInitiates) {
        public static final Options DEFAULT = new Options(0, 0, 1000, 1200, new int[] {20, 40}, false);
    }

    private final SimWorld sim;
    private final Options options;
    private final Consumer<String> timeline;
    private final SimSegment segment;
    private final SimStreams streams;
    private final SimWan wan;
    private final IkePolicy clusterPolicy;
    private final IkePolicy peerPolicy;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private final SimLoop clusterHost;
    private final SimLoop peerHost;
    private final SequencedFlow up;
    private final SequencedFlow down;
    private ClusterNode lanOwner;
    private PeerGateway peer;

    /** @param timeline receives what happens (CARP transitions, the scenario's steps), time-stamped */
    public FailoverWorld(long seed, Options options, Consumer<String> timeline) {
        this.sim = new SimWorld(seed);
        this.options = options;
        this.timeline = timeline;
        this.segment = new SimSegment(sim, "wan").loss(options.segmentLoss())
                .delay(Duration.ofMillis(1), Duration.ofMillis(2));
        this.streams = new SimStreams(sim);
        this.wan = new SimWan(sim).loss(options.wanLoss()).delay(Duration.ofMillis(10), Duration.ofMillis(15));
        this.clusterPolicy = IkeRuleText.policy("cluster/ipsec.conf", clusterIpsecConf(options));
        this.peerPolicy = IkeRuleText.policy("peer/ipsec.conf", peerIpsecConf(options));
        List<IpAddress> addresses = IntStream.range(0, options.advskew().length).mapToObj(FailoverWorld::nodeAddress)
                .toList();
        for (int i = 0; i < addresses.size(); i++) {
            IpAddress own = addresses.get(i);
            String name = "n" + i;
            nodes.put(name, new ClusterNode(this, name, own, carpConf(options.advskew()[i], i == 0),
                    sasyncdConf(addresses.stream().filter(a -> !a.equals(own)).toList())));
        }
        this.clusterHost = sim.loop("host-c");
        this.peerHost = sim.loop("host-p");
        this.up = new SequencedFlow("cluster->peer", clusterHost, CLUSTER_HOST, PEER_HOST, 40001,
                options.packetsPerSecond(), this::fromClusterHost);
        this.down = new SequencedFlow("peer->cluster", peerHost, PEER_HOST, CLUSTER_HOST, 40002,
                options.packetsPerSecond(), p -> peer.fromLan(p));
    }

    // ---- the administrator's files ------------------------------------------

    static final String PSK = "tandem demo psk";

    /** The same file on both nodes: one ike rule towards the peer. */
    public static String clusterIpsecConf(Options o) {
        return "ike " + (o.clusterInitiates() ? "" : "passive ") + "esp from 10.1.0.0/24 to 10.2.0.0/24 local 192.0.2.100 peer 192.0.2.3 quick lifetime "
                + o.quickLifetime() + " psk \"" + PSK + "\"\n";
    }

    public static String peerIpsecConf(Options o) {
        return "ike esp from 10.2.0.0/24 to 10.1.0.0/24 local 192.0.2.3 peer 192.0.2.100 quick lifetime "
                + o.quickLifetime() + " psk \"" + PSK + "\"\n";
    }

    public static String carpConf(int advskew, boolean preempt) {
        return "carp0 vhid 1 carpdev wan0 pass s3cret advbase 0 advskew " + advskew + (preempt ? " preempt" : "")
                + " " + VIP + "\n";
    }

    /** Every node replicates to every other: whichever takes over has the master's state. */
    public static String sasyncdConf(List<IpAddress> otherNodes) {
        StringBuilder conf = new StringBuilder("interface carp0\n");
        otherNodes.forEach(o -> conf.append("peer ").append(o).append('\n'));
        return conf.append("sharedkey 0x00112233445566778899aabbccddeeff\n").toString();
    }

    /** Node i's own address: 192.0.2.11, .12, ... */
    static IpAddress nodeAddress(int i) {
        return ip("192.0.2." + (11 + i));
    }

    // ---- running it -----------------------------------------------------------

    /**
     * Boots the cluster, waits for one master and a synced backup, then
     * the peer, which negotiates with the VIP, then the flows both ways.
     *
     * @return false if any of it did not happen within a minute
     */
    public boolean boot() {
        nodes.values().forEach(ClusterNode::start);
        // booted together, the nodes may swap mastership once while the start-up interlock resolves
        if (!sim.runUntil(() -> masters().size() == 1 && nodes.values().stream().allMatch(ClusterNode::synced),
                Duration.ofMinutes(1))) {
            return false;
        }
        sim.run(Duration.ofSeconds(2));
        if (masters().size() != 1) {
            return false;
        }
        peer = new PeerGateway(this, PEER, peerPolicy);
        if (!sim.runUntil(this::tunnelUp, Duration.ofMinutes(1))) {
            return false;
        }
        up.start();
        down.start();
        long start = sim.now();
        if (!sim.runUntil(() -> up.deliveredSince(start) && down.deliveredSince(start), Duration.ofMinutes(1))) {
            return false;
        }
        // both ends are active: each may have started a negotiation of its own, let them finish
        sim.run(Duration.ofSeconds(5));
        return true;
    }

    /** The peer and the master have a pair of SAs each, and the backups know the master's. */
    public boolean tunnelUp() {
        List<ClusterNode> m = masters();
        return peer != null && peer.sadb().sas().size() >= 2 && m.size() == 1 && m.getFirst().sadb().sas().size() >= 2;
    }

    public SimWorld sim() {
        return sim;
    }

    public Options options() {
        return options;
    }

    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public List<ClusterNode> masters() {
        List<ClusterNode> m = new ArrayList<>();
        for (ClusterNode n : nodes.values()) {
            if (n.state() == CarpState.MASTER) {
                m.add(n);
            }
        }
        return m;
    }

    public PeerGateway peer() {
        return peer;
    }

    /** Datagrams from the host behind the cluster to the host behind the peer. */
    public SequencedFlow up() {
        return up;
    }

    /** Datagrams from the host behind the peer to the host behind the cluster. */
    public SequencedFlow down() {
        return down;
    }

    /** Packets the peer dropped for want of an SA (not counted on any SA). */
    public long peerNoSaDrops() {
        return peer.dataPlane().counters().drops(dev.tandem.sadb.DropReason.NO_SA);
    }

    public SimWan wan() {
        return wan;
    }

    SimSegment segment() {
        return segment;
    }

    public SimStreams streams() {
        return streams;
    }

    IkePolicy clusterPolicy() {
        return clusterPolicy;
    }

    /** Writes a line to the timeline, stamped with the world's time. */
    public void event(String what) {
        eventAt(sim.now(), what);
    }

    /** Writes a line to the timeline for something that happened at {@code nanos} (the world's clock). */
    public void eventAt(long nanos, String what) {
        double seconds = (nanos - sim.now() + sim.elapsed().toNanos()) / 1e9;
        timeline.accept(String.format(java.util.Locale.ROOT, "%10.3f s  %s", seconds, what));
    }

    /** Runs {@code look} every {@code period} of virtual time from now on, outside every node (an observer). */
    public void every(Duration period, Runnable look) {
        SimLoop observer = sim.loop("observer");
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            look.run();
            observer.schedule(period, tick[0]);
        };
        observer.schedule(period, tick[0]);
    }

    // ---- the LANs -------------------------------------------------------------

    /** A node claimed the VIP: the peer's traffic and the cluster LAN's now go to it. */
    void claimed(ClusterNode n) {
        lanOwner = n;
        wan.claim(VIP.address(), n.address());
    }

    /**
     * A node gave the VIP up. If another still holds it (a master that never
     * stopped), the switch learns that one again from its advertisements.
     */
    void released(ClusterNode n) {
        if (lanOwner == n) {
            nodes.values().stream().filter(o -> o != n && o.holdsVip()).findFirst().ifPresent(this::claimed);
        }
    }

    private void fromClusterHost(byte[] packet) {
        ClusterNode to = lanOwner;
        if (to != null && to.alive()) {
            clusterHost.schedule(LAN_DELAY, () -> {
                if (to.alive()) {
                    to.fromLan(packet);
                }
            });
        }
    }

    void deliverToClusterHost(byte[] packet) {
        long now = sim.now();
        down.received(packet, now + LAN_DELAY.toNanos());
    }

    void deliverToPeerHost(byte[] packet) {
        long now = sim.now();
        up.received(packet, now + LAN_DELAY.toNanos());
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
