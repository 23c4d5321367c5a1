package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;
import java.nio.ByteBuffer;

/** Builds test packets. */
final class Packets {

    private Packets() {
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    /** An IPv4 or IPv6 UDP packet carrying {@code payload}. */
    static byte[] udp(String src, String dst, int sport, int dport, byte[] payload) {
        return UdpPackets.build(ip(src), ip(dst), sport, dport, payload);
    }

    static byte[] udp(String src, String dst, long seq) {
        return udp(src, dst, 5000, 6000, ByteBuffer.allocate(64).putLong(seq).array());
    }
}
