package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ipsecctl command line: flags, output format, exit codes, and what needs the daemon. */
class IpsecctlCliTest {

    private static final String FLOW = "flow from 1.1.1.1 to 2.2.2.2\n";

    @Test
    void doubleVerboseNumbersEachRuleAndOnlyTheFirstLineOfAnIkeRule() {
        CliRun r = CliRun.of(FLOW + "ike from 3.3.3.3 to 4.4.4.4\n", "ipsecctl", "-nvvf", "-");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("""
                @0 flow esp out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type require
                @1 flow esp in from 2.2.2.2 to 1.1.1.1 peer 2.2.2.2 type require
                @2 C set [Phase 1]:4.4.4.4=peer-4.4.4.4 force
                C set [peer-4.4.4.4]:Phase=1 force
                """);
        assertThat(r.out().lines().filter(l -> l.startsWith("@"))).containsExactly(
                "@0 flow esp out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type require",
                "@1 flow esp in from 2.2.2.2 to 1.1.1.1 peer 2.2.2.2 type require",
                "@2 C set [Phase 1]:4.4.4.4=peer-4.4.4.4 force");
    }

    @Test
    void referenceExampleOfTheDesignNotes() {
        // ../shared/reference/openbsd-failover.md section 5.6, derived from ipsecctl's print functions
        String conf = """
                gw = "192.168.3.12"
                flow esp from 192.168.7.0/24 to 192.168.8.0/24 peer $gw
                esp from 192.168.3.14 to 192.168.3.12 spi 0xdeadbeef:0xbeefdead \\
                    authkey 0x%s:0x%s enckey 0x%s:0x%s
                """.formatted("ab".repeat(32), "cd".repeat(32), "ef".repeat(16), "01".repeat(16));
        CliRun r = CliRun.of(conf, "ipsecctl", "-nvv", "-f", "-");
        assertThat(r.out()).isEqualTo("""
                gw = "192.168.3.12"
                @0 flow esp out from 192.168.7.0/24 to 192.168.8.0/24 peer 192.168.3.12 type require
                @1 flow esp in from 192.168.8.0/24 to 192.168.7.0/24 peer 192.168.3.12 type require
                @2 esp tunnel from 192.168.3.14 to 192.168.3.12 spi 0xdeadbeef auth hmac-sha2-256 enc aes
                @3 esp tunnel from 192.168.3.12 to 192.168.3.14 spi 0xbeefdead auth hmac-sha2-256 enc aes
                """);
        CliRun k = CliRun.of(conf, "ipsecctl", "-nvkf", "-");
        assertThat(k.out()).contains("spi 0xbeefdead auth hmac-sha2-256 enc aes \\\n\tauthkey 0x" + "cd".repeat(32)
                + " \\\n\tenckey 0x" + "01".repeat(16) + "\n");
    }

    @Test
    void withoutVerboseNothingIsPrintedEvenWithKeys() {
        CliRun r = CliRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 authkey 0x" + "aa".repeat(32)
                + " enckey 0x" + "ee".repeat(16) + "\n", "ipsecctl", "-nkf", "-");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void deleteWithVerbosePrintsTeardownForIkeAndTheSameTextForFlows() {
        CliRun r = CliRun.of(FLOW + "ike passive from 3.3.3.3 to 4.4.4.4\n", "ipsecctl", "-dnvf", "-");
        assertThat(r.out()).isEqualTo("""
                flow esp out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type require
                flow esp in from 2.2.2.2 to 1.1.1.1 peer 2.2.2.2 type require
                t from-3.3.3.3-to-4.4.4.4
                C rmv [Phase 2]:Passive-Connections=from-3.3.3.3-to-4.4.4.4
                C rms [from-3.3.3.3-to-4.4.4.4]
                C rms [phase2-from-3.3.3.3-to-4.4.4.4]
                """);
    }

    @Test
    void unusedMacrosAreReportedWithDoubleVerbose() {
        CliRun r = CliRun.of("a = 1.1.1.1\nb = 2.2.2.2\nflow from $a to 3.3.3.3\n", "ipsecctl", "-nvvf", "-");
        assertThat(r.err()).isEqualTo("warning: macro 'b' not used\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void commandLineMacros() {
        CliRun r = CliRun.of("flow from $src to 3.3.3.3\n", "ipsecctl", "-D", "src=1.1.1.1", "-D", "bad", "-nvf", "-");
        assertThat(r.err()).isEqualTo("ipsecctl: could not parse macro definition bad\n");
        assertThat(r.out()).startsWith("flow esp out from 1.1.1.1 to 3.3.3.3");
        assertThat(r.status()).isZero();
    }

    @Test
    void syntaxErrorsGoToStderrBeforeBufferedStdoutAndExitWithOne() {
        CliRun r = CliRun.of(FLOW + "flow from\n", "ipsecctl", "-nvf", "-");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.merged()).isEqualTo("""
                stdin: 2: syntax error
                ipsecctl: Syntax error in config file: ipsec rules not loaded
                flow esp out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type require
                flow esp in from 2.2.2.2 to 1.1.1.1 peer 2.2.2.2 type require
                """);
    }

    @Test
    void whatNeedsTheDaemonSaysSoAndFails() {
        for (String[] args : new String[][] {
                {"ipsecctl", "-f", "-"}, {"ipsecctl", "-F"}, {"ipsecctl", "-s", "all"}, {"ipsecctl", "-sf", "-c"},
                {"ipsecctl", "-m"}}) {
            CliRun r = CliRun.of(FLOW, args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args)).contains("no tandemd is reachable");
        }
        // -n makes flushing a no-op, as in OpenBSD
        CliRun n = CliRun.of("", "ipsecctl", "-nF");
        assertThat(n.status()).isZero();
        assertThat(n.err()).isEmpty();
    }

    @Test
    void badCommandLines() {
        CliRun none = CliRun.of("", "ipsecctl");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).isEqualTo(IpsecctlCommand.USAGE + "\n");
        CliRun show = CliRun.of("", "ipsecctl", "-s", "x");
        assertThat(show.err()).isEqualTo("ipsecctl: Unknown show modifier 'x'\n" + IpsecctlCommand.USAGE + "\n");
        CliRun extra = CliRun.of("", "ipsecctl", "-n", "junk");
        assertThat(extra.err()).startsWith("ipsecctl: unknown command line argument: junk ...\n");
        CliRun opt = CliRun.of("", "ipsecctl", "-z");
        assertThat(opt.status()).isEqualTo(1);
        assertThat(opt.err()).endsWith(IpsecctlCommand.USAGE + "\n").doesNotContain("Exception");
    }

    @Test
    void missingFileIsReported(@TempDir Path dir) {
        String missing = dir.resolve("nope.conf").toString();
        CliRun r = CliRun.of("", "ipsecctl", "-nf", missing);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ipsecctl: pushfile: " + missing + ": No such file or directory\n"
                + "ipsecctl: Syntax error in config file: ipsec rules not loaded\n");
    }

    @Test
    void fileReadableByOthersIsOnlyAWarningWhenChecking(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("ipsec.conf");
        Files.writeString(conf, FLOW);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun check = CliRun.of("", "ipsecctl", "-nf", conf.toString());
        assertThat(check.status()).isZero();
        assertThat(check.err()).isEqualTo("ipsecctl: " + conf + ": group writable or world read/writable"
                + " (would not be loaded)\n");
        CliRun load = CliRun.of("", "ipsecctl", "-f", conf.toString());
        assertThat(load.status()).isEqualTo(1);
        assertThat(load.err()).isEqualTo("ipsecctl: " + conf + ": group writable or world read/writable\n"
                + "ipsecctl: Syntax error in config file: ipsec rules not loaded\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        assertThat(CliRun.of("", "ipsecctl", "-nf", conf.toString()).err()).isEmpty();
    }

    @Test
    void includeAndKeyFilesFromDisk(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("ak");
        Files.writeString(key, "bb".repeat(32) + "\n");
        Path inc = dir.resolve("inc.conf");
        Files.writeString(inc, "esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 authkey file \"" + key
                + "\" enckey 0x" + "ee".repeat(16) + "\n");
        CliRun r = CliRun.of("include \"" + inc + "\"\n", "ipsecctl", "-nvkf", "-");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("authkey 0x" + "bb".repeat(32));
    }

    @Test
    void translationProblemsAreWarnedButDoNotFailACheck() {
        CliRun r = CliRun.of("ike from 1.1.1.1 to 2.2.2.2 main enc aes-128-gcm\n", "ipsecctl", "-nvf", "-");
        assertThat(r.err()).isEqualTo("ipsecctl: illegal transform aes-128-gcm\n");
        assertThat(r.out()).endsWith("C set [phase1-peer-2.2.2.2]:EXCHANGE_TYPE=ID_PROT force\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void bundledExampleIsValid() {
        CliRun r = CliRun.of("", "ipsecctl", "-nf", "examples/cluster/ipsec.conf");
        // git does not keep mode 0600, so a fresh clone earns the permission warning and nothing else
        assertThat(r.err()).isIn("", "ipsecctl: examples/cluster/ipsec.conf: group writable or world"
                + " read/writable (would not be loaded)\n");
        assertThat(r.status()).isZero();
    }
}
