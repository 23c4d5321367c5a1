package dev.tandem.conf.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CarpConfTest {

    private static final Path FILE = Path.of("/etc/tandem/carp.conf");
    private final List<String> warnings = new ArrayList<>();

    private CarpConf parse(String text) throws CarpConf.Invalid {
        return CarpConf.parse(FILE, text, warnings::add);
    }

    private static InterfaceAddress net(String a, int p) {
        return new InterfaceAddress(IpAddress.parse(a).orElseThrow(), p);
    }

    @Test
    void theIssueExampleLine() throws Exception {
        CarpConf c = parse("carp0 vhid 1 carpdev wan0 pass secret advbase 1 advskew 100 198.51.100.1/24\n");
        assertThat(c.interfaces()).hasSize(1);
        CarpInterfaceConf i = c.interfaces().getFirst();
        assertThat(i.name()).isEqualTo("carp0");
        assertThat(i.line()).isEqualTo(1);
        assertThat(i.vhid()).isEqualTo(1);
        assertThat(i.carpdev()).isEqualTo("wan0");
        assertThat(i.pass()).isEqualTo("secret");
        assertThat(i.advbase()).isEqualTo(1);
        assertThat(i.advskew()).isEqualTo(100);
        assertThat(i.vips()).containsExactly(net("198.51.100.1", 24));
        assertThat(i.carppeer()).isNull();
        assertThat(i.preempt()).isFalse();
        assertThat(i.auth()).isEqualTo(CarpAuthMode.OPENBSD);
        assertThat(i.allGroups()).containsExactly("carp");
        assertThat(i.toString()).doesNotContain("secret").contains("pass <hidden>");
        assertThat(warnings).isEmpty();
    }

    @Test
    void defaultsCommentsQuotesAndSeveralInterfaces() throws Exception {
        CarpConf c = parse("""
                # the WAN side
                net.inet.carp.preempt=1
                carp0 vhid 1 carpdev wan0 pass "two words" 198.51.100.1/24 2001:db8::1/64   # both families

                carp1 vhid 2 carpdev lan0 -preempt group lan group uplinks carppeer 10.0.0.2 auth strict pass k \
                """ + "10.1.0.1 netmask 255.255.255.0 hook /etc/tandem/carp-hook\n");
        assertThat(c.preempt()).isTrue();
        CarpInterfaceConf a = c.interfaces().get(0);
        CarpInterfaceConf b = c.interfaces().get(1);
        assertThat(a.pass()).isEqualTo("two words");
        assertThat(a.advbase()).isEqualTo(1);
        assertThat(a.advskew()).isZero();
        assertThat(a.preempt()).isTrue();
        assertThat(a.vips()).containsExactly(net("198.51.100.1", 24), net("2001:db8::1", 64));
        assertThat(b.line()).isEqualTo(5);
        assertThat(b.preempt()).isFalse();
        assertThat(b.allGroups()).containsExactly("carp", "lan", "uplinks");
        assertThat(b.carppeer()).isEqualTo(IpAddress.parse("10.0.0.2").orElseThrow());
        assertThat(b.auth()).isEqualTo(CarpAuthMode.STRICT);
        assertThat(b.vips()).containsExactly(net("10.1.0.1", 24));
        assertThat(b.hook()).isEqualTo(Path.of("/etc/tandem/carp-hook"));
    }

    @Test
    void hostnameStyleWordsAreAccepted() throws Exception {
        CarpConf c = parse("carp0 inet 192.0.2.10 netmask 0xffffff00 vhid 3 carpdev em0 advskew 254 advbase 0 up\n");
        CarpInterfaceConf i = c.interfaces().getFirst();
        assertThat(i.vips()).containsExactly(net("192.0.2.10", 24));
        assertThat(i.advbase()).isZero();
        assertThat(i.advskew()).isEqualTo(254);
    }

    @Test
    void aBareAddressIsAHost() throws Exception {
        assertThat(parse("carp0 vhid 1 carpdev em0 192.0.2.10\n").interfaces().getFirst().vips())
                .containsExactly(net("192.0.2.10", 32));
    }

    @Test
    void aLongOpenBsdPassIsAcceptedWithAWarning() throws Exception {
        parse("carp0 vhid 1 carpdev em0 pass 01234567890123456789 192.0.2.10/24\n");
        assertThat(warnings).singleElement().asString()
                .startsWith(FILE + ": 1: carp0: pass is longer than 19 bytes");
        warnings.clear();
        parse("carp0 vhid 1 carpdev em0 auth strict pass 01234567890123456789 192.0.2.10/24\n");
        assertThat(warnings).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "carp0 carpdev em0 192.0.2.1/24                      | 1: carp0: vhid is missing",
        "carp0 vhid 1 192.0.2.1/24                           | 1: carp0: carpdev is missing",
        "carp0 vhid 1 carpdev em0                            | 1: carp0: no address",
        "carp0 vhid 0 carpdev em0 192.0.2.1/24               | 1: vhid 0 is out of range 1..255",
        "carp0 vhid 256 carpdev em0 192.0.2.1/24             | 1: vhid 256 is out of range 1..255",
        "carp0 vhid x carpdev em0 192.0.2.1/24               | 1: vhid must be a number, not \"x\"",
        "carp0 vhid 1 carpdev em0 advskew 255 192.0.2.1/24   | 1: advskew 255 is out of range 0..254",
        "carp0 vhid 1 carpdev em0 advbase 256 192.0.2.1/24   | 1: advbase 256 is out of range 0..255",
        "carp0 vhid 1 carpdev em0 advbase                    | 1: advbase needs an argument",
        "carp0 vhid 1 carpdev em0 advskw 5 192.0.2.1/24      | 1: unknown keyword or bad address \"advskw\"",
        "carp0 vhid 1 carpdev em0 192.0.2.1/33               | 1: prefix length of \"192.0.2.1/33\" is out of range 0..32",
        "carp0 vhid 1 carpdev em0 carppeer 2001:db8::1 192.0.2.1/24 | 1: carppeer must be an IPv4 address, not \"2001:db8::1\"",
        "carp0 vhid 1 carpdev em0 auth sha256 192.0.2.1/24   | 1: auth must be openbsd or strict, not \"sha256\"",
        "carp0 vhid 1 carpdev em0 auth strict 192.0.2.1/24   | 1: carp0: auth strict needs a pass",
        "carp0 vhid 1 carpdev em0 hook carp.sh 192.0.2.1/24  | 1: hook must be an absolute path, not \"carp.sh\"",
        "carp0 vhid 1 carpdev em0 carpnodes 1:0,2:100 192.0.2.1/24 | 1: carpnodes: load balancing is not supported; use one vhid per line",
        "carp0 vhid 1 carpdev em0 192.0.2.1 netmask 255.0.255.0 | 1: netmask 255.0.255.0 is not contiguous",
        "carp0 vhid 1 carpdev em0 pass \"open 192.0.2.1/24   | 1: unterminated quote",
        "net.inet.carp.preempt=2                             | 1: net.inet.carp.preempt must be 0 or 1, not 2",
        "net.inet.carp.allow=1                               | 1: unknown setting net.inet.carp.allow=1 (only net.inet.carp.preempt is understood)",
        "0carp vhid 1 carpdev em0 192.0.2.1/24               | 1: bad interface name \"0carp\"",
    })
    void badLinesNameFileLineAndProblem(String line, String message) {
        assertThatThrownBy(() -> parse(line.strip() + "\n"))
                .isInstanceOf(CarpConf.Invalid.class)
                .hasMessage(FILE + ": " + message);
    }

    @Test
    void everyProblemOfTheFileIsReportedAndDuplicatesAreCaught() {
        assertThatThrownBy(() -> parse("""
                carp0 vhid 1 carpdev em0 192.0.2.1/24
                carp0 vhid 2 carpdev em0 192.0.2.2/24
                carp1 vhid 1 carpdev em0 192.0.2.3/24
                carp2 vhid 1 carpdev em1 192.0.2.4/24
                carp3 vhid 9
                """))
                .isInstanceOfSatisfying(CarpConf.Invalid.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ": 5: carp3: carpdev is missing",
                        FILE + ": 2: carp0 is already defined on line 1",
                        FILE + ": 3: vhid 1 on em0 is already used on line 1"));
    }

    @Test
    void sameSettingsIgnoresTheLineNumber() throws Exception {
        CarpInterfaceConf a = parse("carp0 vhid 1 carpdev em0 192.0.2.1/24\n").interfaces().getFirst();
        CarpInterfaceConf b = parse("\n\ncarp0 vhid 1 carpdev em0 192.0.2.1/24\n").interfaces().getFirst();
        CarpInterfaceConf c = parse("carp0 vhid 1 carpdev em0 advskew 1 192.0.2.1/24\n").interfaces().getFirst();
        assertThat(a.sameSettings(b)).isTrue();
        assertThat(a.sameSettings(c)).isFalse();
    }
}
