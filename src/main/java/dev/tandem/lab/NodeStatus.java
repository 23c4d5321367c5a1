package dev.tandem.lab;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A node's {@code tandem status --json}, asked over its control socket from
 * the lab's JVM (the same request the command line sends, without starting a
 * JVM for it), and the numbers the failover lab reads from it.
 */
record NodeStatus(Object root) {

    static NodeStatus of(Lab.Daemon d) throws IOException {
        return new NodeStatus(MiniJson.parse(d.call("status", Map.of("json", "yes")).strip()));
    }

    /** The node's roles in a line: each carp interface's state, the sync role, whether IKE is passive. */
    String roles() {
        StringJoiner j = new StringJoiner(", ");
        for (Object i : (List<?>) MiniJson.at(root, "carp", "interfaces")) {
            j.add(MiniJson.at(i, "name") + " " + MiniJson.at(i, "state"));
        }
        return j + "; sync " + MiniJson.at(root, "sync", "role") + "; IKE " + (ikePassive() ? "passive" : "active")
                + " (phase 1 SAs " + (long) MiniJson.number(root, "ike", "phase1_sas") + ", phase 2 SAs "
                + (long) MiniJson.number(root, "ike", "phase2_sas") + ")";
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
        throw new IllegalStateException("no SA " + spi + " in " + root);
    }

    /** A counter of the IKE daemon ("dpd-answered", "phase1-established", ...). */
    long ike(String counter) {
        return (long) MiniJson.number(root, "ike", "counters", counter);
    }

    /** Whether the node's IKE daemon is passive (answers only). */
    boolean ikePassive() {
        return Boolean.TRUE.equals(MiniJson.at(root, "ike", "passive"));
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
