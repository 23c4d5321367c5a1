package dev.tandem.dataplane;

import dev.tandem.net.IpAddress;
import java.util.Arrays;

/**
 * Reads the fields the data plane needs from an IPv4 or IPv6 packet in a
 * buffer, after checking every length it relies on. One instance per thread;
 * {@link #parse} fills it in and says whether the packet is well formed.
 */
public final class IpPacket {

    public static final int PROTO_IPV4 = 4;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_IPV6 = 41;
    public static final int PROTO_SCTP = 132;

    private int version;
    private int headerLength;
    private int totalLength;
    private int protocol;
    private int srcPort;
    private int dstPort;
    private IpAddress src;
    private IpAddress dst;

    /**
     * Parses the packet at {@code buf[off..off+len)}.
     *
     * @return false when it is not a well-formed IPv4 or IPv6 packet of that length
     */
    public boolean parse(byte[] buf, int off, int len) {
        if (len < 1) {
            return false;
        }
        version = (buf[off] & 0xff) >>> 4;
        if (version == 4) {
            if (len < 20) {
                return false;
            }
            headerLength = (buf[off] & 0x0f) * 4;
            totalLength = u16(buf, off + 2);
            if (headerLength < 20 || totalLength < headerLength || totalLength > len) {
                return false;
            }
            protocol = buf[off + 9] & 0xff;
            src = new IpAddress(Arrays.copyOfRange(buf, off + 12, off + 16));
            dst = new IpAddress(Arrays.copyOfRange(buf, off + 16, off + 20));
            int fragOffset = u16(buf, off + 6) & 0x1fff;
            readPorts(buf, off, fragOffset == 0);
            return true;
        }
        if (version == 6) {
            if (len < 40) {
                return false;
            }
            headerLength = 40;
            totalLength = 40 + u16(buf, off + 4);
            if (totalLength > len) {
                return false;
            }
            protocol = buf[off + 6] & 0xff;
            src = new IpAddress(Arrays.copyOfRange(buf, off + 8, off + 24));
            dst = new IpAddress(Arrays.copyOfRange(buf, off + 24, off + 40));
            readPorts(buf, off, true);
            return true;
        }
        return false;
    }

    private void readPorts(byte[] buf, int off, boolean firstFragment) {
        srcPort = 0;
        dstPort = 0;
        boolean hasPorts = protocol == PROTO_TCP || protocol == PROTO_UDP || protocol == PROTO_SCTP;
        if (hasPorts && firstFragment && totalLength >= headerLength + 4) {
            srcPort = u16(buf, off + headerLength);
            dstPort = u16(buf, off + headerLength + 2);
        }
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    public int version() {
        return version;
    }

    /** The protocol number to put in ESP's next header for tunnel mode. */
    public int tunnelNextHeader() {
        return version == 4 ? PROTO_IPV4 : PROTO_IPV6;
    }

    public int headerLength() {
        return headerLength;
    }

    /** The length the header claims; the buffer may hold more (padding). */
    public int totalLength() {
        return totalLength;
    }

    public int protocol() {
        return protocol;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public IpAddress src() {
        return src;
    }

    public IpAddress dst() {
        return dst;
    }
}
