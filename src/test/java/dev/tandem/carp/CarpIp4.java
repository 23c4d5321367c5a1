package dev.tandem.carp;

import dev.tandem.net.Checksums;
import dev.tandem.net.IpAddress;

/** IPv4 packets carrying CARP as OpenBSD sends them: protocol 112, TTL 255, low-delay TOS, DF. */
final class CarpIp4 {

    static final int PROTOCOL = 112;

    private CarpIp4() {
    }

    static byte[] packet(String src, String dst, byte[] carp) {
        byte[] p = new byte[20 + carp.length];
        p[0] = 0x45;
        p[1] = 0x10;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[4] = 0x12;
        p[5] = 0x34;
        p[6] = 0x40;
        p[8] = (byte) 255;
        p[9] = PROTOCOL;
        System.arraycopy(IpAddress.parseV4(src).orElseThrow().octets(), 0, p, 12, 4);
        System.arraycopy(IpAddress.parseV4(dst).orElseThrow().octets(), 0, p, 16, 4);
        int sum = Checksums.checksum(p, 0, 20);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        System.arraycopy(carp, 0, p, 20, carp.length);
        return p;
    }
}
