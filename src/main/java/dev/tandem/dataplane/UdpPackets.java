package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;

/** Builds UDP packets (IPv4 or IPv6, UDP checksum 0) for the demo and tests. */
public final class UdpPackets {

    private UdpPackets() {
    }

    public static byte[] build(IpAddress src, IpAddress dst, int srcPort, int dstPort, byte[] payload) {
        int hl = src.family() == IpAddress.Family.INET ? 20 : 40;
        byte[] p = new byte[hl + 8 + payload.length];
        IpHeaders.write(p, 0, src, dst, IpPacket.PROTO_UDP, 8 + payload.length);
        int udpLen = 8 + payload.length;
        p[hl] = (byte) (srcPort >>> 8);
        p[hl + 1] = (byte) srcPort;
        p[hl + 2] = (byte) (dstPort >>> 8);
        p[hl + 3] = (byte) dstPort;
        p[hl + 4] = (byte) (udpLen >>> 8);
        p[hl + 5] = (byte) udpLen;
        System.arraycopy(payload, 0, p, hl + 8, payload.length);
        return p;
    }
}
