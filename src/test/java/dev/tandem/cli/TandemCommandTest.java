package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level command and the interim demo. */
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
    void demoSaysPlainlyWhatIsNotBuiltAndShowsTheParsedExample() {
        CliRun r = CliRun.of("", "demo");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("NOT BUILT YET")
                .contains("ike esp from $local_net to $remote_net local $vip peer $remote_gw")
                .contains("C add [Phase 2]:Connections=from-10.1.0.0/16-to-10.2.0.0/16\n")
                .contains("Authentication=******** force")
                .doesNotContain("example-only-change-me force");
        for (String[] part : DemoCommand.PARTS) {
            assertThat(r.out()).contains(part[1]);
        }
        assertThat(r.out()).containsPattern("not built +the failover demo");
        // the tunnel part: six packets through ESP, the replayed and the altered one dropped
        assertThat(r.out().lines().filter(l -> l.contains(" ESP spi 0x0000100") && l.endsWith("delivered")))
                .hasSize(6);
        assertThat(r.out()).contains("gwb dropped them: replay 1, bad-icv 1")
                .contains("counters packets 5 bytes 175 bad-icv 1 replay 1");
        // the CARP part: a is master, dies, b takes the VIP within its master-down time
        assertThat(r.out()).contains("a: carp0 (vhid 1): BACKUP -> MASTER")
                .contains("b: carp0 (vhid 1): BACKUP -> MASTER: no advertisement for 234 ms from 192.0.2.1")
                .containsPattern("b holds the VIP (1\\d\\d|2[0-3]\\d)\\.\\d ms after the kill");
    }
}
