package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two tandemd gateways in network namespaces with manual keys from
 * ipsec.conf: real TUN devices, raw ESP or ESP-in-UDP on real sockets,
 * ping and iperf3 between hosts behind them. Needs root (CI runs as root).
 */
@Tag("netns")
class ManualKeyingLabTest {

    static final Path EXAMPLE = Path.of("examples", "two-gateways");

    static final String AK1 = "0x" + "a1".repeat(32);
    static final String AK2 = "0x" + "b2".repeat(32);
    static final String EK1 = "0x" + "c3".repeat(16);
    static final String EK2 = "0x" + "d4".repeat(16);

    @BeforeAll
    static void needsRoot() {
        Needs.need(Lab.root(), "needs root: network namespaces, TUN devices and raw sockets");
    }

    static String sas(String encap) {
        return "esp from 192.0.2.1 to 192.0.2.2 spi 0x1001:0x1002 " + encap + " authkey " + AK1 + ":" + AK2
                + " enckey " + EK1 + ":" + EK2 + "\n";
    }

    /** The manual SA pair of the tests that do not use the shipped example. */
    static String gwa(String encap) {
        return "flow esp from 10.1.0.0/24 to 10.2.0.0/24 peer 192.0.2.2\n" + sas(encap);
    }

    static String gwb(String encap) {
        return "flow esp from 10.2.0.0/24 to 10.1.0.0/24 peer 192.0.2.1\n" + sas(encap);
    }

    static java.util.List<Long> jsonNumbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (\\d+)").matcher(json);
        java.util.List<Long> all = new java.util.ArrayList<>();
        while (m.find()) {
            all.add(Long.parseLong(m.group(1)));
        }
        return all;
    }

    static long jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (\\d+)").matcher(json);
        assertThat(m.find()).as("%s in\n%s", key, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void rawEspTunnelCarriesPingAndTcpAndTheWanSeesOnlyEsp() throws Exception {
        try (Lab lab = Lab.twoGateways()) {
            // the admin guide's example, exactly as shipped
            Lab.Daemon a = lab.tandemd(Lab.GWA, Files.readString(EXAMPLE.resolve("gwa/ipsec.conf")));
            Lab.Daemon b = lab.tandemd(Lab.GWB, Files.readString(EXAMPLE.resolve("gwb/ipsec.conf")));

            Lab.Result ping = lab.exec(Lab.HA, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.10");
            assertThat(ping.status()).as(ping.out() + a.log() + b.log()).isZero();

            // what crosses the WAN while hosts talk: ESP only, never the inner ICMP
            Lab.Background cap = lab.spawnReady(Lab.GWB, "listening on", "tcpdump", "-n", "-l", "--immediate-mode",
                    "-i", "wb", "-c", "6", "ip proto 50 or icmp");
            lab.exec(Lab.HA, "ping", "-c", "3", "-i", "0.2", "10.2.0.10");
            String wire = cap.awaitOutput(10);
            assertThat(wire.lines().filter(l -> l.contains(" IP ")).toList())
                    .hasSize(6).allMatch(l -> l.contains("ESP(spi=0x0000100")).noneMatch(l -> l.contains("ICMP"));

            lab.spawnReady(Lab.HB, "Server listening", "iperf3", "-s", "-1", "--forceflush");
            Lab.Result iperf = lab.exec(Lab.HA, "iperf3", "-c", "10.2.0.10", "-t", "10", "--connect-timeout", "5000");
            assertThat(iperf.status()).as(iperf.out()).isZero();
            assertThat(iperf.out()).contains("receiver");

            Lab.Result status = lab.tandem("status", "--json", "--control", b.control().toString());
            assertThat(status.status()).as(status.out()).isZero();
            assertThat(jsonNumber(status.out(), "packets")).isGreaterThan(1000);
            // everything that reached the device belonged to the tunnel (nothing of the kernel's own)
            assertThat(jsonNumber(status.out(), "cleartext")).isZero();
            Lab.Result show = lab.tandem("ipsecctl", "--control", b.control().toString(), "-s", "sa", "-v");
            assertThat(show.out()).contains("esp tunnel from 192.0.2.1 to 192.0.2.2 spi 0x00001001")
                    .containsPattern("counters packets [1-9][0-9]{3,}");

            // delete gwb's SAs: traffic stops, the no-SA counter rises
            Lab.Result del = lab.tandem("ipsecctl", "--control", b.control().toString(), "-d", "-f",
                    b.config().toString());
            assertThat(del.status()).as(del.out()).isZero();
            Lab.Result dead = lab.exec(Lab.HA, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.2.0.10");
            assertThat(dead.status()).isNotZero();
            Lab.Result after = lab.tandem("status", "--json", "--control", b.control().toString());
            assertThat(jsonNumber(after.out(), "no-sa")).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void udpEncapsulatedTunnelWithAndWithoutOffloads() throws Exception {
        try (Lab lab = Lab.twoGateways()) {
            // gwa batches (TUN offloads, UDP GSO/GRO), gwb moves one packet at a time: they must interoperate
            Lab.Daemon a = lab.tandemd(Lab.GWA, gwa("udpencap"));
            Lab.Daemon b = lab.tandemd(Lab.GWB, gwb("udpencap"), "--no-offload");
            Lab.Background cap = lab.spawnReady(Lab.GWB, "listening on", "tcpdump", "-n", "-l", "--immediate-mode",
                    "-i", "wb", "-c", "4", "udp port 4500");
            Lab.Result ping = lab.exec(Lab.HA, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.10");
            assertThat(ping.status()).as(ping.out() + b.log()).isZero();
            String wire = cap.awaitOutput(10);
            assertThat(wire).contains("UDP-encap: ESP(spi=0x0000100");

            // bulk TCP both ways: super-packets split and merged on gwa, single packets on gwb
            for (String[] dir : new String[][] {{Lab.HB, Lab.HA, "10.2.0.10"}, {Lab.HA, Lab.HB, "10.1.0.10"}}) {
                lab.spawnReady(dir[0], "Server listening", "iperf3", "-s", "-1", "--forceflush");
                Lab.Result iperf = lab.exec(dir[1], "iperf3", "-c", dir[2], "-t", "3", "--connect-timeout", "5000");
                assertThat(iperf.status()).as(iperf.out() + a.log() + b.log()).isZero();
            }
            String sa = lab.tandem("status", "--json", "--control", a.control().toString()).out();
            assertThat(sa).contains("\"tun\": true").contains("\"udp_gso\": true").contains("\"udp_gro\": true");
            assertThat(jsonNumber(sa, "tun_unsplittable")).isZero();
            assertThat(jsonNumber(sa, "udp_truncated")).isZero();
            String sb = lab.tandem("status", "--json", "--control", b.control().toString()).out();
            assertThat(sb).contains("\"tun\": false").contains("\"udp_gso\": false").contains("\"udp_gro\": false");
            for (String s : new String[] {sa, sb}) {
                for (String reason : new String[] {"bad-icv", "replay", "malformed", "policy-mismatch", "send-failed"}) {
                    // node-wide and per SA
                    assertThat(jsonNumbers(s, reason)).as(reason + " in\n" + s).isNotEmpty().containsOnly(0L);
                }
            }
        }
    }

    /**
     * A cluster's SAs leave from the VIP, a secondary address of the WAN
     * interface; without IP_PKTINFO the kernel would put the primary address
     * (192.0.2.1) in the header.
     */
    @ParameterizedTest(name = "encapsulation \"{0}\"")
    @ValueSource(strings = {"", "udpencap"})
    void espLeavesFromTheSasSourceAddressEvenWhenItIsASecondaryOne(String encap) throws Exception {
        try (Lab lab = Lab.twoGateways()) {
            assertThat(lab.exec(Lab.GWA, "ip", "addr", "add", "192.0.2.101/24", "dev", "wa").status()).isZero();
            String sa = "esp from 192.0.2.101 to 192.0.2.2 spi 0x1001:0x1002 " + encap + " authkey " + AK1 + ":"
                    + AK2 + " enckey " + EK1 + ":" + EK2 + "\n";
            Lab.Daemon a = lab.tandemd(Lab.GWA, "flow esp from 10.1.0.0/24 to 10.2.0.0/24 peer 192.0.2.2\n" + sa);
            Lab.Daemon b = lab.tandemd(Lab.GWB, "flow esp from 10.2.0.0/24 to 10.1.0.0/24 peer 192.0.2.101\n" + sa);
            Lab.Background cap = lab.spawnReady(Lab.GWB, "listening on", "tcpdump", "-n", "-l", "--immediate-mode",
                    "-i", "wb", "-c", "4", "ip proto 50 or udp port 4500");
            Lab.Result ping = lab.exec(Lab.HA, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.10");
            assertThat(ping.status()).as(ping.out() + a.log() + b.log()).isZero();
            java.util.List<String> esp = cap.awaitOutput(10).lines().filter(l -> l.contains("ESP(spi=0x0000100"))
                    .toList();
            assertThat(esp).as("requests out, replies back").hasSize(4);
            assertThat(esp.stream().filter(l -> l.contains("spi=0x00001001")))
                    .hasSize(2).allMatch(l -> l.contains(" IP 192.0.2.101" + (encap.isEmpty() ? " > " : ".4500 > ")));
            assertThat(esp.stream().filter(l -> l.contains("spi=0x00001002")))
                    .hasSize(2).allMatch(l -> l.contains(" > 192.0.2.101" + (encap.isEmpty() ? ": " : ".4500: ")));
            assertThat(esp).noneMatch(l -> l.contains("192.0.2.1 ") || l.contains("192.0.2.1."));
        }
    }

    @Test
    void fullTunnelWithBypassKeepsThePeerAndTheGatewaysOwnTrafficInTheClear() throws Exception {
        try (Lab lab = Lab.twoGateways()) {
            // a host beyond gwb reached without the tunnel: 198.51.100.2 on gwb, routed by gwa's main table
            lab.exec(Lab.GWB, "ip", "addr", "add", "198.51.100.2/32", "dev", "lo");
            lab.exec(Lab.GWA, "ip", "route", "add", "198.51.100.2/32", "via", "192.0.2.2");
            // everything from gwa's LAN goes to gwb (to any: the route also covers the peer itself),
            // except 198.51.100.2
            Lab.Daemon a = lab.tandemd(Lab.GWA, "flow esp from 10.1.0.0/24 to any peer 192.0.2.2\n"
                    + "flow esp out from 10.1.0.0/24 to 198.51.100.2 type bypass\n" + sas(""));
            lab.tandemd(Lab.GWB, "flow esp from any to 10.1.0.0/24 peer 192.0.2.1\n" + sas(""));

            Lab.Result tunnel = lab.exec(Lab.HA, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.10");
            assertThat(tunnel.status()).as(tunnel.out() + a.log()).isZero();

            Lab.Background cap = lab.spawnReady(Lab.GWB, "listening on", "tcpdump", "-n", "-l", "--immediate-mode",
                    "-i", "wb", "-c", "2", "icmp and host 198.51.100.2");
            // bypassed: enters gwa's tunnel device, leaves in the clear through the marked socket
            Lab.Result bypass = lab.exec(Lab.HA, "ping", "-c", "2", "-i", "0.2", "-W", "2", "198.51.100.2");
            assertThat(bypass.status()).as(bypass.out() + a.log()).isZero();
            assertThat(cap.awaitOutput(10)).contains("10.1.0.10 > 198.51.100.2: ICMP echo request");
            // the gateway's own traffic matches no flow: it leaves in the clear too
            Lab.Result own = lab.exec(Lab.GWA, "ping", "-c", "2", "-i", "0.2", "-W", "2", "198.51.100.2");
            assertThat(own.status()).as(own.out()).isZero();

            Lab.Result status = lab.tandem("status", "--json", "--control", a.control().toString());
            assertThat(jsonNumber(status.out(), "cleartext")).isGreaterThanOrEqualTo(4);
            Lab.Result table = lab.exec(Lab.GWA, "ip", "route", "show", "table", "4500");
            assertThat(table.out()).contains("default dev tandem0").contains("throw 192.0.2.2");
        }
    }

    @Test
    void innerIpv6CrossesAnIpv4Tunnel() throws Exception {
        try (Lab lab = Lab.twoGateways()) {
            for (String[] a : new String[][] {{Lab.GWA, "la", "fd00:1::1/64"}, {Lab.HA, "ha", "fd00:1::10/64"},
                    {Lab.GWB, "lb", "fd00:2::1/64"}, {Lab.HB, "hb", "fd00:2::10/64"}}) {
                // nodad: usable at once instead of after duplicate address detection
                assertThat(lab.exec(a[0], "ip", "-6", "addr", "add", a[2], "dev", a[1], "nodad").status()).isZero();
            }
            lab.exec(Lab.HA, "ip", "-6", "route", "add", "default", "via", "fd00:1::1");
            lab.exec(Lab.HB, "ip", "-6", "route", "add", "default", "via", "fd00:2::1");
            lab.exec(Lab.GWA, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            lab.exec(Lab.GWB, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            lab.tandemd(Lab.GWA, "flow esp from fd00:1::/64 to fd00:2::/64 peer 192.0.2.2\n" + sas(""));
            Lab.Daemon b = lab.tandemd(Lab.GWB, "flow esp from fd00:2::/64 to fd00:1::/64 peer 192.0.2.1\n" + sas(""));
            Lab.Background cap = lab.spawnReady(Lab.GWB, "listening on", "tcpdump", "-n", "-l", "--immediate-mode",
                    "-i", "wb", "-c", "4", "ip proto 50 or ip6 net fd00::/16");
            Lab.Result ping = lab.exec(Lab.HA, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", "fd00:2::10");
            assertThat(ping.status()).as(ping.out() + b.log()).isZero();
            String wire = cap.awaitOutput(10);
            assertThat(wire.lines().filter(l -> l.contains(" IP")).toList())
                    .hasSize(4).allMatch(l -> l.contains("ESP(spi=0x0000100"));
        }
    }
}
