package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code tandem sync}: help and the answer when no daemon listens. */
class SyncCommandTest {

    @Test
    void helpNamesStatus() {
        CliRun r = CliRun.of("", "sync", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("status");
    }

    @Test
    void withoutADaemonItSaysWhereItLooked() {
        CliRun r = CliRun.of("", "sync", "status", "--json", "--control", "/nonexistent/tandemd.sock");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("tandem: no tandemd reachable at /nonexistent/tandemd.sock");
    }
}
