package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A tandemd node and a ucarp node (Debian's package, unmodified) share one
 * IPv4 VIP with the same password: they elect one master, and mastership
 * fails over from Tandem to ucarp and from ucarp to Tandem when the master
 * is killed. ucarp's up and down scripts put the VIP on and off its interface.
 */
@Tag("netns")
class UcarpInteropLabTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @BeforeAll
    static void needs() {
        Needs.need(Lab.root(), "the ucarp lab needs root for network namespaces");
        Needs.need(LabEnvironment.has("ucarp"), "ucarp is not installed (apt-get install ucarp)");
    }

    private static Lab.Background ucarp(Lab lab, int advskew, String... extra) throws IOException, InterruptedException {
        Path up = script(lab, "vip-up", "ip addr add \"$2\"/24 dev \"$1\"");
        Path down = script(lab, "vip-down", "ip addr del \"$2\"/24 dev \"$1\" 2>/dev/null || true");
        String[] base = {"ucarp", "--interface=wan0", "--srcip=" + Lab.segmentAddress(1), "--vhid=1",
            "--pass=s3cret", "--addr=" + CarpLabTest.VIP, "--advbase=1", "--advskew=" + advskew,
            "--upscript=" + up, "--downscript=" + down, "--shutdown"};
        String[] cmd = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        return lab.spawnReady("u", "Switching to state: BACKUP", cmd);
    }

    private static Path script(Lab lab, String name, String body) throws IOException {
        Path p = lab.dir().resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void tandemMasterFailsOverToUcarpAndBack() throws Exception {
        try (Lab lab = Lab.segment("t", "u")) {
            Lab.Daemon t = CarpLabTest.start(lab, "t", "advbase 1 advskew 0");
            CarpLabTest.awaitState(t, 0, "MASTER");
            AddressWatch uAddresses = AddressWatch.start(lab, "u");
            Lab.Background u = ucarp(lab, 100);
            // ucarp hears Tandem's advertisements (same HMAC) and stays backup past its master-down time
            int tm = t.log().mark();
            String carp = lab.tandem("carp", "status", "--json", "--control", t.control().toString()).out();
            assertThat(carp).contains("\"state\": \"MASTER\"");
            Lab.Result ads = lab.exec("u", "timeout", "5", "tcpdump", "-n", "-c", "4", "-i", "wan0", "ip proto 112");
            assertThat(ads.out()).contains("4 packets captured");
            assertThat(u.out().toString()).doesNotContain("Switching to state: MASTER").doesNotContain("Bad digest");
            assertThat(CarpLabTest.holdsVip(lab, "t")).isTrue();
            assertThat(CarpLabTest.holdsVip(lab, "u")).isFalse();

            // Tandem dies: ucarp takes over
            int um = u.out().mark();
            int am = uAddresses.mark();
            t.process().destroyForcibly();
            u.out().await(um, "Switching to state: MASTER", LONG);
            uAddresses.added(am, CarpLabTest.VIP, LONG);

            // Tandem returns with preempt: ucarp accepts its advertisements and steps down
            um = u.out().mark();
            am = uAddresses.mark();
            Lab.Daemon t2 = CarpLabTest.start(lab, "t", "advbase 1 advskew 0 preempt");
            CarpLabTest.awaitState(t2, 0, "MASTER");
            u.out().await(um, "Switching to state: BACKUP", LONG);
            uAddresses.removed(am, CarpLabTest.VIP, LONG);
            assertThat(CarpLabTest.holdsVip(lab, "t")).isTrue();
            assertThat(tm).isNotNegative();
        }
    }

    @Test
    void ucarpMasterFailsOverToTandem() throws Exception {
        try (Lab lab = Lab.segment("t", "u")) {
            Lab.Background u = ucarp(lab, 0);
            u.out().await(0, "Switching to state: MASTER", LONG);
            Lab.Daemon t = CarpLabTest.start(lab, "t", "advbase 1 advskew 100");
            CarpLabTest.awaitState(t, 0, "BACKUP");
            // Tandem follows ucarp: it accepts ucarp's advertisements and stays backup
            t.log().await(0, "carp0: master is " + Lab.segmentAddress(1), LONG);
            String status = lab.tandem("carp", "status", "--control", t.control().toString()).out();
            assertThat(status).contains("carp0: BACKUP").contains("master " + Lab.segmentAddress(1));
            assertThat(CarpLabTest.holdsVip(lab, "t")).isFalse();

            int tm = t.log().mark();
            u.process().destroyForcibly();
            LogLines.Line master = CarpLabTest.awaitState(t, tm, "MASTER");
            assertThat(master.text()).contains("no advertisement for 4171 ms from " + Lab.segmentAddress(1));
            assertThat(CarpLabTest.holdsVip(lab, "t")).isTrue();
            String json = lab.tandem("carp", "status", "--json", "--control", t.control().toString()).out();
            assertThat(json).contains("\"bad_auth\": 0");
        }
    }
}
