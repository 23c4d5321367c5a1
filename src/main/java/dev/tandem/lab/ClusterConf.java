package dev.tandem.lab;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The configuration files of {@link Lab#cluster}: gwa and gwb (and gwc in a
 * three-node lab) share the WAN VIP 192.0.2.100 (carp0) and the LAN VIP
 * 10.1.0.1 (carp1), each replicates with every other over their LAN
 * addresses, and all load the same ipsec.conf, as the nodes of an OpenBSD
 * sasyncd cluster do; gp has the mirrored SAs towards the WAN VIP.
 *
 * <p>Manual keys, AES-256-CBC with HMAC-SHA2-256: ipsec.conf refuses AES-GCM
 * with static keys (as OpenBSD's ipsecctl does, RFC 4106 forbids it), so a
 * manually keyed cluster uses CBC. Keys are fresh random bytes per lab.
 *
 * @param udp     ESP-in-UDP (udpencap) instead of IP protocol 50
 * @param members the cluster's nodes: gwa, gwb and perhaps gwc
 */
record ClusterConf(boolean udp, String authKeys, String encKeys, String syncKey, List<String> members) {

    static final String WAN_VIP = "192.0.2.100";
    static final String LAN_VIP = "10.1.0.1";
    static final String PEER = "192.0.2.3";
    static final String CLUSTER_NET = "10.1.0.0/24";
    static final String PEER_NET = "10.2.0.0/24";
    /** advbase 0 everywhere: each node's interval is advskew/256 s. */
    static final int ADVSKEW_GWA = 20;
    static final int ADVSKEW_GWB = 40;
    static final int ADVSKEW_GWC = 60;

    /** A two-node cluster. */
    static ClusterConf random(boolean udp) {
        return random(udp, 2);
    }

    static ClusterConf random(boolean udp, int nodes) {
        return new ClusterConf(udp, hex(32) + ":" + hex(32), hex(32) + ":" + hex(32), hex(32),
                Lab.clusterNodes(nodes));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return "0x" + HexFormat.of().formatHex(b);
    }

    static int advskew(String node) {
        return List.of(ADVSKEW_GWA, ADVSKEW_GWB, ADVSKEW_GWC).get(Lab.clusterIndex(node));
    }

    /** 3 x (advbase + advskew/256) + 200 ms of the node that takes over, in ms: the acceptance bound. */
    static double boundMs(String node) {
        return 3 * advskew(node) / 256.0 * 1000 + 200;
    }

    /** The LAN address a node replicates from. */
    static String syncAddress(String node) {
        return Lab.clusterAddress(node, "10.1.0.");
    }

    /** carp.conf, sasyncd.conf and ipsec.conf of a cluster node. */
    Map<String, String> node(String node) {
        String peers = members.stream().filter(m -> !m.equals(node)).map(m -> "peer " + syncAddress(m))
                .collect(java.util.stream.Collectors.joining("\n"));
        // gwa is the preferred master: faster and preempting, so it takes mastership back once synced
        String carp = "advbase 0 advskew " + advskew(node) + (node.equals(Lab.GWA) ? " preempt" : "");
        String carpConf = "carp0 vhid 1 carpdev wan0 pass wan-s3cret " + carp + " " + WAN_VIP + "/24\n"
                + "carp1 vhid 2 carpdev lan0 pass lan-s3cret " + carp + " " + LAN_VIP + "/24\n";
        String sasyncd = """
                interface carp0
                group carp
                listen on %s
                %s
                sharedkey %s
                """.formatted(syncAddress(node), peers, syncKey);
        String ipsec = """
                # the same file on every node
                vip = "%s"
                remote = "%s"
                flow esp from 10.1.0.0/24 to 10.2.0.0/24 peer $remote
                %s""".formatted(WAN_VIP, PEER, sa("$vip", "$remote"));
        return Map.of("carp.conf", carpConf, "sasyncd.conf", sasyncd, "ipsec.conf", ipsec);
    }

    /** Phase 1 lifetime of the active rule, in seconds: short, so that the cluster renews it within a test. */
    static final int ACTIVE_MAIN_LIFETIME = 60;
    /** Phase 2 lifetime of the active rule, in seconds. */
    static final int ACTIVE_QUICK_LIFETIME = 45;

    /**
     * The files of a cluster node for IKE with strongSwan in gp:
     * carp.conf and sasyncd.conf as {@link #node}, and an ipsec.conf of one
     * ike rule. Passive, strongSwan is the only initiator; active, the
     * admin guide's rule, the master negotiates and renews (with lifetimes
     * of {@link #ACTIVE_MAIN_LIFETIME} and {@link #ACTIVE_QUICK_LIFETIME} s).
     */
    Map<String, String> ikeNode(String node, String psk, boolean active) {
        Map<String, String> files = new java.util.HashMap<>(node(node));
        files.put("ipsec.conf", "# the same file on every node\n"
                + "ike " + (active ? "" : "passive ") + "esp from " + CLUSTER_NET + " to " + PEER_NET + " local "
                + WAN_VIP + " peer " + PEER + " main auth hmac-sha2-256 enc aes-256 group modp2048"
                + (active ? " lifetime " + ACTIVE_MAIN_LIFETIME : "")
                + " quick auth hmac-sha2-256 enc aes-256 group none"
                + (active ? " lifetime " + ACTIVE_QUICK_LIFETIME : "") + " psk \"" + psk + "\"\n");
        return files;
    }

    /** ipsec.conf of the peer gateway gp. */
    Map<String, String> peer() {
        return Map.of("ipsec.conf", "flow esp from 10.2.0.0/24 to 10.1.0.0/24 peer " + WAN_VIP + "\n"
                + sa(WAN_VIP, PEER));
    }

    /** Both directions: SPI 0x2001 from the cluster to gp, 0x2002 back. */
    private String sa(String from, String to) {
        return "esp from " + from + " to " + to + " spi 0x2001:0x2002" + (udp ? " udpencap" : "")
                + " auth hmac-sha2-256 enc aes-256 authkey " + authKeys + " enckey " + encKeys + "\n";
    }
}
