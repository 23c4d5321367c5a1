package dev.tandem.conf.sasyncd;

import static dev.tandem.conf.sasyncd.Conf.HEX16;
import static dev.tandem.conf.sasyncd.Conf.REQUIRED;
import static dev.tandem.conf.sasyncd.Conf.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.net.IpAddress;
import org.junit.jupiter.api.Test;

class SasyncdConfTest {

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    @Test
    void defaultsOfTheMinimalFile() {
        Conf c = Conf.run();
        SasyncdConf conf = c.ok(REQUIRED);
        assertThat(conf.interfaceName()).isEqualTo("carp0");
        assertThat(conf.group()).isEqualTo("carp");
        assertThat(conf.flushMode()).isEqualTo(FlushMode.STARTUP);
        assertThat(conf.listen()).isEmpty();
        assertThat(conf.port()).isEqualTo(500);
        assertThat(conf.mode()).isEqualTo(RunMode.CARP);
        assertThat(conf.skipSlave()).isFalse();
        assertThat(conf.peers()).isEmpty();
        assertThat(conf.control()).isEqualTo(ControlTarget.ISAKMPD);
        assertThat(conf.sharedKey().bytes()).containsExactly(
                0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
        assertThat(c.warnings).isEmpty();
    }

    @Test
    void theManPageExample() {
        SasyncdConf conf = Conf.run().ok("""
                interface carp0
                group carp
                listen on 10.0.0.1
                peer 10.0.0.2
                sharedkey 0x8f3c0e1d2a4b6c7d8e9f00112233445566778899aabbccddeeff001122334455
                flushmode startup
                control isakmpd
                """);
        assertThat(conf.listen()).containsExactly(new Listen("10.0.0.1", Listen.Family.INET, 500));
        assertThat(conf.peers()).containsExactly(ip("10.0.0.2"));
        assertThat(conf.sharedKey().length()).isEqualTo(32);
    }

    @Test
    void groupSetsTheDemotionGroup() {
        assertThat(Conf.run().ok(REQUIRED + "group vpn").group()).isEqualTo("vpn");
    }

    @Test
    void everyFlushMode() {
        assertThat(Conf.run().ok(REQUIRED + "flushmode sync").flushMode()).isEqualTo(FlushMode.SYNC);
        assertThat(Conf.run().ok(REQUIRED + "flushmode startup").flushMode()).isEqualTo(FlushMode.STARTUP);
        assertThat(Conf.run().ok(REQUIRED + "flushmode never").flushMode()).isEqualTo(FlushMode.NEVER);
        assertThat(Conf.run().ok(REQUIRED + "flushmode never flushmode never").flushMode())
                .isEqualTo(FlushMode.NEVER);
    }

    @Test
    void everyMode() {
        SasyncdConf master = Conf.run().ok(REQUIRED + "mode master");
        assertThat(master.mode()).isEqualTo(RunMode.MASTER);
        assertThat(master.skipSlave()).isFalse();
        assertThat(Conf.run().ok(REQUIRED + "mode slave").mode()).isEqualTo(RunMode.SLAVE);
        SasyncdConf skip = Conf.run().ok(REQUIRED + "mode skipslave");
        assertThat(skip.mode()).isEqualTo(RunMode.CARP);
        assertThat(skip.skipSlave()).isTrue();
    }

    @Test
    void skipslaveCombinesWithALockedMode() {
        SasyncdConf conf = Conf.run().ok(REQUIRED + "mode skipslave\nmode slave\n");
        assertThat(conf.mode()).isEqualTo(RunMode.SLAVE);
        assertThat(conf.skipSlave()).isTrue();
    }

    @Test
    void aLaterModeReplacesAnEarlierOneWithAWarning() {
        Conf c = Conf.run();
        assertThat(c.ok(REQUIRED + "mode master\nmode slave\n").mode()).isEqualTo(RunMode.SLAVE);
        assertThat(c.warnings).containsExactly(at(4, "mode slave replaces mode master from line 3"));
    }

    @Test
    void everyControlTarget() {
        assertThat(Conf.run().ok(REQUIRED + "control isakmpd").control()).isEqualTo(ControlTarget.ISAKMPD);
        assertThat(Conf.run().ok(REQUIRED + "control iked").control()).isEqualTo(ControlTarget.IKED);
        assertThat(Conf.run().ok(REQUIRED + "control all").control()).isEqualTo(ControlTarget.ALL);
        assertThat(Conf.run().ok(REQUIRED + "control none").control()).isEqualTo(ControlTarget.NONE);
    }

    @Test
    void controlNamesAreNotKeywordsSoTheyWorkAsNames() {
        SasyncdConf conf = Conf.run().ok("interface all\ngroup none\nsharedkey " + HEX16);
        assertThat(conf.interfaceName()).isEqualTo("all");
        assertThat(conf.group()).isEqualTo("none");
    }

    @Test
    void laterInterfaceGroupAndControlWinWithWarnings() {
        Conf c = Conf.run();
        SasyncdConf conf = c.ok(REQUIRED + "interface carp1\ngroup a\ngroup b\ncontrol iked\ncontrol none\n");
        assertThat(conf.interfaceName()).isEqualTo("carp1");
        assertThat(conf.group()).isEqualTo("b");
        assertThat(conf.control()).isEqualTo(ControlTarget.NONE);
        assertThat(c.warnings).containsExactly(
                at(3, "interface is set again: 'carp1' replaces the one from line 1"),
                at(5, "group is set again: 'b' replaces the one from line 4"),
                at(7, "control none replaces control iked from line 6"));
    }

    @Test
    void statementsMaySpanLinesAndShareThem() {
        SasyncdConf conf = Conf.run().ok("interface\n\ncarp3 peer\n10.0.0.2 peer 10.0.0.3\n"
                + "listen\non\n  em0\ninet6\tport\n\n\n1234 sharedkey\r\n" + HEX16 + " mode master");
        assertThat(conf.interfaceName()).isEqualTo("carp3");
        assertThat(conf.peers()).containsExactly(ip("10.0.0.2"), ip("10.0.0.3"));
        assertThat(conf.listen()).containsExactly(new Listen("em0", Listen.Family.INET6, 1234));
        assertThat(conf.port()).isEqualTo(1234);
        assertThat(conf.mode()).isEqualTo(RunMode.MASTER);
    }

    @Test
    void theWholeFileOnOneLine() {
        SasyncdConf conf = Conf.run().ok("interface carp0 sharedkey " + HEX16 + " flushmode never control all");
        assertThat(conf.flushMode()).isEqualTo(FlushMode.NEVER);
        assertThat(conf.control()).isEqualTo(ControlTarget.ALL);
    }

    @Test
    void commentsRunToTheEndOfTheLineAndMayEndAWord() {
        SasyncdConf conf = Conf.run().ok("""
                # replication between the two gateways
                interface carp0#the carp interface
                peer 10.0.0.2 # the other gateway
                #peer 10.0.0.9
                sharedkey %s#secret
                   # indented comment
                group vpn""".formatted(HEX16));
        assertThat(conf.interfaceName()).isEqualTo("carp0");
        assertThat(conf.peers()).containsExactly(ip("10.0.0.2"));
        assertThat(conf.group()).isEqualTo("vpn");
    }

    @Test
    void ipv4AndIpv6PeersKeepTheirOrder() {
        SasyncdConf conf = Conf.run().ok(REQUIRED
                + "peer 2001:db8::2\npeer 192.0.2.7\npeer ::ffff:10.1.1.1\npeer 2001:DB8:0:0::3\n");
        assertThat(conf.peers()).containsExactly(ip("2001:db8::2"), ip("192.0.2.7"), ip("::ffff:10.1.1.1"),
                ip("2001:db8::3"));
    }

    @Test
    void listenOnAnAddress() {
        SasyncdConf conf = Conf.run().ok(REQUIRED + "listen on 192.0.2.1");
        Listen l = conf.listen().getFirst();
        assertThat(l.address()).contains(ip("192.0.2.1"));
        assertThat(l.isInterface()).isFalse();
        assertThat(l.family()).isEqualTo(Listen.Family.INET);
        assertThat(l.port()).isEqualTo(500);
    }

    @Test
    void listenOnAnIpv6AddressAndThePortGoesEverywhere() {
        SasyncdConf conf = Conf.run().ok(REQUIRED + "listen on 2001:db8::1 port 4500");
        assertThat(conf.listen()).containsExactly(new Listen("2001:db8::1", Listen.Family.INET6, 4500));
        assertThat(conf.port()).isEqualTo(4500);
    }

    @Test
    void listenOnTheIpv6Wildcard() {
        SasyncdConf conf = Conf.run().ok(REQUIRED + "listen on :: inet6");
        assertThat(conf.listen().getFirst().address()).contains(IpAddress.zero(IpAddress.Family.INET6));
    }

    @Test
    void listenOnAnInterfaceWithOrWithoutAFamily() {
        assertThat(Conf.run().ok(REQUIRED + "listen on em0").listen())
                .containsExactly(new Listen("em0", Listen.Family.ANY, 500));
        assertThat(Conf.run().ok(REQUIRED + "listen on em0 inet").listen())
                .containsExactly(new Listen("em0", Listen.Family.INET, 500));
        assertThat(Conf.run().ok(REQUIRED + "listen on eth0.100 inet6 port 600").listen())
                .containsExactly(new Listen("eth0.100", Listen.Family.INET6, 600));
        assertThat(Conf.run().ok(REQUIRED + "listen on em0").listen().getFirst().isInterface()).isTrue();
    }

    @Test
    void ipv4AndIpv6ListenersSideBySide() {
        SasyncdConf conf = Conf.run().ok(REQUIRED
                + "listen on 0.0.0.0 port 8000\nlisten on :: port 8000\nlisten on em1 inet6 port 8000\n");
        assertThat(conf.listen()).containsExactly(
                new Listen("0.0.0.0", Listen.Family.INET, 8000),
                new Listen("::", Listen.Family.INET6, 8000),
                new Listen("em1", Listen.Family.INET6, 8000));
        assertThat(conf.port()).isEqualTo(8000);
    }

    @Test
    void aFamilyThatContradictsTheAddressIsIgnoredWithAWarning() {
        Conf c = Conf.run();
        SasyncdConf conf = c.ok(REQUIRED + "listen on 10.0.0.1 inet6");
        assertThat(conf.listen()).containsExactly(new Listen("10.0.0.1", Listen.Family.INET, 500));
        assertThat(c.warnings).containsExactly(at(3, "inet6 does not apply to the address '10.0.0.1' and is"
                + " ignored; inet and inet6 only choose among an interface's addresses"));
    }

    @Test
    void explicitPorts() {
        assertThat(Conf.run().ok(REQUIRED + "listen on em0 port 1").port()).isEqualTo(1);
        assertThat(Conf.run().ok(REQUIRED + "listen on em0 port 65535").port()).isEqualTo(65535);
        assertThat(Conf.run().ok(REQUIRED + "listen on em0 port 0501").port()).isEqualTo(501);
    }

    @Test
    void portsOutOfRangeAreResetTo500WithAWarning() {
        for (String bad : new String[] {"0", "65536", "70000", "99999999999999999999"}) {
            Conf c = Conf.run();
            SasyncdConf conf = c.ok(REQUIRED + "listen on em0 port " + bad);
            assertThat(conf.port()).as(bad).isEqualTo(500);
            assertThat(conf.listen().getFirst().port()).isEqualTo(500);
            assertThat(c.warnings).containsExactly(at(3, "bad port " + bad + ": listen port reset to 500,"
                    + " as OpenBSD's sasyncd does (a port is 1 to 65535)"));
        }
    }

    @Test
    void toStringNeverShowsTheKey() {
        String text = "interface carp0\nsharedkey abcdefghijklmnopqrstuvwxyz012345\n";
        SasyncdConf conf = Conf.run().ok(text);
        assertThat(conf.toString())
                .doesNotContain("abcdefghijklmnop")
                .doesNotContain("6162636465")
                .contains("SharedKey[256 bits, hidden]");
        SasyncdConf hex = Conf.run().ok(REQUIRED);
        assertThat(hex.toString()).doesNotContain("00112233").doesNotContain("ccddeeff")
                .contains("SharedKey[128 bits, hidden]");
    }

    @Test
    void theRecordsListsCannotBeChanged() {
        SasyncdConf conf = Conf.run().ok(REQUIRED + "peer 10.0.0.2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> conf.peers().add(ip("10.0.0.3")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
