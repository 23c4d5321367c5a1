package dev.tandem.dataplane.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The {@code struct virtio_net_hdr} that a TUN device opened with
 * IFF_VNET_HDR puts in front of every packet, both ways: how a super-packet
 * is to be cut into segments (gso_*) and where a checksum the sender left
 * unfinished goes (csum_*). See Linux include/uapi/linux/virtio_net.h.
 *
 * <p>The 16-bit fields are little-endian. The kernel uses the host's order
 * unless told otherwise (TUNSETVNETLE), which on x86 and arm64 is the same;
 * a big-endian host would have to set TUNSETVNETLE for this to hold.
 *
 * @param hdrLen on input only a hint (older kernels put the length of the
 *               linear part there, which can be a whole segment); on output
 *               the IP plus transport header length
 */
public record VirtioNetHdr(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {

    public static final int SIZE = 10;

    /** The checksum at csumStart + csumOffset holds only the pseudo-header sum; the rest is to be added. */
    public static final int F_NEEDS_CSUM = 1;
    /** The sender already checked the checksum. */
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UDP fragmentation offload (UFO): which TUN_F_TSO4/6 and TUN_F_USO4/6 do not ask for; not handled here. */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation offload (USO, TUN_F_USO4/6): one UDP datagram per segment. */
    public static final int GSO_UDP_L4 = 5;
    /** Or'ed into a TCP gso type: the super-packet has CWR set, which only its first segment may carry. */
    public static final int GSO_ECN = 0x80;

    /** A plain packet: no segmentation, checksums complete. */
    public static final VirtioNetHdr NONE = new VirtioNetHdr(0, GSO_NONE, 0, 0, 0, 0);

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    public VirtioNetHdr {
        if ((flags | gsoType) >>> 8 != 0 || (hdrLen | gsoSize | csumStart | csumOffset) >>> 16 != 0) {
            throw new IllegalArgumentException("virtio_net_hdr field out of range");
        }
    }

    /** Reads the header at {@code b[off..off+SIZE)}; the caller makes sure it is there. */
    public static VirtioNetHdr read(byte[] b, int off) {
        return new VirtioNetHdr(b[off] & 0xff, b[off + 1] & 0xff,
                u16(b, off + 2), u16(b, off + 4), u16(b, off + 6), u16(b, off + 8));
    }

    public void write(byte[] b, int off) {
        write(b, off, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
    }

    /** Writes a header from its fields, for hot paths that should not build a record per packet. */
    static void write(byte[] b, int off, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        U16.set(b, off + 2, (short) hdrLen);
        U16.set(b, off + 4, (short) gsoSize);
        U16.set(b, off + 6, (short) csumStart);
        U16.set(b, off + 8, (short) csumOffset);
    }

    /** Writes {@link #NONE}. */
    static void writeNone(byte[] b, int off) {
        Arrays.fill(b, off, off + SIZE, (byte) 0);
    }

    public boolean needsChecksum() {
        return (flags & F_NEEDS_CSUM) != 0;
    }

    private static int u16(byte[] b, int off) {
        return (short) U16.get(b, off) & 0xffff;
    }
}
