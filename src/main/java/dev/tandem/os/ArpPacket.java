package dev.tandem.os;

import dev.tandem.net.IpAddress;
import java.util.HexFormat;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826), as an AF_PACKET datagram
 * socket sends it: the kernel adds the Ethernet header.
 *
 * @param operation  1 request, 2 reply
 * @param senderMac  sender hardware address (6 bytes)
 * @param senderIp   sender protocol address
 * @param targetMac  target hardware address (6 bytes)
 * @param targetIp   target protocol address
 */
record ArpPacket(int operation, byte[] senderMac, IpAddress senderIp, byte[] targetMac, IpAddress targetIp) {

    static final int LENGTH = 28;
    static final int ETH_P_ARP = 0x0806;
    static final int REQUEST = 1;
    static final int REPLY = 2;
    private static final int HTYPE_ETHERNET = 1;
    private static final int PTYPE_IPV4 = 0x0800;

    ArpPacket {
        if (senderMac.length != 6 || targetMac.length != 6) {
            throw new IllegalArgumentException("hardware addresses are 6 bytes");
        }
        if (senderIp.family() != IpAddress.Family.INET || targetIp.family() != IpAddress.Family.INET) {
            throw new IllegalArgumentException("ARP carries IPv4 addresses only");
        }
        senderMac = senderMac.clone();
        targetMac = targetMac.clone();
    }

    @Override
    public byte[] senderMac() {
        return senderMac.clone();
    }

    @Override
    public byte[] targetMac() {
        return targetMac.clone();
    }

    /**
     * The ARP Announcement of RFC 5227 §3: a request with sender and target
     * address both {@code vip} and a zero target hardware address. OpenBSD's
     * CARP announces the same way; Linux neighbours update an existing entry
     * from it (and create one only with arp_accept).
     */
    static ArpPacket announcement(byte[] mac, IpAddress vip) {
        return new ArpPacket(REQUEST, mac, vip, new byte[6], vip);
    }

    byte[] encode() {
        byte[] b = new byte[LENGTH];
        b[0] = 0;
        b[1] = HTYPE_ETHERNET;
        b[2] = (byte) (PTYPE_IPV4 >>> 8);
        b[3] = (byte) PTYPE_IPV4;
        b[4] = 6;
        b[5] = 4;
        b[6] = (byte) (operation >>> 8);
        b[7] = (byte) operation;
        System.arraycopy(senderMac, 0, b, 8, 6);
        System.arraycopy(senderIp.octets(), 0, b, 14, 4);
        System.arraycopy(targetMac, 0, b, 18, 6);
        System.arraycopy(targetIp.octets(), 0, b, 24, 4);
        return b;
    }

    @Override
    public String toString() {
        HexFormat h = HexFormat.ofDelimiter(":");
        return "ARP " + (operation == REQUEST ? "request" : operation == REPLY ? "reply" : "op " + operation)
                + " " + h.formatHex(senderMac) + " " + senderIp + " -> " + h.formatHex(targetMac) + " " + targetIp;
    }
}
