package dev.tandem.lab;

import java.io.IOException;
import java.time.Duration;

/**
 * {@code ip monitor address} in one namespace, proven to be listening before
 * it is used: it must report a probe address added to lo first. Lines carry
 * the moment they were read, so a takeover can be timed to the address.
 */
final class AddressWatch {

    private static final String PROBE = "198.18.255.254/32";

    private final LogLines out;

    private AddressWatch(LogLines out) {
        this.out = out;
    }

    static AddressWatch start(Lab lab, String node) throws IOException, InterruptedException {
        Process p = lab.spawn(node, "ip", "monitor", "address");
        LogLines out = new LogLines();
        Thread.ofPlatform().daemon().start(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            } catch (IOException e) {
                // ended
            }
            out.end();
        });
        // the monitor may not have subscribed yet: add and remove a probe until it reports one
        for (int attempt = 0; ; attempt++) {
            int mark = out.mark();
            lab.exec(node, "ip", "addr", "add", PROBE, "dev", "lo");
            lab.exec(node, "ip", "addr", "del", PROBE, "dev", "lo");
            try {
                out.await(mark, "198.18.255.254", Duration.ofMillis(500));
                return new AddressWatch(out);
            } catch (IllegalStateException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    int mark() {
        return out.mark();
    }

    /** The first report after {@code mark} of {@code vip} being added. */
    LogLines.Line added(int mark, String vip, Duration timeout) throws InterruptedException {
        return out.await(mark, l -> !l.startsWith("Deleted") && l.contains(" " + vip), vip + " added", timeout);
    }

    /** The first report after {@code mark} of {@code vip} being removed. */
    LogLines.Line removed(int mark, String vip, Duration timeout) throws InterruptedException {
        return out.await(mark, l -> l.startsWith("Deleted") && l.contains(" " + vip), vip + " removed", timeout);
    }
}
