package dev.tandem.lab;

import dev.tandem.control.ControlClient;
import dev.tandem.control.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A node's {@code tandem status --json}, asked over its control socket from
 * the test JVM (the same request the command line sends, without starting a
 * JVM for it), and the numbers the failover lab reads from it.
 */
record NodeStatus(Object root) {

    static NodeStatus of(Lab.Daemon d) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (ControlClient c = ControlClient.connect(d.control())) {
            Message m = c.call(new Message("status", Map.of("json", "yes")), line -> sb.append(line).append('\n'));
            if (!m.verb().equals("ok")) {
                throw new IOException("status: " + m.get("message"));
            }
        }
        return new NodeStatus(MiniJson.parse(sb.toString().strip()));
    }

    /** Packets dropped for {@code reason} (e.g. "replay"): the node-wide counter plus every SA's. */
    long drops(String reason) {
        long n = (long) MiniJson.number(root, "dataplane", "drops", reason);
        for (Object sa : sas()) {
            n += (long) MiniJson.number(sa, "drops", reason);
        }
        return n;
    }

    /** A numeric field ("sequence_out", "replay_top", "packets") of the SA with this SPI (e.g. "0x00002001"). */
    long sa(String spi, String field) {
        for (Object sa : sas()) {
            if (spi.equals(MiniJson.at(sa, "spi"))) {
                return (long) MiniJson.number(sa, field);
            }
        }
        throw new AssertionError("no SA " + spi + " in " + root);
    }

    private List<?> sas() {
        return (List<?>) MiniJson.at(root, "sas");
    }

    /** Every non-zero drop counter, node-wide and per SA, as "reason=n" words (empty: none). */
    String nonZeroDrops() {
        StringJoiner j = new StringJoiner(" ");
        nonZero(j, "", MiniJson.at(root, "dataplane", "drops"));
        for (Object sa : sas()) {
            nonZero(j, "sa " + MiniJson.at(sa, "spi") + " ", MiniJson.at(sa, "drops"));
        }
        return j.toString();
    }

    private static void nonZero(StringJoiner j, String prefix, Object counters) {
        if (counters instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Double d && d != 0) {
                    j.add(prefix + k + "=" + d.longValue());
                }
            });
        }
    }
}
