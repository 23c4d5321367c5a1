package dev.tandem.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IKE cluster of issue 7 in {@link Lab#cluster}: gwa and gwb (and gwc
 * in a three-node lab) run tandemd with CARP, sync and the same ike rule
 * towards gp, where an
 * unmodified strongSwan 5.9.8 (kernel-libipsec) speaks IKEv1 main mode to
 * the WAN VIP with DPD every 10 s and dpd_action restart. With a passive
 * rule strongSwan initiates; with an active one the cluster does; ha
 * and hp exchange sequence-numbered UDP streams through the tunnel. The
 * acceptance test (IkeFailoverLabTest) and {@code tandem demo --lab} run
 * their failovers on it.
 */
final class IkeClusterLab {

    static final int RATE = 1000;
    /** Longest a stream runs; the records are sized for it. */
    static final int STREAM_SECONDS = 200;
    static final Duration LONG = Duration.ofSeconds(20);
    static final Duration ESTABLISH = Duration.ofSeconds(30);
    /** ha pings hp this often. */
    static final int PING_INTERVAL_MS = 20;
    static final Duration DPD_DELAY = Duration.ofSeconds(10);
    /** IKEv1 only: strongSwan's silence before "dead"; short, so an unanswered DPD shows within a test. */
    static final Duration DPD_TIMEOUT = Duration.ofSeconds(30);
    static final String HA_ADDRESS = "10.1.0.10";
    static final String HP_ADDRESS = "10.2.0.10";
    private static final Pattern PHASE1_COOKIES = Pattern.compile("^phase 1 .* cookies ([0-9a-f]{16}):([0-9a-f]{16}) ");

    private final Lab lab;
    private final ClusterConf conf;
    private final boolean clusterInitiates;
    private final String psk;
    private final Map<String, Lab.Daemon> daemons = new LinkedHashMap<>();
    private StrongSwan swan;
    private int streamPort = 40001;

    /** The cluster's rule is passive: strongSwan initiates. */
    IkeClusterLab(Lab lab) {
        this(lab, false);
    }

    /** @param clusterInitiates the cluster's rule is active (see {@link ClusterConf#ikeNode}) */
    IkeClusterLab(Lab lab, boolean clusterInitiates) {
        this(lab, clusterInitiates, 2);
    }

    /** @param nodes the cluster's nodes, 2 or 3: the lab must be a {@link Lab#cluster(int)} of as many */
    IkeClusterLab(Lab lab, boolean clusterInitiates, int nodes) {
        this.lab = lab;
        this.clusterInitiates = clusterInitiates;
        this.conf = ClusterConf.random(false, nodes);
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        this.psk = HexFormat.of().formatHex(key);
    }

    Lab lab() {
        return lab;
    }

    StrongSwan swan() {
        return swan;
    }

    ClusterConf conf() {
        return conf;
    }

    /** Starts tandemd on a cluster node with the cluster's files; {@code name} labels its log. */
    Lab.Daemon tandemd(String node, String name) throws IOException, InterruptedException {
        Lab.Daemon d = lab.tandemd(node, conf.ikeNode(node, psk, clusterInitiates));
        daemons.put(name, d);
        return d;
    }

    /** gwa up and master of both carp interfaces, then each other node synced from it and backup, in order. */
    List<Lab.Daemon> startCluster() throws IOException, InterruptedException {
        Lab.Daemon a = tandemd(Lab.GWA, Lab.GWA);
        awaitInterfaces(a, 0, "MASTER");
        List<Lab.Daemon> all = new ArrayList<>(List.of(a));
        for (String node : conf.members().subList(1, conf.members().size())) {
            Lab.Daemon d = tandemd(node, node);
            d.log().await(0, "sync: snapshot from " + ClusterConf.syncAddress(Lab.GWA) + " applied", LONG);
            awaitInterfaces(d, 0, "BACKUP");
            all.add(d);
        }
        return all;
    }

    /** strongSwan's configuration in gp: IKEv1 main mode to the WAN VIP, DPD with dpd_action restart. */
    StrongSwanConfig peerConfig() {
        return StrongSwanConfig.ikev1(lab.dir().resolve("swan"), ClusterConf.PEER, ClusterConf.WAN_VIP,
                ClusterConf.PEER_NET, ClusterConf.CLUSTER_NET, psk).withDpd(DPD_DELAY, DPD_TIMEOUT, "restart");
    }

    /**
     * Starts strongSwan in gp and has it bring up the tunnel; returns its
     * IKE_SA once the backup holds the same phase 1 and CHILD_SA.
     */
    SwanctlSas.IkeSa startPeer(Lab.Daemon backup) throws IOException, InterruptedException {
        swan = StrongSwan.start(lab, Lab.GP, peerConfig());
        swan.initiate(StrongSwanConfig.CHILD, ESTABLISH);
        swan.log().await(0, "received DPD vendor ID", Duration.ofSeconds(5));
        SwanctlSas.IkeSa ike = swan.established();
        awaitPhase1(backup, ike);
        return ike;
    }

    /**
     * Starts strongSwan in gp as the admin guide's peer, which initiates
     * nothing; returns its IKE_SA once the master has negotiated it and the
     * backup holds the same phase 1 and CHILD_SA.
     */
    SwanctlSas.IkeSa startRespondingPeer(Lab.Daemon backup) throws IOException, InterruptedException {
        swan = StrongSwan.start(lab, Lab.GP, peerConfig());
        swan.log().await(0, l -> l.contains("CHILD_SA " + StrongSwanConfig.CHILD + "{")
                && l.contains("established with SPIs"), "the CHILD_SA the cluster negotiates", ESTABLISH);
        swan.log().await(0, "received DPD vendor ID", Duration.ofSeconds(5));
        SwanctlSas.IkeSa ike = swan.established();
        awaitPhase1(backup, ike);
        return ike;
    }

    /** Both directions of the stream between ha and hp and ha's ping of hp, started and stopped together. */
    record Traffic(SequencedStream up, SequencedStream down, Lab.Background ping) implements AutoCloseable {

        /** Both receivers see datagrams sent at or after {@code nanos}: traffic flows both ways. */
        void awaitDelivered(long nanos) throws InterruptedException {
            up.awaitDelivered(nanos, LONG);
            down.awaitDelivered(nanos, LONG);
        }

        @Override
        public void close() throws InterruptedException {
            ping.process().destroy();
            up.close();
            down.close();
        }
    }

    /** {@link #RATE} datagrams per second each way between ha (up: towards hp) and hp, and ha pinging hp. */
    Traffic traffic() throws Exception {
        int port = streamPort;
        streamPort += 2;
        SequencedStream up = SequencedStream.start("ha->hp", lab.ns(Lab.HA), lab.ns(Lab.HP), HP_ADDRESS, port, RATE,
                STREAM_SECONDS);
        SequencedStream down = SequencedStream.start("hp->ha", lab.ns(Lab.HP), lab.ns(Lab.HA), HA_ADDRESS, port + 1,
                RATE, STREAM_SECONDS);
        // line-buffered, so each reply's arrival time is when the line is read
        Lab.Background ping = lab.spawnReady(Lab.HA, "PING", "stdbuf", "-oL", "ping", "-n", "-i",
                Double.toString(PING_INTERVAL_MS / 1000.0), HP_ADDRESS);
        return new Traffic(up, down, ping);
    }

    /** Waits for both carp interfaces of {@code d} to report a transition to {@code state} after {@code mark}. */
    static void awaitInterfaces(Lab.Daemon d, int mark, String state) throws InterruptedException {
        for (String iface : List.of("carp0 (vhid 1): ", "carp1 (vhid 2): ")) {
            d.log().await(mark, l -> l.contains(iface) && l.contains("-> " + state), iface + "-> " + state, LONG);
        }
    }

    /** The node's SADB holds the CHILD_SA's pair. */
    void awaitTandemSpis(Lab.Daemon d, SwanctlSas.ChildSa child) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            String all = ipsecctl(d, "-s", "sa");
            if (all.contains("spi 0x" + child.spiIn()) && all.contains("spi 0x" + child.spiOut())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("SPIs " + child.spiIn() + " and " + child.spiOut() + " not in:\n"
                        + all);
            }
            Thread.sleep(200);
        }
    }

    /** The node's IKE holds the peer's ISAKMP SA (a backup: replicated) and its CHILD_SA. */
    void awaitPhase1(Lab.Daemon d, SwanctlSas.IkeSa ike) throws IOException, InterruptedException {
        SwanctlSas.ChildSa child = ike.child(StrongSwanConfig.CHILD).orElseThrow();
        awaitTandemSpis(d, child);
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!phase1Cookies(d).contains(ike.spiI() + ":" + ike.spiR())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("phase 1 " + ike.spiI() + ":" + ike.spiR() + " not in:\n"
                        + ipsecctl(d, "-s", "all"));
            }
            Thread.sleep(200);
        }
    }

    /** The "I:R" cookie pairs of the node's phase 1 SAs, as ipsecctl -s all shows them. */
    Set<String> phase1Cookies(Lab.Daemon d) throws IOException, InterruptedException {
        Set<String> s = new TreeSet<>();
        for (String line : ipsecctl(d, "-s", "all").toLowerCase(Locale.ROOT).lines().toList()) {
            Matcher m = PHASE1_COOKIES.matcher(line);
            if (m.find()) {
                s.add(m.group(1) + ":" + m.group(2));
            }
        }
        return s;
    }

    String ipsecctl(Lab.Daemon d, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ipsecctl", "--control", d.control().toString()));
        cmd.addAll(List.of(args));
        Lab.Result r = lab.tandem(cmd.toArray(String[]::new));
        if (r.status() != 0) {
            throw new IOException("tandem " + String.join(" ", cmd) + ": " + r.out());
        }
        return r.out();
    }

    /**
     * Waits until the backup holds the master's outbound sequence number and
     * inbound replay position of strongSwan's CHILD_SA, as the master
     * reported them: replication of counters works before an event tests it.
     * With no backup (null), only checks that the master sends.
     */
    void awaitCountersReplicated(Lab.Daemon master, Lab.Daemon backup) throws IOException, InterruptedException {
        SwanctlSas.ChildSa child = swan.established().child(StrongSwanConfig.CHILD).orElseThrow();
        // strongSwan's inbound SA is the cluster's outbound one
        String out = "0x" + child.spiIn();
        String in = "0x" + child.spiOut();
        NodeStatus m = NodeStatus.of(master);
        long seq = m.sa(out, "sequence_out");
        long top = m.sa(in, "replay_top");
        if (seq <= 0) {
            throw new IllegalStateException("the master sent no traffic on SA " + out);
        }
        if (backup == null) {
            return;
        }
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            NodeStatus b = NodeStatus.of(backup);
            if (b.sa(out, "sequence_out") >= seq && b.sa(in, "replay_top") >= top) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the backup has sequence %d and replay top %d of the master's %d and %d"
                        .formatted(b.sa(out, "sequence_out"), b.sa(in, "replay_top"), seq, top));
            }
            // counters come every 100 ms and log nothing: polled, without keeping the backup's loop busy
            Thread.sleep(20);
        }
    }

    /** What every daemon and charon logged: what explains a failure. */
    void printLogs(PrintStream out) {
        daemons.forEach((name, d) -> out.println("---- log of " + name + " ----\n" + d.log()));
        if (swan != null) {
            out.println("---- charon log ----\n" + swan.log());
        }
    }
}
