package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The replication benchmark's own code at a tiny size, so that it keeps
 * working: both phases complete over real TCP on loopback and give numbers
 * that make sense. No timing is asserted; the benchmark is for that.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyncBenchTest {

    @Test
    void aTinyRunCompletesWithSaneNumbers() throws Exception {
        SyncBench.Settings s = new SyncBench.Settings(200, 20, 2, 20, 50, 0);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SyncBench.Result r = SyncBench.run(s, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(r.fillNanos()).isPositive();
        assertThat(r.snapshots()).hasSize(2);
        for (SyncBench.SnapshotRun run : r.snapshots()) {
            assertThat(run.nanos()).isPositive();
            // every SA crossed the wire: at least its 36 key bytes and its SPI, sealed
            assertThat(run.bytesReceived()).isGreaterThan(200L * 40);
            assertThat(run.usage().peakHeapUsed()).isPositive();
        }
        assertThat(r.latencyNanos()).hasSize(50);
        assertThat(Arrays.stream(r.latencyNanos()).min().orElseThrow()).isPositive();
        // the request is handed to the master's loop before the add runs there
        for (int i = 0; i < 50; i++) {
            assertThat(r.requestNanos()[i]).isGreaterThanOrEqualTo(r.latencyNanos()[i]);
        }
        long[] sorted = r.latencyNanos().clone();
        Arrays.sort(sorted);
        assertThat(SyncBench.percentile(sorted, 50)).isLessThanOrEqualTo(SyncBench.percentile(sorted, 99));
        assertThat(SyncBench.percentile(sorted, 99)).isLessThanOrEqualTo(sorted[sorted.length - 1]);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("50 measured adds done");

        String report = SyncBench.report(r);
        assertThat(report).contains("### Snapshot of 200 SAs and 20 flows, 2 runs")
                .contains("| 1 (cold) |").contains("| median |")
                .contains("### Latency of single SA adds, 50 samples after 20 warm-up adds")
                .contains("GC pauses while the measured adds ran");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = new long[100];
        Arrays.setAll(v, i -> i + 1);
        assertThat(SyncBench.percentile(v, 50)).isEqualTo(50);
        assertThat(SyncBench.percentile(v, 99)).isEqualTo(99);
        assertThat(SyncBench.percentile(v, 100)).isEqualTo(100);
        assertThat(SyncBench.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void optionsAreReadAndBadOnesRefused() {
        assertThat(SyncBench.parse(new String[] {"--sas", "10", "--samples", "5"}))
                .isEqualTo(new SyncBench.Settings(10, 1_000, 5, 2_000, 5, 0));
        assertThat(SyncBench.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> SyncBench.parse(new String[] {"--sas"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyncBench.parse(new String[] {"--runs", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
