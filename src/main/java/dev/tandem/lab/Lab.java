package dev.tandem.lab;

import dev.tandem.control.ControlClient;
import dev.tandem.control.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network-namespace lab for tests that need real interfaces and for
 * {@code tandem demo --lab} (after ../shared/lab): two gateways joined by a
 * WAN link, each with a host on its LAN. Namespaces get a random prefix so
 * runs never collide, veth ends are created directly inside their
 * namespaces, and {@link #close} kills everything it started and deletes
 * the namespaces, also after a failure and, through a shutdown hook, when
 * the JVM is interrupted (Ctrl-C).
 *
 * <pre>
 *   ha 10.1.0.10 -- la 10.1.0.1 [gwa] wa 192.0.2.1 ---- wb 192.0.2.2 [gwb] lb 10.2.0.1 -- hb 10.2.0.10
 * </pre>
 */
public final class Lab implements AutoCloseable {

    public static final String GWA = "gwa";
    public static final String GWB = "gwb";
    /** The third cluster node of {@link #cluster(int)} with three nodes. */
    public static final String GWC = "gwc";
    public static final String HA = "ha";
    public static final String HB = "hb";

    private final String prefix;
    private final Path dir;
    // written by the thread building the lab, read by the shutdown hook
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    /** Tears the lab down when the JVM exits first (Ctrl-C, SIGTERM). */
    private final Thread onExit = new Thread(this::tearDown, "lab-teardown");
    private boolean closed;

    /** What a command printed and how it ended. */
    public record Result(int status, String out) { }

    private Lab() throws IOException {
        this.prefix = "tdm" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        this.dir = Files.createTempDirectory("tandem-lab-");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    public static boolean root() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public String ns(String node) {
        return prefix + "-" + node;
    }

    public Path dir() {
        return dir;
    }

    public static Lab twoGateways() throws IOException, InterruptedException {
        return build(List.of(GWA, GWB, HA, HB), List.of(
                new Wire(GWA, "wa", "192.0.2.1/24", GWB, "wb", "192.0.2.2/24"),
                new Wire(GWA, "la", "10.1.0.1/24", HA, "ha", "10.1.0.10/24"),
                new Wire(GWB, "lb", "10.2.0.1/24", HB, "hb", "10.2.0.10/24")),
                Map.of(HA, "10.1.0.1", HB, "10.2.0.1"), List.of(GWA, GWB));
    }

    /** A veth pair between two nodes, with an address on each end. */
    private record Wire(String a, String aIf, String aAddr, String b, String bIf, String bAddr) { }

    /** Namespaces joined by veth pairs; hosts get a default route, routers forward. */
    private static Lab build(List<String> nodes, List<Wire> wires, Map<String, String> defaultRoutes,
                             List<String> routers) throws IOException, InterruptedException {
        return setUp(lab -> {
            for (String n : nodes) {
                lab.addNode(n);
            }
            for (Wire w : wires) {
                lab.link(w.a(), w.aIf(), w.aAddr(), w.b(), w.bIf(), w.bAddr());
            }
            for (Map.Entry<String, String> r : defaultRoutes.entrySet()) {
                lab.defaultRoute(r.getKey(), r.getValue());
            }
            lab.forward(routers);
        });
    }

    /** How a lab's namespaces and links are made. */
    private interface Setup {
        void on(Lab lab) throws IOException, InterruptedException;
    }

    /** A new lab made by {@code setup}; torn down again if that fails half-way. */
    private static Lab setUp(Setup setup) throws IOException, InterruptedException {
        Lab lab = new Lab();
        try {
            setup.on(lab);
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** The IKE interop lab's nodes: the peer gateway and the hosts behind it and behind gwa. */
    public static final String PEER = "peer";
    public static final String HOSTP = "hostp";
    public static final String HOSTC = "hostc";

    /**
     * The IKE interop lab (after ../shared/lab, without the cluster): the peer
     * gateway (strongSwan, or a second tandemd) and gwa (tandemd) on one WAN
     * link, each with a host on its LAN; the hosts route through their gateway.
     * No route joins the two LANs outside the tunnel, so a broken tunnel
     * cannot hide behind plain forwarding.
     *
     * <pre>
     *   hostp 10.1.0.10 -- 10.1.0.1 [peer] 198.51.100.10 ---- 198.51.100.2 [gwa] 10.2.0.1 -- hostc 10.2.0.10
     *   (eth0)             (lan0)        (wan0)              (wan0)       (lan0)           (eth0)
     * </pre>
     */
    public static Lab ikePair() throws IOException, InterruptedException {
        return build(List.of(PEER, GWA, HOSTP, HOSTC), List.of(
                new Wire(PEER, "wan0", "198.51.100.10/24", GWA, "wan0", "198.51.100.2/24"),
                new Wire(PEER, "lan0", "10.1.0.1/24", HOSTP, "eth0", "10.1.0.10/24"),
                new Wire(GWA, "lan0", "10.2.0.1/24", HOSTC, "eth0", "10.2.0.10/24")),
                Map.of(HOSTP, "10.1.0.1", HOSTC, "10.2.0.1"), List.of(PEER, GWA));
    }

    /**
     * Ends {@code processes} (SIGTERM, then SIGKILL after 10 s), kills whatever
     * else still runs in {@code namespaces} (never this JVM) and deletes them:
     * best effort, also after a failed test.
     */
    public static void cleanUp(List<Process> processes, List<String> namespaces) {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        String self = Long.toString(ProcessHandle.current().pid());
        for (String n : namespaces) {
            try {
                Result pids = run(List.of("ip", "netns", "pids", n));
                for (String pid : pids.out().split("\\s+")) {
                    if (!pid.isBlank() && !pid.strip().equals(self)) {
                        run(List.of("kill", "-9", pid.strip()));
                    }
                }
                run(List.of("ip", "netns", "del", n));
            } catch (IOException | InterruptedException e) {
                // best effort: report nothing, the next run uses another prefix
            }
        }
    }

    /** Name of the switch namespace of {@link #segment}. */
    public static final String SWITCH = "sw";

    /**
     * One Ethernet segment: a bridge in namespace {@link #SWITCH} and, for each
     * node, a veth whose end in the node is {@code wan0} with address
     * 192.0.2.{11, 12, ...}/24 and whose end on the bridge is {@code p<node>}.
     * Multicast snooping is off so CARP's group reaches every port.
     */
    public static Lab segment(String... nodes) throws IOException, InterruptedException {
        return setUp(lab -> {
            lab.addNamespace(SWITCH);
            lab.addBridge("br0");
            for (int i = 0; i < nodes.length; i++) {
                String n = nodes[i];
                lab.addNode(n);
                lab.plug("br0", port(n), n, "wan0", segmentAddress(i) + "/24");
            }
        });
    }

    /** The cluster lab's peer gateway, the host behind it, and the cluster's LAN host is {@link #HA}. */
    public static final String GP = "gp";
    public static final String HP = "hp";

    /**
     * The failover lab: two cluster nodes gwa and gwb on a WAN bridge with the
     * peer gateway gp and on a LAN bridge with host ha; gp has host hp on a
     * link of its own. Bridges live in namespace {@link #SWITCH} (multicast
     * snooping off, so CARP's group reaches every port); every node's
     * interfaces are {@code wan0} and {@code lan0}. ha and hp route through
     * 10.1.0.1 (the cluster's LAN VIP, not configured here) and 10.2.0.1;
     * the gateways forward.
     *
     * <pre>
     *   ha 10.1.0.10 --[brlan]-- lan0 gwa 10.1.0.11 / gwb 10.1.0.12 wan0 --[brwan]-- wan0 gp lan0 -- hp 10.2.0.10
     *                                 (VIPs 10.1.0.1, 192.0.2.100)  192.0.2.11 / .12    192.0.2.3 10.2.0.1
     * </pre>
     */
    public static Lab cluster() throws IOException, InterruptedException {
        return cluster(2);
    }

    /** {@link #cluster()} with two or three cluster nodes: gwc is 10.1.0.13 and 192.0.2.13. */
    public static Lab cluster(int nodes) throws IOException, InterruptedException {
        List<String> gateways = clusterNodes(nodes);
        return setUp(lab -> {
            lab.addNamespace(SWITCH);
            List<String> all = new ArrayList<>(gateways);
            all.addAll(List.of(GP, HA, HP));
            for (String n : all) {
                lab.addNode(n);
            }
            lab.addBridge("brwan");
            lab.addBridge("brlan");
            // port names: at most 15 characters, unique per switch
            for (String gw : gateways) {
                lab.plug("brwan", "w-" + gw, gw, "wan0", clusterAddress(gw, "192.0.2.") + "/24");
                lab.plug("brlan", "l-" + gw, gw, "lan0", clusterAddress(gw, "10.1.0.") + "/24");
            }
            lab.plug("brwan", "w-" + GP, GP, "wan0", "192.0.2.3/24");
            lab.plug("brlan", "l-" + HA, HA, "lan0", "10.1.0.10/24");
            lab.link(GP, "lan0", "10.2.0.1/24", HP, "lan0", "10.2.0.10/24");
            lab.defaultRoute(HA, "10.1.0.1");
            lab.defaultRoute(HP, "10.2.0.1");
            List<String> forwarding = new ArrayList<>(gateways);
            forwarding.add(GP);
            lab.forward(forwarding);
        });
    }

    private static final List<String> CLUSTER_NODES = List.of(GWA, GWB, GWC);

    /** The cluster nodes of a {@link #cluster(int)}: gwa, gwb and, for three, gwc. */
    static List<String> clusterNodes(int nodes) {
        if (nodes < 2 || nodes > CLUSTER_NODES.size()) {
            throw new IllegalArgumentException("a lab cluster has 2 or 3 nodes, not " + nodes);
        }
        return CLUSTER_NODES.subList(0, nodes);
    }

    /** A cluster node's place: 0 for gwa, 1 for gwb, 2 for gwc. */
    static int clusterIndex(String node) {
        int i = CLUSTER_NODES.indexOf(node);
        if (i < 0) {
            throw new IllegalArgumentException(node + " is not a cluster node");
        }
        return i;
    }

    /** A cluster node's address in a /24 that begins with {@code prefix}: .11 for gwa, .12, .13. */
    static String clusterAddress(String node, String prefix) {
        return prefix + (11 + clusterIndex(node));
    }

    /** A namespace for {@code node} with its loopback up. */
    private void addNode(String node) throws IOException, InterruptedException {
        addNamespace(node);
        ip("-n", ns(node), "link", "set", "lo", "up");
    }

    /** A bridge in the switch namespace; multicast snooping off, so CARP's group reaches every port. */
    private void addBridge(String bridge) throws IOException, InterruptedException {
        ip("-n", ns(SWITCH), "link", "add", bridge, "type", "bridge", "mcast_snooping", "0");
        ip("-n", ns(SWITCH), "link", "set", bridge, "up");
    }

    /** A veth from {@code node}'s {@code ifname} to port {@code port} of {@code bridge} in the switch namespace. */
    private void plug(String bridge, String port, String node, String ifname, String address)
            throws IOException, InterruptedException {
        ip("link", "add", ifname, "netns", ns(node), "type", "veth", "peer", "name", port, "netns", ns(SWITCH));
        ip("-n", ns(SWITCH), "link", "set", port, "master", bridge, "up");
        ip("-n", ns(node), "addr", "add", address, "dev", ifname);
        ip("-n", ns(node), "link", "set", ifname, "up");
    }

    private void defaultRoute(String node, String via) throws IOException, InterruptedException {
        ip("-n", ns(node), "route", "add", "default", "via", via);
    }

    /** The nodes forward IPv4 (they are gateways). */
    private void forward(List<String> gateways) throws IOException, InterruptedException {
        for (String gw : gateways) {
            run(List.of("ip", "netns", "exec", ns(gw), "sysctl", "-qw", "net.ipv4.ip_forward=1"));
        }
    }

    /** The address of the {@code i}th node (from 0) of {@link #segment}. */
    public static String segmentAddress(int i) {
        return "192.0.2." + (11 + i);
    }

    /** The bridge port of {@code node} in {@link #segment}. */
    public static String port(String node) {
        return "p" + node;
    }

    /** Creates {@code node}'s namespace, unless the lab is already torn down (the JVM is exiting). */
    private synchronized void addNamespace(String node) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("the lab is torn down");
        }
        ip("netns", "add", ns(node));
        namespaces.add(ns(node));
    }

    /** Runs {@code ip ARGS} on the host, failing with its output. */
    public void ipCommand(String... args) throws IOException, InterruptedException {
        ip(args);
    }

    private void link(String a, String ifa, String addrA, String b, String ifb, String addrB)
            throws IOException, InterruptedException {
        ip("link", "add", ifa, "netns", ns(a), "type", "veth", "peer", "name", ifb, "netns", ns(b));
        ip("-n", ns(a), "addr", "add", addrA, "dev", ifa);
        ip("-n", ns(a), "link", "set", ifa, "up");
        ip("-n", ns(b), "addr", "add", addrB, "dev", ifb);
        ip("-n", ns(b), "link", "set", ifb, "up");
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        if (r.status() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + r.out());
        }
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        return new Result(p.exitValue(), out);
    }

    /** Runs a command inside {@code node}'s namespace and waits for it. */
    public Result exec(String node, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        full.addAll(List.of(cmd));
        return run(full);
    }

    /** Starts a command inside {@code node}'s namespace; {@link #close} ends it. */
    public Process spawn(String node, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /** A background command whose output is collected as it runs. */
    public record Background(Process process, LogLines out) {
        /** Waits for the command to end and returns everything it printed. */
        public String awaitOutput(long seconds) throws InterruptedException, IOException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IOException("still running after " + seconds + " s:\n" + out);
            }
            return out.toString();
        }
    }

    /**
     * Starts a command in {@code node}'s namespace and returns once a line of
     * its output contains {@code ready} (tcpdump's "listening on", iperf3's
     * "Server listening"): the event that says it can see traffic.
     */
    public Background spawnReady(String node, String ready, String... cmd) throws IOException, InterruptedException {
        Process p = spawn(node, cmd);
        LogLines out = new LogLines();
        if (!follow(p, out, ready)) {
            throw new IOException(String.join(" ", cmd) + " never printed \"" + ready + "\":\n" + out);
        }
        return new Background(p, out);
    }

    /** Copies {@code p}'s output into {@code out} on a reader thread; true once {@code ready} appears. */
    private static boolean follow(Process p, LogLines out, String ready) throws InterruptedException {
        CompletableFuture<Boolean> seen = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                    if (line.contains(ready)) {
                        seen.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            out.end();
            seen.complete(false);
        });
        try {
            return seen.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** A running tandemd: its process, control socket and log. */
    public record Daemon(Process process, Path control, Path config, LogLines log) {

        /** One request over the control socket, as the command line sends it: what the daemon printed. */
        public String call(String verb, Map<String, String> args) throws IOException {
            StringBuilder sb = new StringBuilder();
            try (ControlClient c = ControlClient.connect(control)) {
                Message m = c.call(new Message(verb, args), line -> sb.append(line).append('\n'));
                if (!m.verb().equals("ok")) {
                    throw new IOException(verb + ": " + m.get("message"));
                }
            }
            return sb.toString();
        }
    }

    /**
     * Starts tandemd in {@code node} with this ipsec.conf and waits until it
     * says it is running (or fails with its log).
     */
    public Daemon tandemd(String node, String ipsecConf, String... daemonOptions)
            throws IOException, InterruptedException {
        return tandemd(node, java.util.Map.of("ipsec.conf", ipsecConf), daemonOptions);
    }

    /** Starts tandemd in {@code node} with these files (name to contents) in its configuration directory. */
    public Daemon tandemd(String node, java.util.Map<String, String> files, String... daemonOptions)
            throws IOException, InterruptedException {
        Path conf = dir.resolve(node);
        Files.createDirectories(conf);
        for (var f : files.entrySet()) {
            Path file = conf.resolve(f.getKey());
            Files.writeString(file, f.getValue());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Path file = conf.resolve("ipsec.conf");
        if (!Files.exists(file)) {
            Files.writeString(file, "");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        List<String> cmd = tandemCommand();
        cmd.addAll(List.of("daemon", "-c", conf.toString()));
        cmd.addAll(List.of(daemonOptions));
        Process p = spawn(node, cmd.toArray(String[]::new));
        LogLines log = new LogLines();
        boolean up = follow(p, log, "tandemd running");
        if (!up) {
            throw new IOException("tandemd in " + node + " did not start:\n" + log);
        }
        return new Daemon(p, conf.resolve("tandemd.sock"), file, log);
    }

    /** Runs the tandem command line (ipsecctl, status) from the host against a daemon. */
    public Result tandem(String... args) throws IOException, InterruptedException {
        List<String> cmd = tandemCommand();
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /**
     * The java of this JVM running Tandem's jar: the jar this class was
     * loaded from ({@code tandem demo --lab}), or, when it was loaded from
     * target/classes (the tests), the jar {@code mvn package} built next to it.
     */
    private static List<String> tandemCommand() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar;
        try {
            Path from = Path.of(Lab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            jar = Files.isRegularFile(from) ? from : from.resolveSibling("tandem.jar");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where Tandem's jar is: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing (mvn -B package -DskipTests builds it)");
        }
        return new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
    }

    @Override
    public void close() {
        // the hook stays until the lab is gone: an exit that begins meanwhile waits for this tear-down
        tearDown();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook finds the lab torn down
        }
    }

    private synchronized void tearDown() {
        if (closed) {
            return;
        }
        closed = true;
        cleanUp(processes, namespaces);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
