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
        IpAddress s = ip(src);
        int hl = s.family() == IpAddress.Family.INET ? 20 : 40;
        byte[] p = new byte[hl + 8 + payload.length];
        IpHeaders.write(p, 0, s, ip(dst), IpPacket.PROTO_UDP, 8 + payload.length);
        ByteBuffer b = ByteBuffer.wrap(p, hl, 8);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        System.arraycopy(payload, 0, p, hl + 8, payload.length);
        return p;
    }

    static byte[] udp(String src, String dst, long seq) {
        return udp(src, dst, 5000, 6000, ByteBuffer.allocate(64).putLong(seq).array());
    }
}
