package dev.tandem.daemon;

import dev.tandem.carp.CarpTransition;
import dev.tandem.carp.TransitionHooks;
import dev.tandem.net.InterfaceAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs carp.conf's {@code hook} scripts, one at a time and in the order of
 * the transitions, on a thread of their own so a slow script never delays
 * an election. The script gets the interface and the new state as arguments
 * and the details in the environment; what it prints goes to the daemon's log stream.
 */
final class ScriptHooks implements TransitionHooks, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tandem.carp.hook");
    static final long TIMEOUT_SECONDS = 30;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("carp-hooks").daemon(true).unstarted(r));

    @Override
    public void run(Path script, CarpTransition t) {
        worker.execute(() -> runNow(script, t));
    }

    private static void runNow(Path script, CarpTransition t) {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), t.iface(), t.to().name().toLowerCase(Locale.ROOT));
        Map<String, String> env = pb.environment();
        env.put("CARP_INTERFACE", t.iface());
        env.put("CARP_VHID", Integer.toString(t.vhid()));
        env.put("CARP_STATE", t.to().name());
        env.put("CARP_PREVIOUS", t.from().name());
        env.put("CARP_REASON", t.reason());
        env.put("CARP_VIPS", t.vips().stream().map(InterfaceAddress::toString).collect(Collectors.joining(" ")));
        // the script writes where the daemon logs; reading its output here could block past the timeout
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.error("hook {} for {} -> {} still running after {} s, killed", script, t.iface(), t.to(),
                        TIMEOUT_SECONDS);
                return;
            }
            if (p.exitValue() != 0) {
                LOG.warn("hook {} for {} -> {} exited with status {}", script, t.iface(), t.to(), p.exitValue());
            } else {
                LOG.info("hook {} for {} -> {} done", script, t.iface(), t.to());
            }
        } catch (IOException e) {
            LOG.error("hook {} for {} -> {} could not run: {}", script, t.iface(), t.to(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the hooks already asked for run (they see the node's last transitions), then stops. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
                LOG.warn("hooks still running at shutdown, left behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
