package dev.tandem.lab;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The ways traffic from ha to hb can cross the lab's WAN, each brought up in
 * a fresh lab. All tunnels use AES-128-GCM with a 16-byte ICV and a
 * 1400-byte TUN MTU on both kinds of gateway.
 */
enum BenchPath {

    PLAIN("plain", "plain IP forwarding, no tunnel", false),
    TANDEM_UDP("tandem-udp", "Tandem <-> Tandem, AES-128-GCM, ESP-in-UDP 4500", true),
    TANDEM_RAW("tandem-raw", "Tandem <-> Tandem, AES-128-GCM, raw ESP (IP proto 50)", true),
    STRONGSWAN("strongswan", "strongSwan <-> strongSwan, kernel-libipsec, aes128gcm16, ESP-in-UDP 4500", true);

    static final String WAN_A = "192.0.2.1";
    static final String WAN_B = "192.0.2.2";
    static final String NET_A = "10.1.0.0/24";
    static final String NET_B = "10.2.0.0/24";

    final String id;
    final String description;
    final boolean tunnel;

    BenchPath(String id, String description, boolean tunnel) {
        this.id = id;
        this.description = description;
        this.tunnel = tunnel;
    }

    static BenchPath byId(String id) {
        for (BenchPath p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown path " + id + "; known: "
                + List.of(values()).stream().map(p -> p.id).toList());
    }

    /** Something that can say what went wrong on a path after traffic crossed it. */
    interface Diagnostics {
        /** Drop counters and the like, one line; empty when there is nothing to say. */
        String after() throws IOException, InterruptedException;
    }

    /** Brings this path up in {@code lab}; returns once hosts could talk over it. */
    Diagnostics up(Lab lab) throws IOException, InterruptedException {
        return switch (this) {
            case PLAIN -> plain(lab);
            case TANDEM_UDP -> tandem(lab, true);
            case TANDEM_RAW -> tandem(lab, false);
            case STRONGSWAN -> strongSwan(lab);
        };
    }

    private static Diagnostics plain(Lab lab) throws IOException, InterruptedException {
        // the lab has no route between the LANs, so this path exists only on purpose
        route(lab, Lab.GWA, NET_B, WAN_B);
        route(lab, Lab.GWB, NET_A, WAN_A);
        return () -> "";
    }

    private static void route(Lab lab, String node, String net, String via) throws IOException, InterruptedException {
        Lab.Result r = lab.exec(node, "ip", "route", "add", net, "via", via);
        if (r.status() != 0) {
            throw new IOException("ip route add " + net + " via " + via + " in " + node + ": " + r.out());
        }
    }

    private static Diagnostics tandem(Lab lab, boolean udp) throws IOException, InterruptedException {
        // ipsec.conf holds only the flows; the GCM SAs come over the control socket (see TandemGcmSas)
        Lab.Daemon a = lab.tandemd(Lab.GWA, "flow esp from " + NET_A + " to " + NET_B + " peer " + WAN_B + "\n");
        Lab.Daemon b = lab.tandemd(Lab.GWB, "flow esp from " + NET_B + " to " + NET_A + " peer " + WAN_A + "\n");
        TandemGcmSas sas = TandemGcmSas.random(WAN_A, WAN_B, udp);
        sas.install(a.control());
        sas.install(b.control());
        return () -> DropCounters.tandem(lab, Lab.GWA, a) + DropCounters.tandem(lab, Lab.GWB, b)
                + gateways(lab, "tandem0");
    }

    private static Diagnostics strongSwan(Lab lab) throws IOException, InterruptedException {
        byte[] psk = new byte[32];
        new SecureRandom().nextBytes(psk);
        String secret = HexFormat.of().formatHex(psk);
        StrongSwanConfig ca = new StrongSwanConfig(lab.dir().resolve("swan-" + Lab.GWA), WAN_A, WAN_B, NET_A, NET_B,
                secret, "aes128gcm16");
        StrongSwanConfig cb = new StrongSwanConfig(lab.dir().resolve("swan-" + Lab.GWB), WAN_B, WAN_A, NET_B, NET_A,
                secret, "aes128gcm16");
        StrongSwan.start(lab, Lab.GWB, cb);
        StrongSwan a = StrongSwan.start(lab, Lab.GWA, ca);
        a.initiate(StrongSwanConfig.CHILD, java.time.Duration.ofSeconds(30));
        return () -> gateways(lab, "ipsec0");
    }

    /** The kernel's view on both gateways: TUN queue drops and socket overflows. */
    private static String gateways(Lab lab, String tun) throws IOException, InterruptedException {
        return DropCounters.tun(lab, Lab.GWA, tun) + DropCounters.tun(lab, Lab.GWB, tun)
                + DropCounters.udp(lab, Lab.GWA) + DropCounters.udp(lab, Lab.GWB)
                + DropCounters.raw(lab, Lab.GWA) + DropCounters.raw(lab, Lab.GWB);
    }
}
