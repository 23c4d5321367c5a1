package dev.tandem.dataplane.offload;

import dev.tandem.net.Checksums;
import static dev.tandem.dataplane.offload.BigEndian.i32;
import static dev.tandem.dataplane.offload.BigEndian.put16;
import static dev.tandem.dataplane.offload.BigEndian.put32;
import static dev.tandem.dataplane.offload.BigEndian.u16;

import dev.tandem.dataplane.PacketBatch;

/**
 * Software TSO/USO: turns what a TUN device with offloads hands us (a packet
 * behind a {@link VirtioNetHdr}, possibly a TCP or UDP super-packet of up to
 * 64 KiB with an unfinished checksum) into complete IP packets of at most
 * gso_size payload each, every checksum valid, ready for ESP.
 *
 * <p>Follows what the kernel's own GSO would send (net/ipv4/tcp_offload.c
 * tcp_gso_segment, net/ipv4/af_inet.c inet_gso_segment, udp_offload.c
 * __udp_gso_segment, net/core/dev.c skb_checksum_help), so the segments on the
 * wire are the ones the kernel would have put there without offload.
 */
public final class Segmenter {

    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int TCP_FIN = 0x01;
    static final int TCP_PSH = 0x08;
    static final int TCP_CWR = 0x80;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int TCP_CHECK = 16;
    private static final int UDP_CHECK = 6;
    /** The kernel's GSO_BY_FRAGS marker, which virtio_net_hdr_to_skb refuses. */
    private static final int GSO_BY_FRAGS = 0xffff;

    private Segmenter() {
    }

    /**
     * Appends the packets that {@code pkt[off..off+len)} with header {@code h}
     * stands for at {@code out.end()}, all or none.
     *
     * <p>{@code h.hdrLen()} is not used: the kernel only gives it as a hint
     * (before Linux 6.x it is the skb's linear length, which on the forward path
     * can be a whole segment), so the header length is taken from csum_start and
     * the TCP data offset, as wireguard-go does.
     *
     * @return how many packets were appended, or -1 when the input is malformed
     *         or inconsistent or {@code out} has no room for all of them
     */
    public static int split(byte[] pkt, int off, int len, VirtioNetHdr h, PacketBatch out) {
        if (pkt == null || h == null || out == null || off < 0 || len < IPV4_HEADER || off > pkt.length - len) {
            return -1;
        }
        if (h.gsoType() == VirtioNetHdr.GSO_NONE) {
            return whole(pkt, off, len, h, out);
        }
        return segments(pkt, off, len, h, out);
    }

    /** One packet; if the kernel left its checksum unfinished, finish it as skb_checksum_help does. */
    private static int whole(byte[] pkt, int off, int len, VirtioNetHdr h, PacketBatch out) {
        boolean finish = h.needsChecksum();
        int start = h.csumStart();
        int at = start + h.csumOffset();
        if (finish && (start < IPV4_HEADER || start >= len || at > len - 2)) {
            return -1;
        }
        if (!out.fits(len)) {
            return -1;
        }
        byte[] b = out.buf;
        int dst = out.end();
        System.arraycopy(pkt, off, b, dst, len);
        if (finish) {
            // The field holds the pseudo-header sum, so summing over it adds that in.
            int check = Checksums.complement(Checksums.add(b, dst + start, len - start, 0));
            // The kernel stores CSUM_MANGLED_0 for every protocol: 0 would mean "no
            // checksum" to UDP, and 0xffff is the same value for TCP.
            put16(b, dst + at, check == 0 ? 0xffff : check);
        }
        out.add(dst, len);
        return 1;
    }

    private static int segments(byte[] pkt, int off, int len, VirtioNetHdr h, PacketBatch out) {
        int type = h.gsoType();
        int gsoSize = h.gsoSize();
        int version = (pkt[off] & 0xff) >>> 4;
        int kind = type & ~VirtioNetHdr.GSO_ECN;
        boolean known = switch (kind) {
            case VirtioNetHdr.GSO_TCPV4 -> version == 4;
            case VirtioNetHdr.GSO_TCPV6 -> version == 6;
            // ECN stands for the TCP CWR flag; with UDP the kernel refuses it
            case VirtioNetHdr.GSO_UDP_L4 -> (type & VirtioNetHdr.GSO_ECN) == 0 && (version == 4 || version == 6);
            default -> false;
        };
        if (!known) {
            return -1;
        }
        boolean tcp = kind != VirtioNetHdr.GSO_UDP_L4;
        // Without NEEDS_CSUM nothing says where the transport header starts; TUN always sets it with GSO.
        if (!h.needsChecksum() || gsoSize == 0 || gsoSize == GSO_BY_FRAGS) {
            return -1;
        }
        boolean ipv6 = version == 6;
        int protocol = tcp ? PROTO_TCP : PROTO_UDP;
        int checkOffset = tcp ? TCP_CHECK : UDP_CHECK;
        int l4 = h.csumStart();
        if (h.csumOffset() != checkOffset) {
            return -1;
        }
        if (ipv6) {
            if (len < IPV6_HEADER || l4 < IPV6_HEADER) {
                return -1;
            }
            // Past 40 bytes there are extension headers, copied to every segment as they are.
            if (l4 == IPV6_HEADER && (pkt[off + 6] & 0xff) != protocol) {
                return -1;
            }
        } else {
            int ihl = (pkt[off] & 0x0f) * 4;
            if (ihl < IPV4_HEADER || l4 != ihl || (pkt[off + 9] & 0xff) != protocol) {
                return -1;
            }
            if ((u16(pkt, off + 6) & 0x3fff) != 0) {
                return -1; // a fragment cannot be a super-packet
            }
        }
        int l4Header;
        if (tcp) {
            if (l4 > len - TCP_HEADER) {
                return -1;
            }
            l4Header = ((pkt[off + l4 + 12] & 0xff) >>> 4) * 4;
            if (l4Header < TCP_HEADER) {
                return -1;
            }
        } else {
            l4Header = UDP_HEADER;
        }
        int headers = l4 + l4Header;
        if (headers > len) {
            return -1;
        }
        int payload = len - headers;
        int count = payload == 0 ? 1 : (payload - 1) / gsoSize + 1;
        // Every segment's length must fit the 16-bit IPv4 total or IPv6 payload length.
        int largest = headers + Math.min(gsoSize, payload);
        if (largest - (ipv6 ? IPV6_HEADER : 0) > 0xffff) {
            return -1;
        }
        if (out.count() + count > PacketBatch.MAX_PACKETS
                || out.end() + (long) count * headers + payload > out.buf.length) {
            return -1;
        }

        long addresses = Checksums.pseudoHeader(pkt, off, ipv6, 0, 0);
        int seq = tcp ? i32(pkt, off + l4 + 4) : 0;
        int flags = tcp ? pkt[off + l4 + 13] & 0xff : 0;
        int id = u16(pkt, off + 4);
        byte[] b = out.buf;
        int dst = out.end();
        int src = off + headers;
        int left = payload;
        for (int i = 0; i < count; i++) {
            int chunk = Math.min(gsoSize, left);
            int segment = headers + chunk;
            int l4Length = segment - l4;
            System.arraycopy(pkt, off, b, dst, headers);
            System.arraycopy(pkt, src, b, dst + headers, chunk);
            if (ipv6) {
                put16(b, dst + 4, segment - IPV6_HEADER);
            } else {
                put16(b, dst + 2, segment);
                put16(b, dst + 4, id + i); // the kernel's GSO counts IDs up from the super-packet's
                put16(b, dst + 10, 0);
                put16(b, dst + 10, Checksums.checksum(b, dst, l4));
            }
            int t = dst + l4;
            if (tcp) {
                put32(b, t + 4, seq + i * gsoSize);
                int f = flags;
                if (i > 0) {
                    f &= ~TCP_CWR; // the congestion window was reduced once, before the first byte
                }
                if (i < count - 1) {
                    f &= ~(TCP_FIN | TCP_PSH); // both belong to the end of the data
                }
                b[t + 13] = (byte) f;
            } else {
                put16(b, t + 4, l4Length);
            }
            put16(b, t + checkOffset, 0);
            int check = Checksums.complement(Checksums.add(b, t, l4Length, addresses + protocol + l4Length));
            if (!tcp && check == 0) {
                check = 0xffff; // 0 would tell the receiver that there is no UDP checksum
            }
            put16(b, t + checkOffset, check);
            out.add(dst, segment);
            dst += segment;
            src += chunk;
            left -= chunk;
        }
        return count;
    }
}
