package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;

/** Writes minimal IPv4 and IPv6 headers, for packets the gateway builds itself. */
final class IpHeaders {

    private IpHeaders() {
    }

    /** Writes a header for {@code payloadLength} bytes of protocol {@code proto}; returns its length. */
    static int write(byte[] b, int off, IpAddress src, IpAddress dst, int proto, int payloadLength) {
        if (src.family() == IpAddress.Family.INET) {
            int total = 20 + payloadLength;
            b[off] = 0x45;
            b[off + 1] = 0;
            b[off + 2] = (byte) (total >>> 8);
            b[off + 3] = (byte) total;
            b[off + 4] = 0;
            b[off + 5] = 0;
            b[off + 6] = 0x40; // don't fragment
            b[off + 7] = 0;
            b[off + 8] = 64;
            b[off + 9] = (byte) proto;
            b[off + 10] = 0;
            b[off + 11] = 0;
            System.arraycopy(src.octets(), 0, b, off + 12, 4);
            System.arraycopy(dst.octets(), 0, b, off + 16, 4);
            int sum = checksum(b, off, 20);
            b[off + 10] = (byte) (sum >>> 8);
            b[off + 11] = (byte) sum;
            return 20;
        }
        b[off] = 0x60;
        b[off + 1] = 0;
        b[off + 2] = 0;
        b[off + 3] = 0;
        b[off + 4] = (byte) (payloadLength >>> 8);
        b[off + 5] = (byte) payloadLength;
        b[off + 6] = (byte) proto;
        b[off + 7] = 64;
        System.arraycopy(src.octets(), 0, b, off + 8, 16);
        System.arraycopy(dst.octets(), 0, b, off + 24, 16);
        return 40;
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
