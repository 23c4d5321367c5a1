package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replication between tandemd nodes in network namespaces: CARP on a shared
 * segment decides the master, sasyncd.conf joins the nodes; SAs and flows
 * loaded with ipsecctl on the master reach every backup, deletes too; a
 * node that was down catches up and loses what the master no longer has; a
 * node that comes back takes mastership only after its first snapshot.
 */
@Tag("netns")
class SyncLabTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String KEY = "0x8f3c0e1d2a4b6c7d8e9f00112233445566778899aabbccddeeff001122334455";

    @BeforeAll
    static void needs() {
        Needs.need(Lab.root(), "replication labs need root for network namespaces");
    }

    /** SA rules between the cluster's VIP and a remote peer; spi picks the SAs. */
    static String sas(int spi) {
        return "flow esp from 10.1.0.0/24 to 10.2." + (spi & 0xff) + ".0/24 local 192.0.2.100 peer 203.0.113.2\n"
                + "esp from 192.0.2.100 to 203.0.113.2 spi " + hex(spi) + ":" + hex(spi + 1)
                + " auth hmac-sha2-256 enc aes-256 \\\n\tauthkey 0x" + "3e".repeat(32) + ":0x" + "a3".repeat(32)
                + " \\\n\tenckey 0x" + "d2".repeat(32) + ":0x" + "8b".repeat(32) + "\n";
    }

    private static String hex(int spi) {
        return String.format("0x%08x", spi);
    }

    /** Starts node {@code i} of {@code names} with carp.conf, sasyncd.conf naming the others, and ipsec.conf. */
    static Lab.Daemon node(Lab lab, String[] names, int i, String carpOptions, String ipsecConf)
            throws IOException, InterruptedException {
        String peers = Arrays.stream(names).filter(n -> !n.equals(names[i]))
                .map(n -> "peer " + Lab.segmentAddress(Arrays.asList(names).indexOf(n)))
                .collect(Collectors.joining("\n"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("carp.conf", CarpLabTest.carpConf(carpOptions).replace(CarpLabTest.VIP, "192.0.2.100"));
        files.put("sasyncd.conf", "interface carp0\n" + peers + "\nsharedkey " + KEY + "\n");
        files.put("ipsec.conf", ipsecConf);
        return lab.tandemd(names[i], files);
    }

    private static Lab.Result ipsecctl(Lab lab, Lab.Daemon d, String... args) throws IOException, InterruptedException {
        String[] full = new String[args.length + 3];
        full[0] = "ipsecctl";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--control";
        full[args.length + 2] = d.control().toString();
        return lab.tandem(full);
    }

    private static Path rules(Lab lab, String name, String text) throws IOException {
        Path p = lab.dir().resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    void sasAndFlowsLoadedOnTheMasterReachBothBackupsAndSoDoDeletes() throws Exception {
        String[] names = {"a", "b", "c"};
        try (Lab lab = Lab.segment(names)) {
            Lab.Daemon a = node(lab, names, 0, "advbase 1 advskew 0", "");
            CarpLabTest.awaitState(a, 0, "MASTER");
            Lab.Daemon b = node(lab, names, 1, "advbase 1 advskew 50", "");
            Lab.Daemon c = node(lab, names, 2, "advbase 1 advskew 100", "");
            for (Lab.Daemon d : List.of(b, c)) {
                d.log().await(0, "snapshot from " + Lab.segmentAddress(0) + " applied", LONG);
            }
            int mb = b.log().mark();
            int mc = c.log().mark();
            Path file = rules(lab, "sas.conf", sas(0x2001));
            Lab.Result load = ipsecctl(lab, a, "-f", file.toString());
            assertThat(load.status()).as(load.out()).isZero();
            for (Lab.Daemon d : List.of(b, c)) {
                d.log().await(d == b ? mb : mc, "spi 0x00002002", LONG);
                String show = ipsecctl(lab, d, "-s", "all").out();
                assertThat(show).contains("spi 0x00002001").contains("spi 0x00002002")
                        .contains("from 10.1.0.0/24 to 10.2.1.0/24");
            }
            mb = b.log().mark();
            mc = c.log().mark();
            Lab.Result del = ipsecctl(lab, a, "-d", "-f", file.toString());
            assertThat(del.status()).as(del.out()).isZero();
            for (Lab.Daemon d : List.of(b, c)) {
                d.log().await(d == b ? mb : mc, l -> l.contains("sadb: delete") && l.contains("0x00002002"),
                        "the delete", LONG);
            }
            String status = lab.tandem("sync", "status", "--control", a.control().toString()).out();
            assertThat(status).contains("sync: MASTER following carp0")
                    .contains("peer " + Lab.segmentAddress(1) + ": up (BACKUP)")
                    .contains("peer " + Lab.segmentAddress(2) + ": up (BACKUP)");
        }
    }

    @Test
    void aReturningNodeCatchesUpLosesStaleSasAndTakesOverOnlyWhenSynced() throws Exception {
        String[] names = {"a", "b"};
        try (Lab lab = Lab.segment(names)) {
            Lab.Daemon a = node(lab, names, 0, "advbase 1 advskew 0 preempt", sas(0x3001));
            CarpLabTest.awaitState(a, 0, "MASTER");
            Lab.Daemon b = node(lab, names, 1, "advbase 1 advskew 100", sas(0x3001));
            b.log().await(0, "snapshot from " + Lab.segmentAddress(0) + " applied", LONG);

            // a dies; b takes over and gets new SAs while a is away
            int mb = b.log().mark();
            a.process().destroyForcibly();
            CarpLabTest.awaitState(b, mb, "MASTER");
            Lab.Result load = ipsecctl(lab, b, "-f", rules(lab, "new.conf", sas(0x3101)).toString());
            assertThat(load.status()).as(load.out()).isZero();

            // a comes back with an ipsec.conf that still has an SA the cluster no longer uses
            Lab.Daemon a2 = node(lab, names, 0, "advbase 1 advskew 0 preempt", sas(0x3001) + sas(0x3901));
            LogLines.Line synced = a2.log().await(0, "snapshot from " + Lab.segmentAddress(1) + " applied", LONG);
            assertThat(synced.text()).contains("2 stale SAs");
            LogLines.Line master = CarpLabTest.awaitState(a2, 0, "MASTER");
            assertThat(a2.log().lines().indexOf(master)).as("master only after the snapshot")
                    .isGreaterThan(a2.log().lines().indexOf(synced));
            String show = ipsecctl(lab, a2, "-s", "sa").out();
            assertThat(show).contains("spi 0x00003101").contains("spi 0x00003001").doesNotContain("spi 0x00003901");
            CarpLabTest.awaitState(b, mb, "BACKUP");
        }
    }
}
