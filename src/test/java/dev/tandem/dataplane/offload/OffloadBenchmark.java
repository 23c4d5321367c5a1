package dev.tandem.dataplane.offload;

import dev.tandem.dataplane.PacketBatch;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 64 KiB TCP super-packet per operation: {@link #split} cuts it into
 * MSS-sized segments with every checksum computed, {@link #coalesce} checks
 * those segments and merges them back into one TUN write. Multiply the
 * operations per second by 65535 * 8 for bit/s.
 *
 * <p>Run with {@code bench/jmh OffloadBenchmark}. Not a test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class OffloadBenchmark {

    @Param({"false", "true"})
    public boolean ipv6;

    private byte[] superPacket;
    private VirtioNetHdr hdr;
    private final PacketBatch out = new PacketBatch(128 * 1024);
    private final PacketBatch segments = new PacketBatch(128 * 1024);
    private final Coalescer coalescer = new Coalescer();
    private long written;
    private final Coalescer.Sink sink = (buf, off, len) -> written += len;

    @Setup
    public void setUp() {
        Wire.Segment s = ipv6 ? Wire.Segment.v6() : Wire.Segment.v4();
        s.options = Wire.TIMESTAMPS;
        s.payload = new byte[65_535 - s.ipHeaderLength() - 32];
        new Random(1).nextBytes(s.payload);
        SegmenterTest.Super sp = SegmenterTest.superPacket(s, 1448,
                ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4);
        superPacket = sp.packet();
        hdr = sp.hdr();
        if (Segmenter.split(superPacket, 0, superPacket.length, hdr, segments) != 46) {
            throw new IllegalStateException("setup");
        }
    }

    @Benchmark
    public int split() {
        out.clear();
        return Segmenter.split(superPacket, 0, superPacket.length, hdr, out);
    }

    @Benchmark
    public long coalesce() throws IOException {
        coalescer.write(segments, sink);
        return written;
    }
}
