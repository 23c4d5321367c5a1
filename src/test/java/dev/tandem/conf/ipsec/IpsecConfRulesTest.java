package dev.tandem.conf.ipsec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Rule semantics of ipsec.conf(5) beyond the vendored OpenBSD cases: flow,
 * SA and ike options, host lookup, and every validation message. Expected
 * texts follow OpenBSD's ipsecctl (parse.y, ike.c); where Tandem reports a
 * problem OpenBSD passes over silently, the test says so.
 */
class IpsecConfRulesTest {

    private static final String AK256 = "0x" + "aa".repeat(32);
    private static final String AK160 = "0x" + "aa".repeat(20);
    private static final String EK128 = "0x" + "ee".repeat(16);

    private static void assertError(String conf, String... diagnostics) {
        ParseRun r = ParseRun.of(conf);
        assertThat(r.diagnostics()).containsExactly(diagnostics);
        assertThat(r.ok()).as("parse must fail").isFalse();
    }

    // ---- flows ----------------------------------------------------------

    @Test
    void inboundFlowTakesItsPeerFromTheSourceAndHasNoReverse() {
        ParseRun r = ParseRun.of("flow in from 5.5.5.5 to 10.0.0.0/8\n");
        assertThat(r.printed()).isEqualTo("flow esp in from 5.5.5.5 to 10.0.0.0/8 peer 5.5.5.5 type require\n");
    }

    @Test
    void flowToANetworkNeedsAPeer() {
        assertError("flow in from 10.0.0.0/8 to 1.1.1.1\n", "test.conf: 1: no peer specified for destination 1.1.1.1");
    }

    @Test
    void localAndPeerMayComeInEitherOrder() {
        ParseRun a = ParseRun.of("flow from 1.1.1.0/24 to 2.2.2.0/24 peer 9.9.9.9 local 8.8.8.8\n");
        ParseRun b = ParseRun.of("flow from 1.1.1.0/24 to 2.2.2.0/24 local 8.8.8.8 peer 9.9.9.9\n");
        assertThat(a.printed()).isEqualTo(b.printed()).startsWith(
                "flow esp out from 1.1.1.0/24 to 2.2.2.0/24 local 8.8.8.8 peer 9.9.9.9 type require\n");
    }

    @Test
    void ipv4NetworkKeepsTheTextWrittenButPrintsTheAddress() {
        ParseRun r = ParseRun.of("flow from 10.1/16 to 2.2.2.2\n");
        FlowRule f = r.rule(0, FlowRule.class);
        assertThat(f.src().name()).isEqualTo("10.1/16");
        assertThat(f.src().display()).isEqualTo("10.1.0.0/16");
    }

    @Test
    void hostnamesAndInterfacesResolveToEachAddress() {
        ParseRun r = ParseRun.of("flow from em0 to any peer gw.example.net\n");
        assertThat(r.printed()).isEqualTo("""
                flow esp out from 10.0.0.1 to 0.0.0.0/0 peer 192.0.2.1 type require
                flow esp in from 0.0.0.0/0 to 10.0.0.1 peer 192.0.2.1 type require
                flow esp out from fd00::1 to ::/0 peer 192.0.2.1 type require
                flow esp in from ::/0 to fd00::1 peer 192.0.2.1 type require
                """);
    }

    @Test
    void resolvedIpv6HostsKeepAHostMask() {
        // OpenBSD leaves a DNS-resolved IPv6 address with a /0 mask; Tandem does not
        ParseRun r = ParseRun.of("flow from ::5 to localhost\n");
        assertThat(r.printed()).startsWith("flow esp out from ::5 to ::1 peer ::1 type require\n");
    }

    @Test
    void unknownHostIsReported() {
        assertError("flow from nosuch.invalid to 1.1.1.1\n",
                "no IP address found for nosuch.invalid", "test.conf: 1: could not parse host specification");
    }

    @Test
    void invalidNetmaskIsReportedWithItsLine() {
        // OpenBSD exits without a line number here
        assertError("flow from \"1.1.1.0/200\" to 2.2.2.2\n", "test.conf: 1: invalid netmask '/200'",
                "test.conf: 1: could not parse host specification");
    }

    @Test
    void protocolAndPortErrors() {
        assertError("flow proto nosuchproto from 1.1.1.1 to 2.2.2.2\n", "test.conf: 1: unknown protocol: nosuchproto");
        assertError("flow proto 256 from 1.1.1.1 to 2.2.2.2\n", "test.conf: 1: protocol outside range");
        assertError("flow proto tcp from 1.1.1.1 port nosuchport to 2.2.2.2\n", "test.conf: 1: unknown port: nosuchport");
        assertError("flow proto tcp from 1.1.1.1 port 65536 to 2.2.2.2\n", "test.conf: 1: port outside range");
        assertError("flow proto icmp from 1.1.1.1 to 2.2.2.2 port 22\n",
                "test.conf: 1: no protocol supplied with source/destination ports");
    }

    @Test
    void sourceNatIsForFlowSourcesOnly() {
        assertError("flow from 1.1.1.1 to 2.2.2.0/24 (3.3.3.0/24) peer 4.4.4.4\n",
                "test.conf: 1: no flow NAT support for destination network: 2.2.2.0/24");
    }

    @Test
    void denyAndBypassFlowsCarryNoPeerOrIds() {
        ParseRun r = ParseRun.of("flow from 1.1.1.0/24 to 2.2.2.0/24 peer 3.3.3.3 srcid a.example dstid b.example type deny\n");
        assertThat(r.printed()).isEqualTo("""
                flow esp out from 1.1.1.0/24 to 2.2.2.0/24 type deny
                flow esp in from 2.2.2.0/24 to 1.1.1.0/24 type deny
                """);
        assertThat(r.rule(0, FlowRule.class).ids()).isNull();
    }

    // ---- manual SAs -----------------------------------------------------

    @Test
    void spiErrors() {
        String keys = " authkey " + AK256 + " enckey " + EK128 + "\n";
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 0" + keys, "test.conf: 1: no SPI specified");
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 100" + keys, "test.conf: 1: 100 within reserved spi range");
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 0x50" + keys, "test.conf: 1: 80 within reserved spi range");
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 0x1ffffffff" + keys, "test.conf: 1: 8589934591 not a valid spi");
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 4294967296" + keys, "test.conf: 1: 4294967296 not a valid spi");
        // silent in OpenBSD
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 12zz" + keys, "test.conf: 1: 12zz not a valid spi");
        assertError("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000:0x1g" + keys, "test.conf: 1: 0x1g not a valid spi");
    }

    @Test
    void transformErrors() {
        String h = "from 1.1.1.1 to 2.2.2.2 spi 0x1000 ";
        assertError("ah " + h + "enc aes authkey " + AK256 + "\n", "test.conf: 1: ah does not provide encryption");
        assertError("ah " + h + "comp deflate authkey " + AK256 + "\n", "test.conf: 1: ah does not provide compression");
        assertError("esp " + h + "enc aes-128-gcm enckey 0x" + "ee".repeat(20) + "\n",
                "test.conf: 1: aes-128-gcm is disallowed with static keys");
        assertError("ipip " + h + "auth hmac-sha1\n",
                "test.conf: 1: no encryption, authentication or compression with ipip");
        assertError("esp " + h + "enc nosuchcipher authkey " + AK256 + " enckey " + EK128 + "\n",
                "test.conf: 1: nosuchcipher not a valid transform");
        assertError("esp " + h + "auth hmac-sha1 auth hmac-md5 authkey " + AK160 + " enckey " + EK128 + "\n",
                "test.conf: 1: auth already set");
    }

    @Test
    void keyErrors() {
        String h = "esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 ";
        assertError(h + "enckey " + EK128 + "\n", "test.conf: 1: no authentication key specified");
        assertError(h + "auth hmac-sha1 authkey " + AK256 + " enckey " + EK128 + "\n",
                "test.conf: 1: wrong authentication key length, needs to be 160 bits");
        assertError(h + "authkey " + AK256 + "\n", "test.conf: 1: no encryption key specified");
        assertError(h + "authkey " + AK256 + " enckey 0x0102030405060708\n",
                "test.conf: 1: encryption key too short (64 bits), minimum 128 bits");
        assertError(h + "enc 3des authkey " + AK256 + " enckey 0x" + "ee".repeat(32) + "\n",
                "test.conf: 1: encryption key too long (256 bits), maximum 192 bits");
        assertError(h + "authkey 0x" + "zz" + "aa".repeat(31) + " enckey " + EK128 + "\n",
                "test.conf: 1: keys need to be specified in hex digits");
        assertError(h + "authkey file \"/nope\" enckey " + EK128 + "\n",
                "test.conf: 1: cannot read key file /nope: No such file or directory");
    }

    @Test
    void keysFromFilesAndNullEncryption() {
        ParseRun r = ParseRun.of("esp transport from 1.1.1.1 to 2.2.2.2 spi 0x1000 enc null auth hmac-sha1 "
                + "authkey file \"/ak160\"\n");
        assertThat(r.printed()).isEqualTo("esp transport from 1.1.1.1 to 2.2.2.2 spi 0x00001000 auth hmac-sha1 enc null"
                + " \\\n\tauthkey 0x" + "aa".repeat(20) + "\n");
    }

    @Test
    void authNoneNeedsNoKey() {
        ParseRun r = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 auth none enckey " + EK128 + "\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.printed()).startsWith("esp tunnel from 1.1.1.1 to 2.2.2.2 spi 0x00001000 auth none enc aes");
    }

    @Test
    void udpEncapsulationIsKeptInTheModelButNotPrinted() {
        ParseRun r = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000:0x1001 udpencap port 4500 authkey "
                + AK256 + ":" + AK256 + " enckey " + EK128 + ":" + EK128 + "\n");
        assertThat(r.rule(0, SaRule.class).udpEncap()).isEqualTo(new SaRule.UdpEncap(4500));
        assertThat(r.rule(1, SaRule.class).udpEncap()).isEqualTo(new SaRule.UdpEncap(4500));
        assertThat(r.printed()).doesNotContain("udpencap");
        ParseRun dflt = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 udpencap authkey " + AK256
                + " enckey " + EK128 + "\n");
        assertThat(dflt.rule(0, SaRule.class).udpEncap()).isEqualTo(new SaRule.UdpEncap(0));
    }

    @Test
    void aReverseSaWithoutKeysMakesIpsecctlGiveUp() {
        assertThatThrownBy(() -> ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000:0x1001 authkey " + AK256
                + " enckey " + EK128 + "\n"))
                .isInstanceOf(ConfigAbort.class).hasMessage("sarule: expand_rule");
    }

    @Test
    void keysNeverAppearInToString() {
        ParseRun r = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 authkey " + AK256 + " enckey " + EK128 + "\n");
        SaRule sa = r.rule(0, SaRule.class);
        assertThat(sa.toString()).doesNotContain("aaaa").doesNotContain("eeee").contains("Key[32 bytes]");
    }

    // ---- ike rules ------------------------------------------------------

    @Test
    void aggressiveModeLifetimesAndTag() {
        ParseRun r = ParseRun.of("ike esp from 1.1.1.1 to 2.2.2.2 aggressive lifetime 10m quick lifetime 2h "
                + "psk s3cret tag vpn\n");
        assertThat(r.printed())
                .contains("C set [phase1-peer-2.2.2.2]:EXCHANGE_TYPE=AGGRESSIVE force\n")
                .contains("-life]:LIFE_DURATION=600 force\n")
                .contains("-life]:LIFE_DURATION=7200 force\n")
                .contains("C set [from-1.1.1.1-to-2.2.2.2]:PF-Tag=vpn force\n")
                .contains("C set [peer-2.2.2.2]:Authentication=s3cret force\n");
    }

    @Test
    void lifetimeErrors() {
        assertError("ike from 1.1.1.1 to 2.2.2.2 main lifetime 10x\n", "test.conf: 1: invalid time unit: 10x");
        assertError("ike from 1.1.1.1 to 2.2.2.2 main lifetime -5\n", "test.conf: 1: lifetime outside range");
    }

    @Test
    void quickGroupNoneDisablesPfs() {
        ParseRun r = ParseRun.of("ike from 1.1.1.1 to 2.2.2.2 quick group none\n");
        String t = "phase2-transform-from-1.1.1.1-to-2.2.2.2-AES128-SHA2_256-NONE-TUNNEL";
        assertThat(r.printed()).contains("Transforms=" + t + " force\n").doesNotContain("[" + t + "]:GROUP_DESCRIPTION");
    }

    @Test
    void gcmInQuickModeCarriesItsOwnIntegrity() {
        ParseRun r = ParseRun.of("ike from 1.1.1.1 to 2.2.2.2 quick enc aes-256-gcm group ecp256\n");
        String t = "phase2-transform-from-1.1.1.1-to-2.2.2.2-AES_GCM_16256-NONE-ECP_256-TUNNEL";
        assertThat(r.printed()).contains("[" + t + "]:TRANSFORM_ID=AES_GCM_16 force\n")
                .contains("[" + t + "]:KEY_LENGTH=256,256:256 force\n")
                .doesNotContain("[" + t + "]:AUTHENTICATION_ALGORITHM");
        assertError("ike from 1.1.1.1 to 2.2.2.2 quick enc aes-256-gcm auth hmac-sha1\n",
                "test.conf: 1: authentication is implicit for aes-256-gcm");
    }

    @Test
    void routeBasedInterfaceRule() {
        ParseRun r = ParseRun.of("ike interface sec7 peer 2.2.2.2 psk x\n");
        assertThat(r.printed())
                .contains("C set [from-sec7-to-sec7]:Local-ID=from-sec7 force\n")
                .contains("C set [from-sec7-to-sec7]:Interface=7 force\n")
                .contains("C set [from-sec7]:Network=0.0.0.0 force\n")
                .contains("C set [from-sec7]:Netmask=0.0.0.0 force\n");
        assertError("ike interface em0 peer 2.2.2.2\n", "test.conf: 1: invalid sec interface name");
        assertError("ike interface secX peer 2.2.2.2\n", "test.conf: 1: invalid sec interface unit: invalid");
    }

    @Test
    void dynamicRuleUsesTheHostNameAsIdentity() {
        ParseRun r = ParseRun.of("ike dynamic from 1.1.1.1 to 2.2.2.2\n");
        assertThat(r.printed()).startsWith("C set [General]:Check-interval=30 force\n"
                + "C set [General]:DPD-check-interval=5 force\n")
                .contains("C set [peer-2.2.2.2]:ID=id-gw1.example.net force\n"
                        + "C set [id-gw1.example.net]:ID-type=FQDN force\n"
                        + "C set [id-gw1.example.net]:Name=gw1.example.net force\n");
    }

    @Test
    void defaultPeerRulesThatDisagreeAreWarnedAbout() {
        ParseRun r = ParseRun.of("ike from 1.1.1.0/24 to 2.2.2.0/24 psk a\nike from 3.3.3.0/24 to 4.4.4.0/24 psk b\n"
                + "ike from 5.5.5.0/24 to 6.6.6.0/24 aggressive\n");
        assertThat(r.diagnostics()).containsExactly(
                "test.conf: 2: default peer psk mismatch",
                "test.conf: 3: default peer phase 1 auth mismatch",
                "test.conf: 3: default peer phase 1 mode mismatch");
        assertThat(r.ok()).as("warnings only").isTrue();
    }

    @Test
    void peerAnyMeansTheDefaultPeer() {
        ParseRun r = ParseRun.of("ike from 1.1.1.1 to 2.2.2.2 peer any\n");
        assertThat(r.rule(0, IkeRule.class).peer()).isNull();
        assertThat(r.printed()).startsWith("C set [Phase 1]:Default=peer-default force\n");
    }

    @Test
    void ikeRuleModelCarriesEverythingWritten() {
        ParseRun r = ParseRun.of("ike passive esp transport proto udp from 1.1.1.1 port 500 to 2.2.2.2 port 500 "
                + "local 1.1.1.1 peer 2.2.2.2 main auth hmac-sha2-256 enc aes-256 group modp2048 "
                + "quick enc aes-128 group none srcid a@b.example dstid 2.2.2.2 psk hushhush tag t\n");
        IkeRule ike = r.rule(0, IkeRule.class);
        assertThat(ike.mode()).isEqualTo(IkeMode.PASSIVE);
        assertThat(ike.tunnelMode()).isEqualTo(TunnelMode.TRANSPORT);
        assertThat(ike.proto()).isEqualTo(17);
        assertThat(ike.srcPort()).isEqualTo(500);
        assertThat(ike.local().display()).isEqualTo("1.1.1.1");
        assertThat(ike.phase1().exchange()).isEqualTo(Phase1Exchange.MAIN);
        assertThat(ike.phase1().transforms())
                .isEqualTo(new Transforms(AuthAlgorithm.HMAC_SHA2_256, EncAlgorithm.AES_256, null, DhGroup.MODP_2048));
        assertThat(ike.phase2().transforms()).isEqualTo(new Transforms(null, EncAlgorithm.AES_128, null, DhGroup.NONE));
        assertThat(ike.ids().srcType()).isEqualTo(IdType.USER_FQDN);
        assertThat(ike.ids().dstType()).isEqualTo(IdType.IPV4_ADDR);
        assertThat(ike.auth().psk()).isEqualTo("hushhush");
        assertThat(ike.toString()).doesNotContain("hushhush").contains("IkeAuth[psk]");
        assertThat(ike.tag()).isEqualTo("t");
    }

    @Test
    void transformNamesMatchByPrefixInTableOrder() {
        assertThat(EncAlgorithm.byPrefix("3des")).contains(EncAlgorithm.TDES_CBC);
        assertThat(EncAlgorithm.byPrefix("aes-1")).contains(EncAlgorithm.AES_128);
        assertThat(AuthAlgorithm.byPrefix("hmac-sha2")).contains(AuthAlgorithm.HMAC_SHA2_256);
        assertThat(DhGroup.byPrefix("grp14")).contains(DhGroup.MODP_2048);
        assertThat(DhGroup.byPrefix("modp")).contains(DhGroup.MODP_768);
        assertThat(EncAlgorithm.byPrefix("des")).isEmpty();
    }
}
