package dev.tandem.dataplane.offload;

import static dev.tandem.dataplane.offload.Wire.ACK;
import static dev.tandem.dataplane.offload.Wire.CWR;
import static dev.tandem.dataplane.offload.Wire.FIN;
import static dev.tandem.dataplane.offload.Wire.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.dataplane.PacketBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmenterTest {

    private static final int BATCH = 256 * 1024;

    /** A super-packet as a TUN device hands it out, and its header. */
    record Super(byte[] packet, VirtioNetHdr hdr) {
    }

    static Super superPacket(Wire.Segment s, int gsoSize, int gsoType) {
        byte[] p = s.buildPartial();
        int l4 = s.ipHeaderLength();
        return new Super(p, new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, gsoType, l4 + s.l4HeaderLength(), gsoSize,
                l4, s.udp ? 6 : 16));
    }

    /** The i-th segment the kernel's GSO would make, built from scratch. */
    static byte[] expectedSegment(Wire.Segment s, int gsoSize, int i, int count) {
        Wire.Segment e = s.copy();
        int from = i * gsoSize;
        e.payload = Arrays.copyOfRange(s.payload, from, Math.min(s.payload.length, from + gsoSize));
        if (!s.ipv6) {
            e.id = s.id + i & 0xffff;
        }
        if (!s.udp) {
            e.seq = s.seq + from;
            if (i > 0) {
                e.flags &= ~CWR;
            }
            if (i < count - 1) {
                e.flags &= ~(FIN | PSH);
            }
        }
        return e.build();
    }

    static List<byte[]> packets(PacketBatch b) {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < b.count(); i++) {
            list.add(Arrays.copyOfRange(b.buf, b.offset(i), b.offset(i) + b.length(i)));
        }
        return list;
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static List<byte[]> split(Super sp) {
        PacketBatch out = new PacketBatch(BATCH);
        int n = Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), out);
        assertThat(n).isEqualTo(out.count());
        return packets(out);
    }

    @Test
    void splitsA64KibTcp4SuperPacketIntoValidSegments() {
        Wire.Segment s = Wire.Segment.v4();
        s.options = Wire.TIMESTAMPS;
        s.payload = random(new Random(1), 65_535 - 20 - 32);
        s.flags = ACK | PSH;
        s.seq = 0xffff_f000; // wraps during the run
        s.id = 0xfffe; // so does the IP ID
        List<byte[]> segs = split(superPacket(s, 1448, VirtioNetHdr.GSO_TCPV4));

        int count = (s.payload.length + 1447) / 1448;
        assertThat(segs).hasSize(count);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] p = segs.get(i);
            int expectedPayload = Math.min(1448, s.payload.length - i * 1448);
            assertThat(p).hasSize(52 + expectedPayload);
            assertThat(Wire.ipv4HeaderValid(p)).as("IPv4 header checksum of %d", i).isTrue();
            assertThat(Wire.l4ChecksumValid(p)).as("TCP checksum of %d", i).isTrue();
            assertThat(Wire.u16(p, 2)).isEqualTo(p.length);
            assertThat(Wire.u16(p, 4)).isEqualTo(0xfffe + i & 0xffff);
            assertThat(Wire.i32(p, 24)).isEqualTo(0xffff_f000 + i * 1448);
            assertThat(p[33] & 0xff).isEqualTo(i == count - 1 ? ACK | PSH : ACK);
            assertThat(Arrays.copyOfRange(p, 40, 52)).containsExactly(Wire.TIMESTAMPS);
            payload.write(p, 52, p.length - 52);
            assertThat(p).as("segment %d", i).containsExactly(expectedSegment(s, 1448, i, count));
        }
        assertThat(payload.toByteArray()).containsExactly(s.payload);
    }

    @Test
    void splitsA64KibTcp6SuperPacketIntoValidSegments() {
        Wire.Segment s = Wire.Segment.v6();
        s.options = Wire.TIMESTAMPS;
        s.payload = random(new Random(2), 65_535 - 32); // IPv6 payload length 65535
        s.flags = ACK | PSH | FIN;
        List<byte[]> segs = split(superPacket(s, 1428, VirtioNetHdr.GSO_TCPV6));

        int count = (s.payload.length + 1427) / 1428;
        assertThat(segs).hasSize(count);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] p = segs.get(i);
            assertThat(Wire.l4ChecksumValid(p)).as("TCP checksum of %d", i).isTrue();
            assertThat(Wire.u16(p, 4)).isEqualTo(p.length - 40);
            assertThat(Wire.i32(p, 44)).isEqualTo(s.seq + i * 1428);
            assertThat(p[53] & 0xff).isEqualTo(i == count - 1 ? ACK | PSH | FIN : ACK);
            assertThat(Arrays.copyOf(p, 4)).containsExactly(Arrays.copyOf(s.build(), 4)); // flow label kept
            payload.write(p, 72, p.length - 72);
            assertThat(p).as("segment %d", i).containsExactly(expectedSegment(s, 1428, i, count));
        }
        assertThat(payload.toByteArray()).containsExactly(s.payload);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cwrOnlyOnTheFirstSegmentWithEcn(boolean ipv6) {
        Wire.Segment s = ipv6 ? Wire.Segment.v6() : Wire.Segment.v4();
        s.flags = ACK | CWR | PSH;
        s.payload = random(new Random(3), 5000);
        int type = (ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4) | VirtioNetHdr.GSO_ECN;
        List<byte[]> segs = split(superPacket(s, 1000, type));
        int flagsAt = s.ipHeaderLength() + 13;
        assertThat(segs).extracting(p -> p[flagsAt] & 0xff)
                .containsExactly(ACK | CWR, ACK, ACK, ACK, ACK | PSH);
        for (int i = 0; i < 5; i++) {
            assertThat(segs.get(i)).containsExactly(expectedSegment(s, 1000, i, 5));
        }
    }

    @Test
    void aPayloadOfWholeSegmentsEndsWithAFullOne() {
        Wire.Segment s = Wire.Segment.v4();
        s.payload = random(new Random(4), 10 * 1460);
        List<byte[]> segs = split(superPacket(s, 1460, VirtioNetHdr.GSO_TCPV4));
        assertThat(segs).hasSize(10).allSatisfy(p -> assertThat(p).hasSize(1500));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1459, 1460})
    void aSmallSuperPacketIsOneSegment(int payload) {
        Wire.Segment s = Wire.Segment.v4();
        s.flags = ACK | PSH;
        s.payload = random(new Random(payload), payload);
        List<byte[]> segs = split(superPacket(s, 1460, VirtioNetHdr.GSO_TCPV4));
        assertThat(segs).hasSize(1);
        assertThat(segs.getFirst()).containsExactly(s.build());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void splitsUdpSegmentationOffload(boolean ipv6) {
        Wire.Segment s = ipv6 ? Wire.Segment.v6() : Wire.Segment.v4();
        s.udp = true;
        s.payload = random(new Random(5), 20_000);
        List<byte[]> segs = split(superPacket(s, 1200, VirtioNetHdr.GSO_UDP_L4));
        assertThat(segs).hasSize(17);
        int l4 = s.ipHeaderLength();
        for (int i = 0; i < segs.size(); i++) {
            byte[] p = segs.get(i);
            assertThat(Wire.l4ChecksumValid(p)).isTrue();
            assertThat(Wire.u16(p, l4 + 4)).isEqualTo(p.length - l4);
            assertThat(p).containsExactly(expectedSegment(s, 1200, i, 17));
        }
        assertThat(segs.getLast()).hasSize(l4 + 8 + 20_000 - 16 * 1200);
    }

    /** Makes the last two payload bytes such that the UDP or TCP checksum comes out as 0. */
    static Wire.Segment withZeroChecksum(Wire.Segment s) {
        s.payload[s.payload.length - 2] = 0;
        s.payload[s.payload.length - 1] = 0;
        byte[] p = s.build();
        int l4 = s.ipHeaderLength();
        Wire.put16(p, l4 + (s.udp ? 6 : 16), 0);
        int sum = ~Wire.checksum(Wire.pseudoHeader(p, l4, p.length - l4), Arrays.copyOfRange(p, l4, p.length)) & 0xffff;
        // the data must sum to 0xffff for the checksum to be 0
        int missing = 0xffff - sum;
        s.payload[s.payload.length - 2] = (byte) (missing >>> 8);
        s.payload[s.payload.length - 1] = (byte) missing;
        return s;
    }

    @Test
    void aUdpSegmentWhoseChecksumIsZeroSendsFfff() {
        Wire.Segment s = Wire.Segment.v4();
        s.udp = true;
        s.payload = random(new Random(6), 1000);
        withZeroChecksum(s);
        List<byte[]> segs = split(superPacket(s, 1200, VirtioNetHdr.GSO_UDP_L4));
        assertThat(Wire.u16(segs.getFirst(), 26)).isEqualTo(0xffff);
        assertThat(Wire.l4ChecksumValid(segs.getFirst())).isTrue();
    }

    @Test
    void aPlainPacketPassesThroughUntouched() {
        byte[] p = random(new Random(8), 1400); // not even IP: that is for later stages to judge
        List<byte[]> segs = split(new Super(p, VirtioNetHdr.NONE));
        assertThat(segs).hasSize(1);
        assertThat(segs.getFirst()).containsExactly(p);
        byte[] valid = new byte[1400];
        new Random(9).nextBytes(valid);
        VirtioNetHdr dataValid = new VirtioNetHdr(VirtioNetHdr.F_DATA_VALID, 0, 0, 0, 0, 0);
        assertThat(split(new Super(valid, dataValid)).getFirst()).containsExactly(valid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp4", "tcp6", "udp4", "udp6"})
    void finishesAPartialChecksumLikeTheKernel(String kind) {
        Wire.Segment s = kind.endsWith("6") ? Wire.Segment.v6() : Wire.Segment.v4();
        s.udp = kind.startsWith("udp");
        s.options = s.udp ? new byte[0] : Wire.TIMESTAMPS;
        s.payload = random(new Random(kind.hashCode()), 999);
        Super sp = superPacket(s, 0, VirtioNetHdr.GSO_NONE);
        List<byte[]> out = split(sp);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst()).containsExactly(s.build());
        assertThat(sp.packet()).as("input left alone").containsExactly(s.buildPartial());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFinishedChecksumOfZeroIsSentAsFfffForEveryProtocol(boolean udp) {
        // skb_checksum_help: csum_fold(csum) ?: CSUM_MANGLED_0, whatever the protocol
        Wire.Segment s = Wire.Segment.v4();
        s.udp = udp;
        s.payload = random(new Random(10), 100);
        withZeroChecksum(s);
        List<byte[]> out = split(superPacket(s, 0, VirtioNetHdr.GSO_NONE));
        assertThat(Wire.u16(out.getFirst(), 20 + (udp ? 6 : 16))).isEqualTo(0xffff);
        assertThat(Wire.l4ChecksumValid(out.getFirst())).isTrue();
    }

    @Test
    void appendsBehindWhatIsInTheBatchAndReadsOnlyItsWindow() {
        Wire.Segment s = Wire.Segment.v4();
        s.payload = random(new Random(11), 4000);
        Super sp = superPacket(s, 1000, VirtioNetHdr.GSO_TCPV4);
        byte[] framed = Wire.concat(Wire.concat(random(new Random(12), 33), sp.packet()), random(new Random(13), 7));

        PacketBatch out = new PacketBatch(BATCH);
        out.buf[0] = 42;
        out.add(0, 100);
        assertThat(Segmenter.split(framed, 33, sp.packet().length, sp.hdr(), out)).isEqualTo(4);
        assertThat(out.count()).isEqualTo(5);
        assertThat(out.offset(1)).isEqualTo(100);
        assertThat(out.buf[0]).isEqualTo((byte) 42);
        List<byte[]> segs = packets(out).subList(1, 5);
        for (int i = 0; i < 4; i++) {
            assertThat(segs.get(i)).containsExactly(expectedSegment(s, 1000, i, 4));
        }
    }

    @Test
    void theKernelsHdrLenIsOnlyAHint() {
        Wire.Segment s = Wire.Segment.v4();
        s.options = Wire.TIMESTAMPS;
        s.payload = random(new Random(14), 6000);
        Super sp = superPacket(s, 1448, VirtioNetHdr.GSO_TCPV4);
        List<byte[]> expected = split(sp);
        VirtioNetHdr h = sp.hdr();
        // older kernels report skb_headlen: here a whole first segment, or everything
        for (int hdrLen : new int[] {0, 52 + 1448, sp.packet().length, 0xffff}) {
            VirtioNetHdr hint = new VirtioNetHdr(h.flags(), h.gsoType(), hdrLen, h.gsoSize(), h.csumStart(), h.csumOffset());
            assertThat(split(new Super(sp.packet(), hint))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void withoutRoomForEverySegmentNothingIsWritten() {
        Wire.Segment s = Wire.Segment.v4();
        s.payload = random(new Random(15), 10_000);
        Super sp = superPacket(s, 1000, VirtioNetHdr.GSO_TCPV4);
        int needed = 10 * 1040;

        PacketBatch exact = new PacketBatch(needed);
        assertThat(Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), exact)).isEqualTo(10);

        PacketBatch small = new PacketBatch(needed - 1);
        assertThat(Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), small)).isEqualTo(-1);
        assertThat(small.count()).isZero();
        assertThat(small.buf).containsOnly(0);

        PacketBatch crowded = new PacketBatch(BATCH);
        for (int i = 0; i < PacketBatch.MAX_PACKETS - 9; i++) {
            crowded.add(i, 1);
        }
        assertThat(Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), crowded)).isEqualTo(-1);
        assertThat(crowded.count()).isEqualTo(PacketBatch.MAX_PACKETS - 9);
        crowded.clear();
        for (int i = 0; i < PacketBatch.MAX_PACKETS - 10; i++) {
            crowded.add(i, 1);
        }
        assertThat(Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), crowded)).isEqualTo(10);

        PacketBatch full = new PacketBatch(1399);
        assertThat(Segmenter.split(new byte[1400], 0, 1400, VirtioNetHdr.NONE, full)).isEqualTo(-1);
    }

    /** A valid TSOv4 super-packet with one thing changed; split must refuse it. */
    private static void assertRefused(String what, Consumer<Wire.Segment> segment, int gsoType,
                                      java.util.function.UnaryOperator<VirtioNetHdr> header,
                                      java.util.function.UnaryOperator<byte[]> bytes) {
        Wire.Segment s = (gsoType & 0x7f) == VirtioNetHdr.GSO_TCPV6 ? Wire.Segment.v6() : Wire.Segment.v4();
        s.udp = gsoType == VirtioNetHdr.GSO_UDP_L4;
        s.payload = new byte[3000];
        segment.accept(s);
        Super sp = superPacket(s, 1000, gsoType);
        byte[] p = bytes.apply(sp.packet());
        PacketBatch out = new PacketBatch(BATCH);
        assertThat(Segmenter.split(p, 0, p.length, header.apply(sp.hdr()), out)).as(what).isEqualTo(-1);
        assertThat(out.count()).isZero();
        assertThat(out.buf).as(what).containsOnly(0);
    }

    private static VirtioNetHdr with(VirtioNetHdr h, int flags, int type, int gsoSize, int start, int offset) {
        return new VirtioNetHdr(flags, type, h.hdrLen(), gsoSize, start, offset);
    }

    @Test
    void refusesMalformedOrInconsistentInput() {
        int v4 = VirtioNetHdr.GSO_TCPV4;
        Consumer<Wire.Segment> same = s -> { };
        java.util.function.UnaryOperator<byte[]> asIs = p -> p;
        for (int type : new int[] {2, 3, 6, 7, 0x7f, 0x80, 0x83, 0x85, 0xff}) {
            assertRefused("gso_type " + type, same, v4,
                    h -> with(h, 1, type, h.gsoSize(), h.csumStart(), h.csumOffset()), asIs);
        }
        assertRefused("gso_size 0", same, v4, h -> with(h, 1, v4, 0, 20, 16), asIs);
        assertRefused("GSO_BY_FRAGS", same, v4, h -> with(h, 1, v4, 0xffff, 20, 16), asIs);
        assertRefused("GSO without NEEDS_CSUM", same, v4, h -> with(h, 0, v4, 1000, 20, 16), asIs);
        assertRefused("GSO with DATA_VALID only", same, v4, h -> with(h, 2, v4, 1000, 20, 16), asIs);
        assertRefused("TCP csum_offset not 16", same, v4, h -> with(h, 1, v4, 1000, 20, 6), asIs);
        assertRefused("UDP csum_offset not 6", same, VirtioNetHdr.GSO_UDP_L4, h -> with(h, 1, 5, 1000, 20, 16), asIs);
        assertRefused("csum_start inside the IPv4 header", same, v4, h -> with(h, 1, v4, 1000, 16, 16), asIs);
        assertRefused("csum_start past the IPv4 header", same, v4, h -> with(h, 1, v4, 1000, 24, 16), asIs);
        assertRefused("csum_start past the end", same, v4, h -> with(h, 1, v4, 1000, 0xfff0, 16), asIs);
        assertRefused("csum_start inside the IPv6 header", same, VirtioNetHdr.GSO_TCPV6,
                h -> with(h, 1, 4, 1000, 20, 16), asIs);
        assertRefused("IPv6 packet, TCPV4", same, VirtioNetHdr.GSO_TCPV6,
                h -> with(h, 1, v4, 1000, 40, 16), asIs);
        assertRefused("IPv4 packet, TCPV6", same, v4,
                h -> with(h, 1, VirtioNetHdr.GSO_TCPV6, 1000, 20, 16), asIs);
        assertRefused("IP version 5", same, VirtioNetHdr.GSO_UDP_L4, h -> h, p -> { p[0] = 0x55; return p; });
        assertRefused("UDP in a TCPV4 header", s -> s.udp = true, v4, h -> with(h, 1, v4, 1000, 20, 16), asIs);
        assertRefused("UDP_L4 with ECN", same, VirtioNetHdr.GSO_UDP_L4,
                h -> with(h, 1, 0x85, 1000, 20, 6), asIs);
        assertRefused("IPv6 next header not TCP", same, VirtioNetHdr.GSO_TCPV6, h -> h, p -> { p[6] = 17; return p; });
        assertRefused("IPv4 more fragments", s -> s.fragment = 0x2000, v4, h -> h, asIs);
        assertRefused("IPv4 fragment offset", s -> s.fragment = 0x0010, v4, h -> h, asIs);
        assertRefused("IPv4 header length 16", same, v4, h -> with(h, 1, v4, 1000, 16, 16), p -> {
            p[0] = 0x44;
            return p;
        });
        assertRefused("TCP data offset 4", same, v4, h -> h, p -> { p[32] = 0x40; return p; });
        assertRefused("TCP data offset past the end", same, v4, h -> h, p -> {
            p[32] = (byte) 0xf0;
            return Arrays.copyOf(p, 70);
        });
        assertRefused("segment too long for an IPv4 total length", same, v4,
                h -> with(h, 1, v4, 0xfffe, 20, 16), p -> Arrays.copyOf(p, 70_000));
        assertRefused("shorter than a TCP header", same, v4, h -> h, p -> Arrays.copyOf(p, 39));
        assertRefused("shorter than an IPv6 header", same, VirtioNetHdr.GSO_TCPV6, h -> h, p -> Arrays.copyOf(p, 39));
        assertRefused("shorter than an IPv4 header", same, VirtioNetHdr.GSO_NONE, h -> VirtioNetHdr.NONE,
                p -> Arrays.copyOf(p, 19));
        assertRefused("NONE, csum_start past the end", same, VirtioNetHdr.GSO_NONE,
                h -> with(h, 1, 0, 0, 3040, 0), asIs);
        assertRefused("NONE, checksum field past the end", same, VirtioNetHdr.GSO_NONE,
                h -> with(h, 1, 0, 0, 20, 3019), asIs);
        assertRefused("NONE, csum_start inside the IP header", same, VirtioNetHdr.GSO_NONE,
                h -> with(h, 1, 0, 0, 10, 0), asIs);
    }

    @Test
    void refusesAWindowOutsideTheArray() {
        byte[] p = new byte[100];
        PacketBatch out = new PacketBatch(BATCH);
        assertThat(Segmenter.split(p, -1, 50, VirtioNetHdr.NONE, out)).isEqualTo(-1);
        assertThat(Segmenter.split(p, 60, 41, VirtioNetHdr.NONE, out)).isEqualTo(-1);
        assertThat(Segmenter.split(p, 1, Integer.MAX_VALUE, VirtioNetHdr.NONE, out)).isEqualTo(-1);
        assertThat(Segmenter.split(p, 0, -5, VirtioNetHdr.NONE, out)).isEqualTo(-1);
        assertThat(Segmenter.split(null, 0, 50, VirtioNetHdr.NONE, out)).isEqualTo(-1);
        assertThat(Segmenter.split(p, 0, 50, null, out)).isEqualTo(-1);
        assertThat(Segmenter.split(p, 0, 50, VirtioNetHdr.NONE, null)).isEqualTo(-1);
        assertThat(out.count()).isZero();
        assertThat(Segmenter.split(p, 60, 40, VirtioNetHdr.NONE, out)).isEqualTo(1);
    }

    /**
     * Random and damaged input: split never throws, writes only behind
     * {@code out.end()} and only when it succeeds, and what lies outside the
     * window never changes the result.
     */
    @Test
    void survivesRandomAndDamagedInput() throws IOException {
        Random r = new Random(20_240_601);
        int successes = 0;
        for (int round = 0; round < 20_000; round++) {
            Super sp = damaged(r);
            int pad = r.nextInt(16);
            byte[] a = Wire.concat(Wire.concat(random(r, pad), sp.packet()), random(r, r.nextInt(16)));
            byte[] b = a.clone();
            for (int i = 0; i < a.length; i++) {
                if (i < pad || i >= pad + sp.packet().length) {
                    b[i] = (byte) ~a[i];
                }
            }
            PacketBatch outA = new PacketBatch(1 + r.nextInt(BATCH));
            PacketBatch outB = new PacketBatch(outA.buf.length);
            int before = r.nextInt(Math.min(outA.buf.length, 3000));
            if (before > 0) {
                outA.add(0, before);
                outB.add(0, before);
            }
            int na = Segmenter.split(a, pad, sp.packet().length, sp.hdr(), outA);
            int nb = Segmenter.split(b, pad, sp.packet().length, sp.hdr(), outB);
            assertThat(nb).as("round %d", round).isEqualTo(na);
            assertThat(outB.buf).as("round %d", round).isEqualTo(outA.buf);
            assertThat(Arrays.copyOf(outA.buf, before)).isEqualTo(new byte[before]);
            if (na < 0) {
                assertThat(outA.buf).as("round %d: nothing written on failure", round).isEqualTo(new byte[outA.buf.length]);
                assertThat(outA.count()).isEqualTo(before > 0 ? 1 : 0);
            } else {
                successes++;
                assertThat(outA.count()).isEqualTo((before > 0 ? 1 : 0) + na);
                List<byte[]> made = packets(outA).subList(before > 0 ? 1 : 0, outA.count());
                for (byte[] seg : made) {
                    if (sp.hdr().gsoType() != 0 && (seg[0] & 0xf0) == 0x40) {
                        assertThat(Wire.ipv4HeaderValid(seg)).as("round %d", round).isTrue();
                    }
                }
                if (made.stream().allMatch(p -> p.length <= Coalescer.MAX_PACKET)) {
                    CoalescerTest.assertRoundTrip(made);
                }
            }
        }
        assertThat(successes).as("the damage leaves some packets valid").isGreaterThan(1000);
    }

    /** A plausible super-packet or plain packet, then maybe damaged in its bytes, length or header. */
    private static Super damaged(Random r) {
        Wire.Segment s = r.nextBoolean() ? Wire.Segment.v4() : Wire.Segment.v6();
        s.udp = r.nextInt(4) == 0;
        s.options = r.nextBoolean() ? Wire.TIMESTAMPS : new byte[0];
        s.payload = random(r, r.nextInt(r.nextBoolean() ? 3000 : 66_000));
        if (!s.ipv6 && s.payload.length > 65_000) {
            s.payload = Arrays.copyOf(s.payload, 65_000);
        }
        s.flags = r.nextInt(256);
        int type = s.udp ? VirtioNetHdr.GSO_UDP_L4 : s.ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4;
        if (r.nextInt(5) == 0) {
            type = VirtioNetHdr.GSO_NONE;
        }
        Super sp = superPacket(s, 1 + r.nextInt(r.nextBoolean() ? 1500 : 0xffff), type);
        byte[] p = sp.packet();
        VirtioNetHdr h = sp.hdr();
        switch (r.nextInt(6)) {
            case 0 -> { }
            case 1 -> {
                for (int i = r.nextInt(4); i >= 0; i--) {
                    p[r.nextInt(Math.min(p.length, 80))] = (byte) r.nextInt();
                }
            }
            case 2 -> p = Arrays.copyOf(p, r.nextInt(p.length + 1));
            case 3 -> h = new VirtioNetHdr(r.nextInt(4), r.nextInt(8) | (r.nextBoolean() ? 0x80 : 0),
                    r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(100), r.nextInt(30));
            case 4 -> h = new VirtioNetHdr(r.nextInt(256), r.nextInt(256), r.nextInt(0x10000), r.nextInt(0x10000),
                    r.nextInt(0x10000), r.nextInt(0x10000));
            default -> p = random(r, r.nextInt(200));
        }
        return new Super(p, h);
    }
}
