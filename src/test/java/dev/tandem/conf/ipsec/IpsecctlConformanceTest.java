package dev.tandem.conf.ipsec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.cli.Stdio;
import dev.tandem.cli.Tandem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of OpenBSD's ipsecctl regress suite (vendored under
 * src/test/resources/conformance/ipsecctl, see its README and LICENSE-NOTE)
 * through the real command-line entry point and compares the output byte for
 * byte, exactly as OpenBSD's Makefile does:
 * {@code sed -e "s,DIR,$CASE_DIR,g" < NAME.in | ipsecctl FLAGS | diff NAME.ok -}.
 */
class IpsecctlConformanceTest {

    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();
    private static final AtomicInteger SKIPPED = new AtomicInteger();
    private static final List<String> REPORT = new ArrayList<>();

    record Case(String name, String[] flags, boolean mergeStderr) { }

    static Path caseDir() throws URISyntaxException {
        return Path.of(IpsecctlConformanceTest.class.getResource("/conformance/ipsecctl/cases.tsv").toURI())
                .getParent();
    }

    static List<Case> cases() throws IOException, URISyntaxException {
        List<Case> out = new ArrayList<>();
        for (String line : Files.readAllLines(caseDir().resolve("cases.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            out.add(new Case(f[0], f[1].trim().split("\\s+"), f[2].trim().equals("stdout+stderr")));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> openbsdRegressSuite() throws Exception {
        Path dir = caseDir();
        List<Case> cases = cases();
        assertThat(cases).hasSize(140);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + " " + String.join(" ", c.flags()),
                () -> run(dir, c)));
    }

    private static void run(Path dir, Case c) throws IOException {
        String input = Files.readString(dir.resolve(c.name() + ".in"), StandardCharsets.ISO_8859_1)
                .replace("DIR", dir.toString());
        byte[] expected = Files.readAllBytes(dir.resolve(c.name() + ".ok"));
        if (input.contains("localhost")) {
            boolean ok = localhostIsLoopback();
            if (!ok) {
                SKIPPED.incrementAndGet();
                REPORT.add("SKIP " + c.name() + ": this host does not resolve localhost to 127.0.0.1");
            }
            assumeTrue(ok, "this host does not resolve localhost to 127.0.0.1");
        }

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = c.mergeStderr() ? stdout : new ByteArrayOutputStream();
        String[] args = new String[c.flags().length + 1];
        args[0] = "ipsecctl";
        System.arraycopy(c.flags(), 0, args, 1, c.flags().length);
        int rc = Tandem.run(args, new Stdio(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(stdout, true), new PrintStream(stderr, true)));

        byte[] actual = stdout.toByteArray();
        boolean same = Arrays.equals(expected, actual);
        (same ? PASSED : FAILED).incrementAndGet();
        REPORT.add((same ? "PASS " : "FAIL ") + c.name() + " (exit " + rc + ")");
        assertThat(new String(actual, StandardCharsets.ISO_8859_1))
                .as("%s: output of ipsecctl %s%s", c.name(), String.join(" ", c.flags()),
                        c.mergeStderr() ? "" : "\nstderr was:\n" + stderr)
                .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
        // a case expecting an error message must also fail; the others must succeed
        assertThat(rc).as("%s: exit status", c.name()).isEqualTo(c.name().contains("fail") ? 1 : 0);
    }

    private static boolean localhostIsLoopback() {
        try {
            return Arrays.stream(InetAddress.getAllByName("localhost"))
                    .anyMatch(a -> a.getHostAddress().equals("127.0.0.1"));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @AfterAll
    static void report() throws IOException {
        if (SKIPPED.get() > 0) {
            REPORT.add(SKIPPED.get() + " skipped for a host reason (listed above)");
        }
        String summary = PASSED.get() + " passed, " + FAILED.get() + " failed";
        REPORT.add(summary);
        Path out = Path.of("target", "conformance-ipsecctl.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, REPORT);
        System.out.println("ipsecctl conformance: " + summary);
    }
}
