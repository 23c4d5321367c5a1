package dev.tandem.dataplane.offload;

import dev.tandem.net.Checksums;
import static dev.tandem.dataplane.offload.BigEndian.i32;
import static dev.tandem.dataplane.offload.BigEndian.put16;
import static dev.tandem.dataplane.offload.BigEndian.u16;

import dev.tandem.dataplane.PacketBatch;
import java.io.IOException;
import java.util.Arrays;

/**
 * Software GRO for the TUN device: merges runs of consecutive TCP segments of
 * one flow from a batch of decrypted packets into super-packets, so that one
 * TUN write delivers up to 64 KiB. Everything else goes out alone, and the
 * batch order is kept.
 *
 * <p>Only neighbours in the batch are merged: one receive batch is one ESP
 * flow, and in-order segments are what a bulk transfer sends. The rules are
 * the kernel's (net/ipv4/tcp_offload.c tcp_gro_receive, af_inet.c
 * inet_gro_receive, ipv6/ip6_offload.c ipv6_gro_receive) as narrowed by
 * wireguard-go's tun/offload_linux.go: same addresses, ports, ack number,
 * window and TCP options; IPv4 without options or fragments, with the same
 * TOS, TTL and DF; IPv6 without extension headers, with the same traffic
 * class, flow label and hop limit; flags ACK, or ACK|PSH which ends the group;
 * sequence numbers contiguous; every payload as long as the first but the
 * last, which may be shorter and then ends the group; at most 65535 bytes.
 * Each segment's checksums are checked before it is merged, because the
 * merged packet goes up with the checksum marked as still to be done and the
 * kernel would not look at it again.
 *
 * <p>One per thread, reused; allocates nothing per packet.
 */
public final class Coalescer {

    /** Receives one TUN write: a {@link VirtioNetHdr} and the IP packet behind it. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] buf, int off, int len) throws IOException;
    }

    /** Largest packet passed on: IPv6's 40-byte header and a 16-bit payload length. */
    public static final int MAX_PACKET = 40 + 65_535;
    /**
     * Largest merged packet: what an IPv4 total length can say, and what the
     * kernel's own GRO builds for IPv6 too (skb_gro_receive stops below 64 KiB).
     */
    public static final int MAX_MERGED = 65_535;

    private static final int TCP_ACK = 0x10;
    private static final int IPV4_DF = 0x4000;
    private static final int HEAD = VirtioNetHdr.SIZE;

    private final byte[] scratch = new byte[HEAD + MAX_PACKET];

    // The packet under consideration, filled in by candidate().
    private boolean ipv6;
    private int ipLength;
    private int tcpLength;
    private int payload;
    private int seq;
    private boolean push;

    // The group being built in scratch, its first packet's header at HEAD.
    private int members;
    private int groupLength;
    private boolean groupIpv6;
    private int groupIpLength;
    private int groupTcpLength;
    private int gsoSize;
    private int nextSeq;
    private boolean closed;

    /**
     * Writes every packet of {@code packets} to {@code sink}, merged where the
     * rules allow.
     *
     * @return how many writes were made
     * @throws IllegalArgumentException for a packet over {@link #MAX_PACKET}
     *         bytes, which cannot be an IP packet
     */
    public int write(PacketBatch packets, Sink sink) throws IOException {
        members = 0;
        int writes = 0;
        byte[] b = packets.buf;
        for (int i = 0; i < packets.count(); i++) {
            int off = packets.offset(i);
            int len = packets.length(i);
            boolean candidate = candidate(b, off, len);
            if (candidate && members > 0 && !closed && follows(b, off)) {
                append(b, off);
                continue;
            }
            writes += flush(sink);
            if (candidate) {
                start(b, off, len);
            } else {
                writes += alone(b, off, len, sink);
            }
        }
        return writes + flush(sink);
    }

    /** Whether the packet is a well-formed, checksum-valid TCP data segment that may be merged. */
    private boolean candidate(byte[] b, int off, int len) {
        if (len < 40 || len > MAX_MERGED) {
            return false;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) {
            if (b[off] != 0x45 || b[off + 9] != Segmenter.PROTO_TCP || u16(b, off + 2) != len
                    || (u16(b, off + 6) & 0x3fff) != 0 || Checksums.checksum(b, off, 20) != 0) {
                return false;
            }
            ipv6 = false;
            ipLength = 20;
        } else if (version == 6) {
            if (len < 60 || b[off + 6] != Segmenter.PROTO_TCP || u16(b, off + 4) != len - 40) {
                return false;
            }
            ipv6 = true;
            ipLength = 40;
        } else {
            return false;
        }
        int t = off + ipLength;
        tcpLength = ((b[t + 12] & 0xff) >>> 4) * 4;
        payload = len - ipLength - tcpLength;
        int flags = b[t + 13] & 0xff;
        if (tcpLength < 20 || payload <= 0 || (flags & ~Segmenter.TCP_PSH) != TCP_ACK) {
            return false;
        }
        int l4Length = len - ipLength;
        long sum = Checksums.add(b, t, l4Length, Checksums.pseudoHeader(b, off, ipv6, Segmenter.PROTO_TCP, l4Length));
        if (Checksums.fold(sum) != 0xffff) {
            return false;
        }
        seq = i32(b, t + 4);
        push = flags != TCP_ACK;
        return true;
    }

    /** Whether the candidate continues the group: same flow and headers, next in sequence, not too big. */
    private boolean follows(byte[] b, int off) {
        if (ipv6 != groupIpv6 || tcpLength != groupTcpLength || payload > gsoSize || seq != nextSeq
                || groupLength + payload > MAX_MERGED) {
            return false;
        }
        byte[] g = scratch;
        int h = HEAD;
        if (ipv6) {
            // version, traffic class and flow label; hop limit; addresses
            if (i32(b, off) != i32(g, h) || b[off + 7] != g[h + 7]
                    || !Arrays.equals(b, off + 8, off + 40, g, h + 8, h + 40)) {
                return false;
            }
        } else {
            int frag = u16(b, off + 6);
            if (b[off + 1] != g[h + 1] || b[off + 8] != g[h + 8] || frag != u16(g, h + 6)
                    || !Arrays.equals(b, off + 12, off + 20, g, h + 12, h + 20)) {
                return false;
            }
            // Resegmenting counts IDs up from the first; without DF the ID matters (RFC 6864), so it must already.
            if ((frag & IPV4_DF) == 0 && u16(b, off + 4) != ((u16(g, h + 4) + members) & 0xffff)) {
                return false;
            }
        }
        int t = off + ipLength;
        int gt = h + groupIpLength;
        // ports; ack number; data offset and reserved bits; window; options
        return i32(b, t) == i32(g, gt)
                && i32(b, t + 8) == i32(g, gt + 8)
                && b[t + 12] == g[gt + 12]
                && u16(b, t + 14) == u16(g, gt + 14)
                && Arrays.equals(b, t + 20, t + tcpLength, g, gt + 20, gt + tcpLength);
    }

    private void start(byte[] b, int off, int len) {
        System.arraycopy(b, off, scratch, HEAD, len);
        members = 1;
        groupLength = len;
        groupIpv6 = ipv6;
        groupIpLength = ipLength;
        groupTcpLength = tcpLength;
        gsoSize = payload;
        nextSeq = seq + payload;
        closed = push;
    }

    private void append(byte[] b, int off) {
        System.arraycopy(b, off + ipLength + tcpLength, scratch, HEAD + groupLength, payload);
        members++;
        groupLength += payload;
        nextSeq += payload;
        if (push) {
            scratch[HEAD + groupIpLength + 13] |= Segmenter.TCP_PSH;
        }
        // PSH marks the end of what the sender wrote; a short segment can only be the last of a run.
        closed = push || payload < gsoSize;
    }

    private int flush(Sink sink) throws IOException {
        if (members == 0) {
            return 0;
        }
        if (members == 1) {
            VirtioNetHdr.writeNone(scratch, 0);
        } else {
            finish();
        }
        members = 0;
        sink.write(scratch, 0, HEAD + groupLength);
        return 1;
    }

    /** Makes the group's first header describe the whole, and puts the virtio header in front. */
    private void finish() {
        byte[] g = scratch;
        int h = HEAD;
        if (groupIpv6) {
            put16(g, h + 4, groupLength - 40);
        } else {
            put16(g, h + 2, groupLength);
            put16(g, h + 10, 0);
            put16(g, h + 10, Checksums.checksum(g, h, 20));
        }
        // As tcp4_gro_complete and tcp6_gro_complete leave it for CHECKSUM_PARTIAL:
        // the folded pseudo-header sum, not complemented; whoever finishes the
        // checksum adds the rest and complements.
        int l4Length = groupLength - groupIpLength;
        put16(g, h + groupIpLength + 16,
                Checksums.fold(Checksums.pseudoHeader(g, h, groupIpv6, Segmenter.PROTO_TCP, l4Length)));
        VirtioNetHdr.write(g, 0, VirtioNetHdr.F_NEEDS_CSUM,
                groupIpv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4,
                groupIpLength + groupTcpLength, gsoSize, groupIpLength, 16);
    }

    private int alone(byte[] b, int off, int len, Sink sink) throws IOException {
        if (len > MAX_PACKET) {
            throw new IllegalArgumentException("packet of " + len + " bytes");
        }
        VirtioNetHdr.writeNone(scratch, 0);
        System.arraycopy(b, off, scratch, HEAD, len);
        sink.write(scratch, 0, HEAD + len);
        return 1;
    }
}
