package dev.tandem.dataplane.offload;

import dev.tandem.net.Checksums;
import static dev.tandem.dataplane.offload.Wire.ACK;
import static dev.tandem.dataplane.offload.Wire.CWR;
import static dev.tandem.dataplane.offload.Wire.ECE;
import static dev.tandem.dataplane.offload.Wire.FIN;
import static dev.tandem.dataplane.offload.Wire.PSH;
import static dev.tandem.dataplane.offload.Wire.RST;
import static dev.tandem.dataplane.offload.Wire.SYN;
import static dev.tandem.dataplane.offload.Wire.URG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.dataplane.PacketBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoalescerTest {

    /** One TUN write, split into its header and packet. */
    record Out(VirtioNetHdr hdr, byte[] packet) {

        boolean plain(byte[] expected) {
            return hdr.equals(VirtioNetHdr.NONE) && Arrays.equals(packet, expected);
        }
    }

    /** Keeps copies: the coalescer reuses its buffer. */
    static final class Collect implements Coalescer.Sink {
        final List<Out> writes = new ArrayList<>();

        @Override
        public void write(byte[] buf, int off, int len) {
            assertThat(len).isGreaterThanOrEqualTo(VirtioNetHdr.SIZE);
            writes.add(new Out(VirtioNetHdr.read(buf, off),
                    Arrays.copyOfRange(buf, off + VirtioNetHdr.SIZE, off + len)));
        }
    }

    /** The packets laid out with garbage between them, as decrypted ESP payloads are. */
    static PacketBatch batch(List<byte[]> packets, Random r) {
        int size = 0;
        for (byte[] p : packets) {
            size += p.length + 64;
        }
        PacketBatch b = new PacketBatch(size);
        r.nextBytes(b.buf);
        int at = 0;
        for (byte[] p : packets) {
            at += r.nextInt(64);
            System.arraycopy(p, 0, b.buf, at, p.length);
            b.add(at, p.length);
            at += p.length;
        }
        return b;
    }

    static List<Out> coalesce(List<byte[]> packets) throws IOException {
        Collect sink = new Collect();
        int writes = new Coalescer().write(batch(packets, new Random(packets.size())), sink);
        assertThat(writes).isEqualTo(sink.writes.size());
        return sink.writes;
    }

    /** Consecutive segments of one flow with these payload lengths, IDs counting up. */
    static List<byte[]> flow(Wire.Segment first, int... payloads) {
        List<byte[]> list = new ArrayList<>();
        Wire.Segment s = first.copy();
        Random r = new Random(payloads.length);
        for (int n : payloads) {
            s.payload = SegmenterTest.random(r, n);
            list.add(s.build());
            s.seq += n;
            s.id = s.id + 1 & 0xffff;
        }
        return list;
    }

    static List<byte[]> resplit(List<Out> outs) {
        List<byte[]> segments = new ArrayList<>();
        for (Out o : outs) {
            PacketBatch b = new PacketBatch(256 * 1024);
            assertThat(Segmenter.split(o.packet(), 0, o.packet().length, o.hdr(), b)).isPositive();
            segments.addAll(SegmenterTest.packets(b));
        }
        return segments;
    }

    /** Merging what split made and splitting it again gives the same packets. */
    static void assertRoundTrip(List<byte[]> segments) throws IOException {
        assertThat(resplit(coalesce(segments))).containsExactlyElementsOf(segments);
    }

    /** What the kernel does with CHECKSUM_PARTIAL before it would send: sum from csum_start on, complement. */
    static byte[] finishLikeTheKernel(Out o) {
        byte[] p = o.packet().clone();
        int start = o.hdr().csumStart();
        int check = Wire.checksum(Arrays.copyOfRange(p, start, p.length));
        Wire.put16(p, start + o.hdr().csumOffset(), check);
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mergesSplitSegmentsBackIntoTheSuperPacket(boolean ipv6) throws IOException {
        Wire.Segment s = ipv6 ? Wire.Segment.v6() : Wire.Segment.v4();
        s.options = Wire.TIMESTAMPS;
        s.flags = ACK | PSH;
        s.payload = SegmenterTest.random(new Random(1), 65_535 - s.ipHeaderLength() - 32);
        SegmenterTest.Super sp = SegmenterTest.superPacket(s, 1448, ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4);
        PacketBatch segments = new PacketBatch(128 * 1024);
        assertThat(Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), segments)).isEqualTo(46);

        List<Out> outs = coalesce(SegmenterTest.packets(segments));

        assertThat(outs).hasSize(1);
        Out o = outs.getFirst();
        int ip = s.ipHeaderLength();
        assertThat(o.hdr()).isEqualTo(new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM,
                ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4, ip + 32, 1448, ip, 16));
        byte[] p = o.packet();
        assertThat(p).hasSize(65_535);
        assertThat(Wire.u16(p, ipv6 ? 4 : 2)).isEqualTo(ipv6 ? 65_535 - 40 : 65_535);
        if (!ipv6) {
            assertThat(Wire.ipv4HeaderValid(p)).isTrue();
            assertThat(Wire.u16(p, 4)).isEqualTo(s.id);
        }
        assertThat(Wire.i32(p, ip + 4)).isEqualTo(s.seq);
        assertThat(p[ip + 13] & 0xff).isEqualTo(ACK | PSH);
        assertThat(Arrays.copyOfRange(p, ip + 32, p.length)).containsExactly(s.payload);
        int pseudo = ~Wire.checksum(Wire.pseudoHeader(p, ip, p.length - ip)) & 0xffff;
        assertThat(Wire.u16(p, ip + 16)).as("folded pseudo-header sum, not complemented").isEqualTo(pseudo);
        assertThat(Wire.l4ChecksumValid(finishLikeTheKernel(o))).isTrue();
        assertThat(p).as("the very packet the kernel handed out").containsExactly(sp.packet());
    }

    /**
     * Round trip over many random super-packets: split, coalesce, split again
     * gives back the same segments byte for byte, and the coalescer merged
     * every run of mergeable segments into one write.
     */
    @Test
    void splitCoalesceSplitIsTheIdentity() throws IOException {
        Random r = new Random(42);
        byte[][] options = {{}, Wire.TIMESTAMPS, {1, 1, 1, 1}, {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9}};
        int merged = 0;
        for (int round = 0; round < 400; round++) {
            List<byte[]> segments = new ArrayList<>();
            int expectedWrites = 0;
            int flows = 1 + r.nextInt(3);
            for (int f = 0; f < flows && segments.size() < PacketBatch.MAX_PACKETS; f++) {
                Wire.Segment s = r.nextBoolean() ? Wire.Segment.v6() : Wire.Segment.v4();
                s.sport = 10_000 + f;
                s.options = options[r.nextInt(options.length)];
                s.seq = r.nextInt();
                s.ack = r.nextInt();
                s.id = r.nextInt(0x10000);
                s.df = r.nextBoolean();
                s.ttl = 1 + r.nextInt(255);
                s.tos = r.nextInt(256);
                s.window = r.nextInt(0x10000);
                s.flags = ACK | (r.nextBoolean() ? PSH : 0) | (r.nextInt(4) == 0 ? FIN : 0) | (r.nextInt(4) == 0 ? CWR : 0);
                int headers = s.ipHeaderLength() + s.l4HeaderLength();
                int mss = 536 + r.nextInt(r.nextBoolean() ? 1000 : 9000); // 64 KiB in at most 123 segments
                s.payload = SegmenterTest.random(r, r.nextInt(r.nextInt(4) == 0 ? 3 * mss : 65_536 - headers));
                int type = (s.ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4)
                        | ((s.flags & CWR) != 0 ? VirtioNetHdr.GSO_ECN : 0);
                SegmenterTest.Super sp = SegmenterTest.superPacket(s, mss, type);
                PacketBatch b = new PacketBatch(128 * 1024);
                int n = Segmenter.split(sp.packet(), 0, sp.packet().length, sp.hdr(), b);
                assertThat(n).isPositive();
                List<byte[]> these = SegmenterTest.packets(b);
                if (segments.size() + these.size() > PacketBatch.MAX_PACKETS) {
                    break; // one decrypted batch holds no more
                }
                segments.addAll(these);
                expectedWrites += writesFor(these, s.ipHeaderLength());
            }

            List<Out> outs = coalesce(segments);

            assertThat(outs).as("round %d", round).hasSize(expectedWrites);
            assertThat(resplit(outs)).as("round %d", round).containsExactlyElementsOf(segments);
            for (Out o : outs) {
                if (o.hdr().gsoType() != VirtioNetHdr.GSO_NONE) {
                    merged++;
                    assertThat(Wire.l4ChecksumValid(finishLikeTheKernel(o))).isTrue();
                }
            }
        }
        assertThat(merged).isGreaterThan(300);
    }

    /** Runs of plain ACK or ACK|PSH data segments make one write each; anything else goes alone. */
    private static int writesFor(List<byte[]> segments, int ip) {
        int writes = 0;
        boolean inRun = false;
        for (byte[] p : segments) {
            int flags = p[ip + 13] & 0xff;
            int tcp = (p[ip + 12] & 0xf0) >>> 2;
            boolean mergeable = (flags == ACK || flags == (ACK | PSH)) && p.length > ip + tcp;
            if (!mergeable || !inRun) {
                writes++;
            }
            inRun = mergeable && flags == ACK;
        }
        return writes;
    }

    private static Wire.Segment data() {
        Wire.Segment s = Wire.Segment.v4();
        s.options = Wire.TIMESTAMPS;
        return s;
    }

    /** Two full segments of one flow, the second changed by {@code change}: they must go out as they came. */
    private static void assertApart(String what, Consumer<Wire.Segment> change) throws IOException {
        assertApart(what, Wire.Segment.v4(), change);
    }

    private static void assertApart(String what, Wire.Segment first, Consumer<Wire.Segment> change) throws IOException {
        first.payload = SegmenterTest.random(new Random(3), 1000);
        byte[] a = first.build();
        Wire.Segment s = first.copy();
        s.seq += 1000;
        s.id = s.id + 1 & 0xffff;
        change.accept(s);
        byte[] b = s.build();
        List<Out> outs = coalesce(List.of(a, b));
        assertThat(outs).as(what).hasSize(2);
        assertThat(outs.get(0).plain(a)).as(what).isTrue();
        assertThat(outs.get(1).plain(b)).as(what).isTrue();
    }

    @Test
    void theSameTwoSegmentsUnchangedDoMerge() throws IOException {
        Wire.Segment s = Wire.Segment.v4();
        s.payload = SegmenterTest.random(new Random(3), 1000);
        byte[] a = s.build();
        s.seq += 1000;
        s.id++;
        assertThat(coalesce(List.of(a, s.build()))).hasSize(1);
    }

    @Test
    void segmentsOfOtherFlowsOrOutOfSequenceStayApart() throws IOException {
        assertApart("source port", s -> s.sport++);
        assertApart("destination port", s -> s.dport++);
        assertApart("source address", s -> s.src = new byte[] {10, 0, 0, 9});
        assertApart("destination address", s -> s.dst = new byte[] {10, 0, 0, 9});
        assertApart("sequence gap", s -> s.seq++);
        assertApart("sequence overlap", s -> s.seq--);
        assertApart("retransmission", s -> s.seq -= 1000);
        assertApart("ack number", s -> s.ack++);
        assertApart("window", s -> s.window++);
    }

    @Test
    void segmentsWithOtherFlagsStayApart() throws IOException {
        for (int flag : new int[] {SYN, FIN, RST, URG, ECE, CWR}) {
            assertApart("flag " + flag, s -> s.flags |= flag);
        }
        assertApart("no ACK", s -> s.flags = PSH);
        assertApart("reserved TCP bits", s -> s.reserved = 1);
        Wire.Segment first = Wire.Segment.v4();
        first.flags = SYN | ACK;
        assertApart("the first not plain ACK", first, s -> s.flags = ACK);
    }

    @Test
    void segmentsWithOtherOptionsStayApart() throws IOException {
        Wire.Segment first = data();
        assertApart("timestamp value", first, s -> s.options = new byte[] {1, 1, 8, 10, 0, 0, 0x12, 0x35, 0, 0, 0x56, 0x78});
        assertApart("options length", data(), s -> s.options = new byte[] {1, 1, 1, 1});
        assertApart("no options", data(), s -> s.options = new byte[0]);
    }

    @Test
    void ipv4SegmentsWithOtherHeadersStayApart() throws IOException {
        assertApart("TTL", s -> s.ttl--);
        assertApart("TOS", s -> s.tos = 0x10);
        assertApart("congestion experienced", s -> s.tos = 0x03);
        assertApart("DF", s -> s.df = false);
        assertApart("IP options", s -> s.ipOptions = new byte[] {1, 1, 1, 0});
        assertApart("more fragments", s -> s.fragment = 0x2000);
        assertApart("fragment offset", s -> s.fragment = 0x0100);
        Wire.Segment withOptions = Wire.Segment.v4();
        withOptions.ipOptions = new byte[] {1, 1, 1, 0};
        assertApart("IP options on both", withOptions, s -> { });
        Wire.Segment noDf = Wire.Segment.v4();
        noDf.df = false;
        assertApart("ID not counting up without DF", noDf, s -> s.id += 5);
        assertApart("ID the same without DF", noDf.copy(), s -> s.id--);
    }

    @Test
    void theIpIdOnlyMattersWithoutDf() throws IOException {
        Wire.Segment s = Wire.Segment.v4();
        s.df = false;
        s.id = 0xffff;
        List<byte[]> counting = flow(s, 1000, 1000, 1000); // 0xffff, 0, 1
        assertThat(coalesce(counting)).hasSize(1);

        Wire.Segment df = Wire.Segment.v4();
        df.payload = new byte[1000];
        byte[] a = df.build();
        df.seq += 1000;
        df.id = 7; // Linux sends DF segments with any ID it likes
        assertThat(coalesce(List.of(a, df.build()))).hasSize(1);
    }

    @Test
    void ipv6SegmentsWithOtherHeadersStayApart() throws IOException {
        assertApart("flow label", Wire.Segment.v6(), s -> s.flowLabel++);
        assertApart("traffic class", Wire.Segment.v6(), s -> s.tos = 0x20);
        assertApart("congestion experienced", Wire.Segment.v6(), s -> s.tos = 0x03);
        assertApart("hop limit", Wire.Segment.v6(), s -> s.ttl++);
        assertApart("source address", Wire.Segment.v6(), s -> s.src = Wire.bytes("20010db8000000000000000000000009"));
        assertApart("IPv4 after IPv6", Wire.Segment.v6(), s -> {
            s.ipv6 = false;
            s.src = new byte[] {10, 0, 0, 1};
            s.dst = new byte[] {10, 0, 0, 2};
        });
    }

    @Test
    void whatIsNotATcpDataSegmentStaysApart() throws IOException {
        assertApart("UDP", s -> s.udp = true);
        assertApart("pure ACK", s -> s.payload = new byte[0]);
        Wire.Segment pureAck = Wire.Segment.v4();
        List<Out> outs = coalesce(List.of(pureAck.build(), pureAck.build()));
        assertThat(outs).hasSize(2).allSatisfy(o -> assertThat(o.hdr()).isEqualTo(VirtioNetHdr.NONE));
        byte[] junk = SegmenterTest.random(new Random(4), 1500);
        byte[] tiny = {0x45};
        assertThat(coalesce(List.of(junk, tiny))).extracting(Out::packet).containsExactly(junk, tiny);
    }

    @Test
    void segmentsWithBadChecksumsAreNotVouchedFor() throws IOException {
        Wire.Segment s = Wire.Segment.v4();
        List<byte[]> good = flow(s, 1000, 1000, 1000);
        for (int which = 0; which < 3; which++) {
            for (int at : new int[] {11, 37, 500}) { // IPv4 checksum, TCP checksum, payload
                List<byte[]> packets = new ArrayList<>();
                good.forEach(p -> packets.add(p.clone()));
                byte[] bad = packets.get(which);
                bad[at] ^= 0x01;
                List<Out> outs = coalesce(packets);
                assertThat(outs).as("bad byte %d in %d", at, which).hasSize(which == 1 ? 3 : 2);
                assertThat(outs.stream().filter(o -> Arrays.equals(o.packet(), bad)).toList())
                        .as("the bad one goes out as it came, for the kernel to drop").hasSize(1)
                        .allSatisfy(o -> assertThat(o.hdr()).isEqualTo(VirtioNetHdr.NONE));
            }
        }
    }

    @Test
    void aPacketWithBytesBeyondItsIpLengthStaysApart() throws IOException {
        List<byte[]> f = flow(Wire.Segment.v4(), 1000, 1000);
        byte[] padded = Arrays.copyOf(f.get(1), f.get(1).length + 4);
        List<Out> outs = coalesce(List.of(f.get(0), padded));
        assertThat(outs).hasSize(2);
        assertThat(outs.get(1).plain(padded)).isTrue();
    }

    @Test
    void pshEndsTheGroup() throws IOException {
        Wire.Segment s = data();
        List<byte[]> f = flow(s, 1000, 1000, 1000, 1000, 1000);
        byte[] psh = withFlags(f.get(1), ACK | PSH);
        List<byte[]> packets = List.of(f.get(0), psh, f.get(2), f.get(3), f.get(4));
        List<Out> outs = coalesce(packets);
        assertThat(outs).hasSize(2);
        assertThat(outs.get(0).packet()[33] & 0xff).isEqualTo(ACK | PSH);
        assertThat(outs.get(0).hdr().gsoSize()).isEqualTo(1000);
        assertThat(outs.get(1).packet()[33] & 0xff).isEqualTo(ACK);
        assertThat(resplit(outs)).containsExactlyElementsOf(packets);

        List<byte[]> first = List.of(withFlags(f.get(0), ACK | PSH), f.get(1));
        assertThat(coalesce(first)).hasSize(2).allSatisfy(o -> assertThat(o.hdr()).isEqualTo(VirtioNetHdr.NONE));
    }

    private static byte[] withFlags(byte[] p, int flags) {
        int ip = (p[0] & 0xff) >>> 4 == 6 ? 40 : 20;
        byte[] q = p.clone();
        q[ip + 13] = (byte) flags;
        Wire.put16(q, ip + 16, 0);
        Wire.put16(q, ip + 16, Wire.checksum(Wire.pseudoHeader(q, ip, q.length - ip), Arrays.copyOfRange(q, ip, q.length)));
        assertThat(Wire.l4ChecksumValid(q)).isTrue();
        return q;
    }

    @Test
    void aShortSegmentEndsTheGroupAndNothingLongerFollowsAShortOne() throws IOException {
        Wire.Segment s = data();
        List<Out> shortLast = coalesce(flow(s, 1000, 1000, 600));
        assertThat(shortLast).hasSize(1);
        assertThat(shortLast.getFirst().hdr().gsoSize()).isEqualTo(1000);

        List<byte[]> shortMiddle = flow(s, 1000, 600, 1000, 1000);
        List<Out> outs = coalesce(shortMiddle);
        assertThat(outs).hasSize(2);
        assertThat(outs.get(1).hdr().gsoSize()).isEqualTo(1000);
        assertThat(resplit(outs)).containsExactlyElementsOf(shortMiddle);

        List<Out> growing = coalesce(flow(s, 500, 1000));
        assertThat(growing).hasSize(2).allSatisfy(o -> assertThat(o.hdr()).isEqualTo(VirtioNetHdr.NONE));
    }

    @Test
    void aGroupStopsBelow64Kib() throws IOException {
        int[] sizes = new int[46];
        Arrays.fill(sizes, 1460);
        List<byte[]> f = flow(Wire.Segment.v4(), sizes);
        List<Out> outs = coalesce(f);
        // 40 + 44 * 1460 = 64280 fits, one more would be 65740
        assertThat(outs).hasSize(2);
        assertThat(outs.get(0).packet()).hasSize(40 + 44 * 1460);
        assertThat(outs.get(1).hdr().gsoType()).isEqualTo(VirtioNetHdr.GSO_TCPV4);
        assertThat(outs.get(1).packet()).hasSize(40 + 2 * 1460);
        assertThat(resplit(outs)).containsExactlyElementsOf(f);

        int[] exact = new int[45];
        Arrays.fill(exact, 1460);
        exact[44] = 1255; // 40 + 44 * 1460 + 1255 = 65535
        assertThat(coalesce(flow(Wire.Segment.v4(), exact))).hasSize(1).allSatisfy(o -> assertThat(o.packet()).hasSize(65_535));
        exact[44] = 1256;
        assertThat(coalesce(flow(Wire.Segment.v4(), exact))).hasSize(2);
    }

    @Test
    void keepsTheOrderOfEverything() throws IOException {
        Wire.Segment udp = Wire.Segment.v4();
        udp.udp = true;
        udp.payload = new byte[100];
        byte[] u1 = udp.build();
        udp.sport++;
        byte[] u2 = udp.build();
        Wire.Segment a = data();
        List<byte[]> fa = flow(a, 1000, 1000);
        Wire.Segment b = Wire.Segment.v6();
        List<byte[]> fb = flow(b, 1200, 1200, 1200);
        List<byte[]> packets = List.of(u1, fa.get(0), fa.get(1), u2, fb.get(0), fb.get(1), fb.get(2), u1);

        List<Out> outs = coalesce(packets);

        assertThat(outs).hasSize(5);
        assertThat(outs.get(0).plain(u1)).isTrue();
        assertThat(outs.get(1).hdr().gsoType()).isEqualTo(VirtioNetHdr.GSO_TCPV4);
        assertThat(outs.get(2).plain(u2)).isTrue();
        assertThat(outs.get(3).hdr().gsoType()).isEqualTo(VirtioNetHdr.GSO_TCPV6);
        assertThat(outs.get(4).plain(u1)).isTrue();
        assertThat(resplit(outs)).containsExactlyElementsOf(packets);
    }

    @Test
    void interleavedFlowsAreOnlyMergedWhereNeighbours() throws IOException {
        Wire.Segment a = Wire.Segment.v4();
        Wire.Segment b = Wire.Segment.v4();
        b.sport++;
        List<byte[]> fa = flow(a, 1000, 1000, 1000);
        List<byte[]> fb = flow(b, 1000, 1000, 1000);
        List<byte[]> packets = List.of(fa.get(0), fb.get(0), fa.get(1), fa.get(2), fb.get(1), fb.get(2));
        List<Out> outs = coalesce(packets);
        assertThat(outs).extracting(o -> o.hdr().gsoType()).containsExactly(0, 0, 1, 1);
        assertThat(resplit(outs)).containsExactlyElementsOf(packets);
    }

    @Test
    void writesNothingForAnEmptyBatchAndStartsAfreshEachTime() throws IOException {
        Coalescer c = new Coalescer();
        Collect sink = new Collect();
        assertThat(c.write(new PacketBatch(10), sink)).isZero();
        assertThat(sink.writes).isEmpty();

        List<byte[]> f = flow(Wire.Segment.v4(), 1000, 1000, 1000, 1000);
        Coalescer.Sink failing = (buf, off, len) -> {
            throw new IOException("device gone");
        };
        assertThatThrownBy(() -> c.write(batch(f.subList(0, 2), new Random(1)), failing)).isInstanceOf(IOException.class);
        // the next batch continues the same flow, but a batch is a unit: nothing carries over
        assertThat(c.write(batch(f.subList(2, 4), new Random(2)), sink)).isEqualTo(1);
        assertThat(resplit(sink.writes)).containsExactlyElementsOf(f.subList(2, 4));
    }

    @Test
    void aLargestIpv6PacketGoesThroughButNothingLarger() throws IOException {
        Wire.Segment s = Wire.Segment.v6();
        s.payload = new byte[65_535 - 20];
        byte[] largest = s.build();
        assertThat(largest).hasSize(Coalescer.MAX_PACKET);
        assertThat(coalesce(List.of(largest))).singleElement().satisfies(o -> assertThat(o.plain(largest)).isTrue());

        PacketBatch b = new PacketBatch(70_000);
        b.add(0, Coalescer.MAX_PACKET + 1);
        assertThatThrownBy(() -> new Coalescer().write(b, new Collect())).isInstanceOf(IllegalArgumentException.class);
    }
}
