package dev.tandem.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark over a capture and returns the requested fields, one line per packet. */
public final class Tshark {

    private Tshark() {
    }

    /**
     * @param options dissector options ({@code -o}, {@code -d}, {@code -E} ...) before the fields
     * @param fields  field names, each passed as {@code -e}
     */
    public static List<String> fields(Path pcap, List<String> options, String... fields)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-T", "fields"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit status; output:\n" + out).isZero();
        return out.lines().toList();
    }
}
