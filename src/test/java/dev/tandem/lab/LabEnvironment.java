package dev.tandem.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The machine and tool versions a lab benchmark ran on, printed with its numbers so they can be read later. */
public final class LabEnvironment {

    private LabEnvironment() {
    }

    static String describe() throws IOException, InterruptedException {
        List<String> l = new ArrayList<>();
        l.add("date (UTC): " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        l.add("CPUs: " + Runtime.getRuntime().availableProcessors() + " x " + cpuModel());
        l.add("kernel: " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        l.add("JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version());
        l.add("strongSwan: " + firstLine(StrongSwan.CHARON, "--version"));
        l.add("iperf3: " + firstLine("iperf3", "--version"));
        l.add("load average at the start: " + loadAverage());
        return String.join("\n", l);
    }

    /** Whether {@code command} is on the PATH. */
    static boolean has(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The machine without the tunnel tools: for benchmarks that use none (also outside the lab package). */
    public static String describeHost() throws IOException {
        return String.join("\n", "CPUs: " + Runtime.getRuntime().availableProcessors() + " x " + cpuModel(),
                "kernel: " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(),
                "JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version(),
                "load average at the start: " + loadAverage());
    }

    public static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(s -> s.startsWith("model name"))
                .map(s -> s.substring(s.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    }

    private static String firstLine(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().findFirst().orElse("?").strip();
    }
}
