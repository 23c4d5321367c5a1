package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the admin guide's two-gateway walk-through exactly as printed: the
 * shell block between the lab-example markers, from the project root, with
 * the launcher and the shipped example files.
 */
@Tag("netns")
class AdminGuideLabTest {

    static final List<String> NAMESPACES = List.of("gwa", "gwb", "ha", "hb");

    @Test
    void twoGatewayExampleWorksAsWritten() throws Exception {
        Needs.need(Lab.root(), "needs root: network namespaces, TUN devices and raw sockets");
        String guide = Files.readString(Path.of("docs", "admin-guide.md"));
        Matcher m = Pattern.compile("<!-- lab-example:start -->\n```sh\n(.*?)```\n<!-- lab-example:end -->",
                Pattern.DOTALL).matcher(guide);
        assertThat(m.find()).as("the guide's lab example block").isTrue();
        for (String n : NAMESPACES) {
            // the guide uses plain names; never touch namespaces this test did not create
            assertThat(Path.of("/run/netns", n)).as("namespace %s already exists; remove it first", n).doesNotExist();
        }
        // a file, not a pipe: the daemons the block starts in the background keep its output open
        Path output = Files.createTempFile("admin-guide-example", ".out");
        Process p = new ProcessBuilder("timeout", "300", "bash", "-euo", "pipefail", "-c", m.group(1))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            int status = p.waitFor();
            String out = Files.readString(output);
            assertThat(status).as(out + log()).isZero();
            assertThat(out).contains("3 packets transmitted, 3 received")
                    .contains("esp tunnel from 192.0.2.1 to 192.0.2.2 spi 0x00001001 auth hmac-sha2-256 enc aes-256")
                    .contains("counters packets 3 bytes 252");
        } finally {
            cleanUp();
            Files.deleteIfExists(output);
        }
    }

    private static String log() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("gwa.log", "gwb.log")) {
            if (Files.exists(Path.of(f))) {
                sb.append("\n--- ").append(f).append('\n').append(Files.readString(Path.of(f)));
            }
        }
        return sb.toString();
    }

    private static void cleanUp() throws Exception {
        for (String n : NAMESPACES) {
            if (!Files.exists(Path.of("/run/netns", n))) {
                continue;
            }
            Process pids = new ProcessBuilder("ip", "netns", "pids", n).start();
            for (String pid : new String(pids.getInputStream().readAllBytes()).split("\\s+")) {
                if (!pid.isBlank()) {
                    // TERM first: the daemons remove their routes and sockets
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                        h.destroy();
                        h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> {
                            h.destroyForcibly();
                            return h;
                        }).join();
                    });
                }
            }
            new ProcessBuilder("ip", "netns", "del", n).start().waitFor();
        }
        Files.deleteIfExists(Path.of("gwa.log"));
        Files.deleteIfExists(Path.of("gwb.log"));
    }
}
