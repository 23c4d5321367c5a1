package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem demo --lab}, run as a user runs it: the jar in a JVM of its
 * own, which launches the daemons from that same jar. The master's kill -9
 * goes unnoticed by strongSwan, the demo says so with the numbers, and it
 * leaves nothing behind, also when it is stopped half-way.
 */
@Tag("netns")
class DemoLabTest {

    private static final Pattern ROW = Pattern.compile("^(IKE SA \\(cookies i:r\\)|CHILD SA \\(SPIs in/out\\)) +(\\S+) +(\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern GAP = Pattern.compile("^gap (cluster->peer|peer->cluster) +(\\d+) ms \\((\\d+) of (\\d+) "
            + "datagrams lost\\)$", Pattern.MULTILINE);
    private static final Pattern BOUND = Pattern.compile("^bound for gwb .* = (\\d+) ms$", Pattern.MULTILINE);

    @BeforeAll
    static void needs() {
        Needs.need(Lab.root(), "the lab demo needs root: network namespaces, TUN devices, strongSwan");
        Needs.need(Files.isExecutable(Path.of(StrongSwan.CHARON)), "strongSwan is not installed");
    }

    @Test
    void theKilledMasterGoesUnnoticedByStrongSwan() throws Exception {
        Set<String> before = labNamespaces();
        Process p = demo();
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the demo ends within 90 s").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = printed.get(10, TimeUnit.SECONDS);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("** kill -9 of gwa, the master")
                .containsPattern("gwb: .*carp0 \\(vhid 1\\): BACKUP -> MASTER")
                .contains("traffic cluster->peer (ha->hp) flows again")
                .contains("traffic peer->cluster (hp->ha) flows again")
                .containsPattern("(?m)^renegotiations \\(IKE SAs established\\) +0$")
                .containsPattern("(?m)^other negotiation lines in charon's log +0$")
                .containsPattern("(?m)^replay / ICV / unknown SPI drops +0$")
                .contains("The peer never noticed: same IKE SA, same SPIs, no replay error, no renegotiation.")
                .doesNotContain("wan-s3cret").doesNotContain("lan-s3cret");
        Matcher row = ROW.matcher(out);
        int rows = 0;
        while (row.find()) {
            assertThat(row.group(3)).as(row.group(1) + " after the failover").isEqualTo(row.group(2));
            rows++;
        }
        assertThat(rows).as(out).isEqualTo(2);
        Matcher bound = BOUND.matcher(out);
        assertThat(bound.find()).as(out).isTrue();
        assertThat(Integer.parseInt(bound.group(1))).isEqualTo((int) Math.round(ClusterConf.boundMs(Lab.GWB)));
        Matcher gap = GAP.matcher(out);
        int gaps = 0;
        while (gap.find()) {
            assertThat(Integer.parseInt(gap.group(2))).as(gap.group()).isPositive()
                    .isLessThanOrEqualTo(Integer.parseInt(bound.group(1)));
            assertThat(Integer.parseInt(gap.group(3))).as(gap.group()).isLessThan(Integer.parseInt(gap.group(4)));
            gaps++;
        }
        assertThat(gaps).as(out).isEqualTo(2);
        assertThat(labNamespaces()).as("namespaces after the demo").isEqualTo(before);
    }

    /** SIGTERM (what Ctrl-C does to the JVM) once traffic flows: the namespaces and the daemons go with it. */
    @Test
    void aStoppedDemoLeavesNothingBehind() throws Exception {
        Set<String> before = labNamespaces();
        Process p = demo();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null && !line.contains("traffic flows both ways")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as(seen.toString()).isNotNull();
            assertThat(labNamespaces()).as("the demo's namespaces while it runs").hasSizeGreaterThan(before.size());
            List<ProcessHandle> children = p.descendants().toList();
            assertThat(children).as("the daemons and charon").isNotEmpty();
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the demo ends on SIGTERM").isTrue();
            assertThat(labNamespaces()).as("namespaces after SIGTERM").isEqualTo(before);
            assertThat(children.stream().filter(ProcessHandle::isAlive)).as("processes after SIGTERM").isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process demo() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                Path.of("target", "tandem.jar").toAbsolutePath().toString(), "demo", "--lab")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The lab's namespaces (their names start with "tdm") that exist now. */
    private static Set<String> labNamespaces() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(l -> l.split(" ")[0]).filter(n -> n.startsWith("tdm")).collect(Collectors.toSet());
    }
}
