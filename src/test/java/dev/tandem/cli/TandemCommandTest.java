package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.lab.LabDemo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The top-level command and the demo. */
class TandemCommandTest {

    @Test
    void helpListsTheSubcommands() {
        CliRun r = CliRun.of("", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("ipsecctl").contains("demo").contains("help");
    }

    @Test
    void unknownSubcommandFails() {
        CliRun r = CliRun.of("", "nosuchcommand");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("nosuchcommand");
    }

    @Test
    void theDemoShowsAFailoverThePeerNeverNotices() {
        CliRun r = CliRun.of("", "demo");
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("ike passive esp from 10.1.0.0/24 to 10.2.0.0/24 local 192.0.2.100 peer 192.0.2.3")
                .contains("sharedkey ********").doesNotContain("0x00112233")
                .contains("n0, the master, loses power")
                .contains("n1: carp0 (vhid 1): BACKUP -> MASTER: no advertisement for 468 ms from 192.0.2.11")
                .containsPattern("renegotiations \\(new phase 1\\) +0\n")
                .containsPattern("replay / bad ICV / no-SA drops +0\n")
                .contains("yes: n1 held the same cookies before the failover")
                .contains("The peer never noticed");
        Matcher gap = Pattern.compile("gap cluster->peer +(\\d+) ms").matcher(r.out());
        assertThat(gap.find()).isTrue();
        assertThat(Integer.parseInt(gap.group(1))).isBetween(1, 669);
        // after the takeover a quick mode rekey runs over the same IKE SA
        Matcher ike = Pattern.compile("IKE SA \\(cookies\\) +(\\S+) +(\\S+)").matcher(r.out());
        assertThat(ike.find()).isTrue();
        assertThat(ike.group(2)).isEqualTo(ike.group(1));
        assertThat(r.out()).contains("peer: CHILD SA").containsPattern("over IKE SA " + ike.group(1));
        assertThat(r.out().lines().filter(l -> l.contains("peer: CHILD SA")).count()).isGreaterThan(1);
    }

    @Test
    void theDemoIsTheSameForTheSameSeed() {
        CliRun a = CliRun.of("", "demo", "--seed", "7");
        CliRun b = CliRun.of("", "demo", "--seed", "7");
        CliRun c = CliRun.of("", "demo", "--seed", "8");
        assertThat(a.status()).as(a.out()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
        assertThat(c.status()).as(c.out()).isZero();
        assertThat(c.out()).isNotEqualTo(a.out());
    }

    @Test
    void theLabDemoSaysWhyItCannotRun() {
        assertThat(LabDemo.unavailable(false, true)).contains("needs root").contains("sudo ./tandem demo --lab")
                .contains("./tandem demo runs the same failover on a simulated network");
        assertThat(LabDemo.unavailable(true, false)).contains("needs strongSwan").contains("/usr/lib/ipsec/charon")
                .contains("apt-get install strongswan-charon strongswan-swanctl");
        assertThat(LabDemo.unavailable(true, true)).isNull();
    }
}
