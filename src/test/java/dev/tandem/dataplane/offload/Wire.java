package dev.tandem.dataplane.offload;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds and checks test packets independently of the code under test: the
 * checksums here are the plain RFC 1071 loop over an explicit pseudo-header.
 */
final class Wire {

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    /** NOP, NOP, timestamp: what Linux puts on every data segment. */
    static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78};

    private Wire() {
    }

    /** A TCP or UDP packet's fields, to build packets from. Mutable, for tests. */
    static final class Segment {
        boolean ipv6;
        boolean udp;
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        int sport = 40000;
        int dport = 5201;
        int seq = 1_000_000;
        int ack = 77_777;
        int flags = ACK;
        int window = 502;
        /** The low four bits of the data offset byte: reserved, and AccECN's AE. */
        int reserved;
        byte[] options = new byte[0];
        byte[] ipOptions = new byte[0];
        byte[] payload = new byte[0];
        int ttl = 64;
        int tos;
        int id = 0x1234;
        boolean df = true;
        int fragment;
        int flowLabel = 0x12345;

        static Segment v4() {
            return new Segment();
        }

        static Segment v6() {
            Segment s = new Segment();
            s.ipv6 = true;
            s.src = bytes("20010db8000000000000000000000001");
            s.dst = bytes("20010db8000000000000000000000002");
            return s;
        }

        Segment copy() {
            Segment s = new Segment();
            s.ipv6 = ipv6;
            s.udp = udp;
            s.src = src.clone();
            s.dst = dst.clone();
            s.sport = sport;
            s.dport = dport;
            s.seq = seq;
            s.ack = ack;
            s.flags = flags;
            s.window = window;
            s.reserved = reserved;
            s.options = options.clone();
            s.ipOptions = ipOptions.clone();
            s.payload = payload.clone();
            s.ttl = ttl;
            s.tos = tos;
            s.id = id;
            s.df = df;
            s.fragment = fragment;
            s.flowLabel = flowLabel;
            return s;
        }

        int ipHeaderLength() {
            return ipv6 ? 40 : 20 + ipOptions.length;
        }

        int l4HeaderLength() {
            return udp ? 8 : 20 + options.length;
        }

        /** The packet with every checksum complete. */
        byte[] build() {
            byte[] p = headersWithoutL4Checksum();
            int l4 = ipHeaderLength();
            int check = checksum(pseudoHeader(p, l4, p.length - l4), Arrays.copyOfRange(p, l4, p.length));
            if (udp && check == 0) {
                check = 0xffff;
            }
            put16(p, l4 + (udp ? 6 : 16), check);
            return p;
        }

        /** The packet as the kernel hands it with CHECKSUM_PARTIAL: the L4 checksum field holds the pseudo-header sum. */
        byte[] buildPartial() {
            byte[] p = headersWithoutL4Checksum();
            int l4 = ipHeaderLength();
            int partial = ~checksum(pseudoHeader(p, l4, p.length - l4)) & 0xffff;
            put16(p, l4 + (udp ? 6 : 16), partial);
            return p;
        }

        private byte[] headersWithoutL4Checksum() {
            int ipLen = ipHeaderLength();
            int l4Len = l4HeaderLength();
            ByteBuffer b = ByteBuffer.allocate(ipLen + l4Len + payload.length);
            int total = b.capacity();
            int proto = udp ? 17 : 6;
            if (ipv6) {
                b.putInt(6 << 28 | tos << 20 | flowLabel);
                b.putShort((short) (total - 40));
                b.put((byte) proto);
                b.put((byte) ttl);
                b.put(src).put(dst);
            } else {
                b.put((byte) (0x40 | ipLen / 4));
                b.put((byte) tos);
                b.putShort((short) total);
                b.putShort((short) id);
                b.putShort((short) ((df ? 0x4000 : 0) | fragment));
                b.put((byte) ttl);
                b.put((byte) proto);
                b.putShort((short) 0);
                b.put(src).put(dst);
                b.put(ipOptions);
            }
            if (udp) {
                b.putShort((short) sport).putShort((short) dport);
                b.putShort((short) (l4Len + payload.length)).putShort((short) 0);
            } else {
                b.putShort((short) sport).putShort((short) dport);
                b.putInt(seq).putInt(ack);
                b.put((byte) (l4Len / 4 << 4 | reserved));
                b.put((byte) flags);
                b.putShort((short) window);
                b.putShort((short) 0).putShort((short) 0);
                b.put(options);
            }
            b.put(payload);
            byte[] p = b.array();
            if (!ipv6) {
                put16(p, 10, checksum(Arrays.copyOf(p, ipLen)));
            }
            return p;
        }
    }

    /** The pseudo-header as bytes, as the RFCs draw it. */
    static byte[] pseudoHeader(byte[] p, int l4, int l4Length) {
        boolean ipv6 = (p[0] & 0xff) >>> 4 == 6;
        int proto = ipv6 ? p[6] : p[9];
        if (ipv6) {
            ByteBuffer b = ByteBuffer.allocate(40);
            b.put(p, 8, 32).putInt(l4Length).put(new byte[3]).put((byte) proto);
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put(p, 12, 8).put((byte) 0).put((byte) proto).putShort((short) l4Length);
        return b.array();
    }

    /** RFC 1071, the slow obvious way, over the concatenation of the parts (each of even length but the last). */
    static int checksum(byte[]... parts) {
        long sum = 0;
        for (byte[] part : parts) {
            for (int i = 0; i < part.length; i += 2) {
                int hi = part[i] & 0xff;
                int lo = i + 1 < part.length ? part[i + 1] & 0xff : 0;
                sum += hi << 8 | lo;
            }
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) ~sum & 0xffff;
    }

    static boolean ipv4HeaderValid(byte[] p) {
        int ihl = (p[0] & 0x0f) * 4;
        return checksum(Arrays.copyOf(p, ihl)) == 0;
    }

    /** Whether the TCP or UDP checksum of a complete IPv4 or IPv6 packet without extension headers checks out. */
    static boolean l4ChecksumValid(byte[] p) {
        int l4 = (p[0] & 0xff) >>> 4 == 6 ? 40 : (p[0] & 0x0f) * 4;
        byte[] segment = Arrays.copyOfRange(p, l4, p.length);
        return checksum(pseudoHeader(p, l4, segment.length), segment) == 0;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | b[off + 1] & 0xff;
    }

    static int i32(byte[] b, int off) {
        return u16(b, off) << 16 | u16(b, off + 2);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
