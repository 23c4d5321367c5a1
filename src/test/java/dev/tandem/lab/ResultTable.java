package dev.tandem.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The measurements of all rounds and what they add up to, as Markdown
 * tables (ready for docs/performance.md). A failed measurement stays in
 * the table as "failed" and is left out of medians and ratios.
 */
final class ResultTable {

    private final List<BenchPath> paths;
    private final int rounds;
    private final Map<BenchPath, Iperf.Measurement[]> results = new EnumMap<>(BenchPath.class);
    private final Map<BenchPath, String[]> notes = new EnumMap<>(BenchPath.class);

    ResultTable(List<BenchPath> paths, int rounds) {
        this.paths = paths;
        this.rounds = rounds;
        for (BenchPath p : paths) {
            results.put(p, new Iperf.Measurement[rounds]);
            notes.put(p, new String[rounds]);
        }
    }

    void put(BenchPath p, int round, Iperf.Measurement m, String note) {
        results.get(p)[round] = m;
        notes.get(p)[round] = note;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| path |");
        for (int r = 1; r <= rounds; r++) {
            sb.append(" round ").append(r).append(" |");
        }
        sb.append(" median Mbit/s | TCP retransmits per round | ping avg ms, median |\n|---|");
        sb.append("---:|".repeat(rounds)).append("---:|---|---:|\n");
        for (BenchPath p : paths) {
            Iperf.Measurement[] ms = results.get(p);
            sb.append("| ").append(p.id).append(" |");
            List<String> retr = new ArrayList<>();
            for (Iperf.Measurement m : ms) {
                sb.append(' ').append(m == null ? "failed" : fmt(m.mbps(), 0)).append(" |");
                retr.add(m == null ? "-" : Long.toString(m.retransmits()));
            }
            sb.append(" **").append(fmt(median(p, Iperf.Measurement::mbps), 0)).append("** | ")
                    .append(String.join(", ", retr)).append(" | ")
                    .append(fmt(median(p, Iperf.Measurement::rttAvgMs), 3)).append(" |\n");
        }
        sb.append('\n');
        ratios(sb);
        return sb.toString();
    }

    private void ratios(StringBuilder sb) {
        List<BenchPath[]> pairs = new ArrayList<>();
        for (BenchPath t : List.of(BenchPath.TANDEM_UDP, BenchPath.TANDEM_RAW)) {
            for (BenchPath base : List.of(BenchPath.STRONGSWAN, BenchPath.PLAIN)) {
                if (paths.contains(t) && paths.contains(base)) {
                    pairs.add(new BenchPath[] {t, base});
                }
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        sb.append("| throughput ratio | per round | of the medians |\n|---|---|---:|\n");
        for (BenchPath[] pair : pairs) {
            List<String> per = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Iperf.Measurement a = results.get(pair[0])[r];
                Iperf.Measurement b = results.get(pair[1])[r];
                per.add(a == null || b == null ? "-" : fmt(a.mbps() / b.mbps(), 2));
            }
            sb.append("| ").append(pair[0].id).append(" / ").append(pair[1].id).append(" | ")
                    .append(String.join(", ", per)).append(" | **")
                    .append(fmt(median(pair[0], Iperf.Measurement::mbps) / median(pair[1], Iperf.Measurement::mbps), 2))
                    .append("** |\n");
        }
    }

    /** Per-measurement remarks: drop counters, ping loss, failures. */
    String renderNotes() {
        StringBuilder sb = new StringBuilder();
        for (BenchPath p : paths) {
            String[] n = notes.get(p);
            for (int r = 0; r < rounds; r++) {
                if (n[r] != null && !n[r].isBlank()) {
                    sb.append("- ").append(p.id).append(", round ").append(r + 1).append(":").append(n[r]).append('\n');
                }
            }
        }
        return sb.toString();
    }

    double median(BenchPath p, ToDoubleFunction<Iperf.Measurement> f) {
        double[] v = java.util.Arrays.stream(results.get(p)).filter(java.util.Objects::nonNull).mapToDouble(f)
                .sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
