package dev.tandem.conf.ipsec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Coverage-guided fuzzing of the ipsec.conf parser, the rule printer and the
 * isakmpd translation. Any exception other than {@link ConfigAbort} (ipsecctl's
 * own "give up" path) is a finding; so is running out of memory (the fork has
 * a fixed heap), and so is one input taking longer than {@link #HANG_MILLIS}.
 * Seeds: the conformance inputs, in IpsecConfFuzzTestInputs/parse.
 */
class IpsecConfFuzzTest {

    static final long HANG_MILLIS = 30_000;

    /** Start time of the input being parsed, 0 between inputs. */
    private static final AtomicLong STARTED = new AtomicLong();
    private static final AtomicReference<byte[]> CURRENT = new AtomicReference<>();

    static {
        Thread fuzzer = Thread.currentThread();
        Thread watchdog = Thread.ofPlatform().daemon().name("fuzz-hang-watchdog").start(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long t = STARTED.get();
                if (t != 0 && System.currentTimeMillis() - t > HANG_MILLIS) {
                    reportHang(fuzzer);
                }
            }
        });
        watchdog.setUncaughtExceptionHandler((th, ex) -> { });
    }

    /** A hang cannot be interrupted; save the input, show where it spins and kill the fork. */
    private static void reportHang(Thread fuzzer) {
        try {
            Path out = Path.of("target", "fuzz-hang-input.conf");
            Files.createDirectories(out.getParent());
            Files.write(out, CURRENT.get());
            System.err.println("HANG: one input ran over " + HANG_MILLIS + " ms; saved to " + out.toAbsolutePath());
        } catch (IOException e) {
            System.err.println("HANG: could not save the input: " + e);
        }
        for (StackTraceElement e : fuzzer.getStackTrace()) {
            System.err.println("\tat " + e);
        }
        Runtime.getRuntime().halt(3);
    }

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        CURRENT.set(input);
        STARTED.set(System.currentTimeMillis());
        try {
            IpsecConfParser.Environment env = FakeEnvironment.environment();
            RulePrinter printer = new RulePrinter(env.netdb());
            IkeRuleTranslator ike = new IkeRuleTranslator(() -> "gw1.example.net");
            IsakmpdConfig isakmpd = new IsakmpdConfig();
            RuleSink sink = rule -> {
                switch (rule) {
                    case FlowRule f -> printer.flow(f);
                    case SaRule s -> printer.sa(s, true);
                    case SaBundleRule b -> printer.bundle(b);
                    case IkeRule r -> {
                        isakmpd.applyAll(ike.configure(r).commands());
                        ike.teardown(r).commands().forEach(isakmpd::apply);
                    }
                }
            };
            IpsecConfParser.parse("fuzz", input, List.of(java.util.Map.entry("d", "1.2.3.4")), env, sink, line -> { });
        } catch (ConfigAbort expected) {
            // ipsecctl's deliberate exit path, with a message
        } finally {
            STARTED.set(0);
        }
    }
}
