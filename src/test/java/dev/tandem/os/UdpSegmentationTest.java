package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.dataplane.PacketBatch;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Run grouping for GSO sends and splitting of GRO receives, without a socket. */
class UdpSegmentationTest {

    private static PacketBatch lengths(int... lengths) {
        PacketBatch b = new PacketBatch(1 << 20);
        for (int len : lengths) {
            b.add(b.end(), len);
        }
        return b;
    }

    private static List<Integer> runs(int... lengths) {
        PacketBatch b = lengths(lengths);
        List<Integer> runs = new ArrayList<>();
        for (int i = 0; i < b.count(); ) {
            int end = UdpSegmentation.runEnd(b, i, b.count());
            assertThat(end).isGreaterThan(i);
            runs.add(end - i);
            i = end;
        }
        return runs;
    }

    private static int[] times(int n, int len) {
        return IntStream.generate(() -> len).limit(n).toArray();
    }

    @Test
    void runsHoldEqualPacketsAndEndAfterAShorterOne() {
        assertThat(runs(10, 10, 10, 5, 10)).containsExactly(4, 1);
        assertThat(runs(10, 10, 20, 20)).containsExactly(2, 2);
        assertThat(runs(10, 5, 5)).containsExactly(2, 1);
        assertThat(runs(7)).containsExactly(1);
    }

    @Test
    void emptyPacketsGoAlone() {
        assertThat(runs(0, 0, 10, 0, 10)).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void runsStopAt64SegmentsAnd65000Bytes() {
        assertThat(runs(times(128, 100))).containsExactly(64, 64);
        assertThat(runs(times(50, 1436))).containsExactly(45, 5);
        assertThat(runs(times(60, 1200))).containsExactly(54, 6);
        assertThat(runs(64_999, 1)).containsExactly(2);
        assertThat(runs(65_000, 1)).containsExactly(1, 1);
        assertThat(runs(65_001, 65_001)).containsExactly(1, 1);
        // the short last packet may not push the run over the byte limit either
        assertThat(runs(32_500, 32_500, 1)).containsExactly(2, 1);
    }

    @Test
    void runsEndAtTheBatchCount() {
        PacketBatch b = lengths(10, 10, 10, 10);
        assertThat(UdpSegmentation.runEnd(b, 1, 3)).isEqualTo(3);
    }

    private static MemorySegment bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return MemorySegment.ofArray(b);
    }

    private static List<byte[]> pieces(PacketBatch b) {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < b.count(); i++) {
            list.add(Arrays.copyOfRange(b.buf, b.offset(i), b.offset(i) + b.length(i)));
        }
        return list;
    }

    private static byte[] slice(MemorySegment s, int from, int to) {
        return Arrays.copyOfRange(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), from, to);
    }

    @Test
    void withoutAGroSizeItIsOneDatagram() {
        MemorySegment data = bytes(1000);
        PacketBatch b = new PacketBatch(2000);
        assertThat(UdpSegmentation.split(data, 1000, -1, false, b)).isZero();
        assertThat(pieces(b)).containsExactly(slice(data, 0, 1000));
    }

    @Test
    void aGroBufferSplitsBySegmentSizeWithAShorterLast() {
        MemorySegment data = bytes(2500);
        PacketBatch b = new PacketBatch(4000);
        assertThat(UdpSegmentation.split(data, 2500, 1000, false, b)).isZero();
        assertThat(pieces(b)).containsExactly(slice(data, 0, 1000), slice(data, 1000, 2000), slice(data, 2000, 2500));
    }

    @Test
    void aSegmentSizeAsLargeAsTheDataMeansOneDatagram() {
        MemorySegment data = bytes(700);
        PacketBatch b = new PacketBatch(4000);
        assertThat(UdpSegmentation.split(data, 700, 1400, false, b)).isZero();
        assertThat(pieces(b)).containsExactly(slice(data, 0, 700));
    }

    @Test
    void aTruncatedReceiveKeepsOnlyWholeDatagrams() {
        MemorySegment data = bytes(2500);
        PacketBatch b = new PacketBatch(4000);
        assertThat(UdpSegmentation.split(data, 2500, 1000, true, b)).isEqualTo(1);
        assertThat(pieces(b)).containsExactly(slice(data, 0, 1000), slice(data, 1000, 2000));

        b.clear();
        assertThat(UdpSegmentation.split(data, 2000, 1000, true, b)).isEqualTo(1);
        assertThat(b.count()).isEqualTo(2);

        b.clear();
        assertThat(UdpSegmentation.split(data, 2500, -1, true, b)).isEqualTo(1);
        assertThat(b.count()).isZero();
    }

    @Test
    void whatDoesNotFitTheBatchIsDroppedAndCounted() {
        MemorySegment data = bytes(2500);
        PacketBatch small = new PacketBatch(2100);
        assertThat(UdpSegmentation.split(data, 2500, 1000, false, small)).isEqualTo(1);
        assertThat(pieces(small)).containsExactly(slice(data, 0, 1000), slice(data, 1000, 2000));

        PacketBatch nearlyFull = new PacketBatch(1 << 20);
        for (int i = 0; i < PacketBatch.MAX_PACKETS - 1; i++) {
            nearlyFull.add(nearlyFull.end(), 1);
        }
        assertThat(UdpSegmentation.split(data, 2500, 1000, false, nearlyFull)).isEqualTo(2);
        assertThat(nearlyFull.count()).isEqualTo(PacketBatch.MAX_PACKETS);
        assertThat(nearlyFull.length(PacketBatch.MAX_PACKETS - 1)).isEqualTo(1000);
    }

    @Test
    void anEmptyDatagramIsOneDatagram() {
        PacketBatch b = new PacketBatch(10);
        assertThat(UdpSegmentation.split(bytes(0), 0, -1, false, b)).isZero();
        assertThat(b.count()).isEqualTo(1);
        assertThat(b.length(0)).isZero();
    }

    @Test
    void piecesAreAppendedAfterWhatTheBatchHolds() {
        MemorySegment data = bytes(300);
        PacketBatch b = lengths(5);
        assertThat(UdpSegmentation.split(data, 300, 100, false, b)).isZero();
        assertThat(b.count()).isEqualTo(4);
        assertThat(b.offset(1)).isEqualTo(5);
        assertThat(Arrays.copyOfRange(b.buf, 5, 305)).isEqualTo(slice(data, 0, 300));
    }
}
