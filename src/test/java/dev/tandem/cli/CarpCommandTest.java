package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code tandem carp}: argument checks that happen before the daemon is asked. */
class CarpCommandTest {

    @Test
    void helpNamesTheSubcommands() {
        CliRun r = CliRun.of("", "carp", "--help");
        assertThat(r.out()).contains("status").contains("demote");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "+x", "--1", "+256", "-1000"})
    void aBadChangeIsRefusedBeforeAnythingIsSent(String delta) {
        CliRun r = CliRun.of("", "carp", "demote", "--control", "/nonexistent/tandemd.sock", delta);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("tandem carp demote: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+1", "+255"})
    void aNegativeChangeIsNotAnOptionAndGoesToTheDaemon(String delta) {
        CliRun r = CliRun.of("", "carp", "demote", "--control", "/nonexistent/tandemd.sock", "uplinks", delta);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("tandem: no tandemd reachable at /nonexistent/tandemd.sock");
    }
}
