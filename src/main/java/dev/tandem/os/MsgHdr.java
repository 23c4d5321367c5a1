package dev.tandem.os;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.net.IpAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * A struct msghdr for sendmsg/recvmsg with the one iovec, address and
 * control buffer it points to, allocated once and reused for every call of
 * one thread (nothing native is allocated per packet). Layouts are those of
 * LP64 Linux (x86-64, aarch64).
 */
final class MsgHdr {

    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("name"),
            JAVA_INT.withName("namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("iov"),
            JAVA_LONG.withName("iovlen"),
            ADDRESS.withName("control"),
            JAVA_LONG.withName("controllen"),
            JAVA_INT.withName("flags"),
            MemoryLayout.paddingLayout(4));
    static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("base"),
            JAVA_LONG.withName("len"));
    static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("len"),
            JAVA_INT.withName("level"),
            JAVA_INT.withName("type"));

    private static final long NAME = MSGHDR.byteOffset(groupElement("name"));
    private static final long NAMELEN = MSGHDR.byteOffset(groupElement("namelen"));
    private static final long IOV = MSGHDR.byteOffset(groupElement("iov"));
    private static final long IOVLEN = MSGHDR.byteOffset(groupElement("iovlen"));
    private static final long CONTROL = MSGHDR.byteOffset(groupElement("control"));
    private static final long CONTROLLEN = MSGHDR.byteOffset(groupElement("controllen"));
    private static final long FLAGS = MSGHDR.byteOffset(groupElement("flags"));
    private static final long IOV_LEN = IOVEC.byteOffset(groupElement("len"));
    private static final long CMSG_LEN = CMSGHDR.byteOffset(groupElement("len"));
    private static final long CMSG_LEVEL = CMSGHDR.byteOffset(groupElement("level"));
    private static final long CMSG_TYPE = CMSGHDR.byteOffset(groupElement("type"));
    /** CMSG_ALIGN(sizeof(struct cmsghdr)): where a control message's data starts. */
    private static final long CMSG_DATA = align(CMSGHDR.byteSize());
    /** Room for a source control message (the larger, IPv6 one) and a UDP_SEGMENT one after it. */
    static final int SOURCE_AND_SEGMENT_BYTES = (int) (CMSG_DATA + align(20) + CMSG_DATA + align(2));

    final MemorySegment hdr;
    final MemorySegment data;
    final MemorySegment name;
    final MemorySegment control;
    final MemorySegment pollfd;
    private final MemorySegment iov;

    MsgHdr(int dataBytes, int controlBytes) {
        Arena arena = Arena.ofAuto();
        this.hdr = arena.allocate(MSGHDR);
        this.iov = arena.allocate(IOVEC);
        this.data = arena.allocate(dataBytes, 8);
        this.name = arena.allocate(SockAddr.SIZE, 8);
        this.control = arena.allocate(controlBytes, 8);
        this.pollfd = arena.allocate(8, 4);
        iov.set(ADDRESS, 0, data);
        hdr.set(ADDRESS, NAME, name);
        hdr.set(ADDRESS, IOV, iov);
        hdr.set(JAVA_LONG, IOVLEN, 1L);
    }

    /** Before recvmsg: the kernel overwrites the lengths and flags, so they are reset each time. */
    void prepareReceive() {
        hdr.set(JAVA_INT, NAMELEN, (int) name.byteSize());
        iov.set(JAVA_LONG, IOV_LEN, data.byteSize());
        hdr.set(ADDRESS, CONTROL, control);
        hdr.set(JAVA_LONG, CONTROLLEN, control.byteSize());
        hdr.set(JAVA_INT, FLAGS, 0);
    }

    /** Before sendmsg of the first {@code len} bytes of {@link #data} to {@link #name}. */
    void prepareSend(int nameLen, long len, long controlLen) {
        hdr.set(JAVA_INT, NAMELEN, nameLen);
        iov.set(JAVA_LONG, IOV_LEN, len);
        hdr.set(ADDRESS, CONTROL, controlLen == 0 ? MemorySegment.NULL : control);
        hdr.set(JAVA_LONG, CONTROLLEN, controlLen);
        hdr.set(JAVA_INT, FLAGS, 0);
    }

    int flags() {
        return hdr.get(JAVA_INT, FLAGS);
    }

    int nameLength() {
        return hdr.get(JAVA_INT, NAMELEN);
    }

    /**
     * Writes one control message holding a 16-bit value at {@code at} (UDP_SEGMENT
     * takes a u16, and the kernel rejects any other length); returns the room it
     * takes, to add to the control length passed.
     */
    long putShortCmsg(long at, int level, int type, int value) {
        control.set(JAVA_LONG, at + CMSG_LEN, CMSG_DATA + 2);
        control.set(JAVA_INT, at + CMSG_LEVEL, level);
        control.set(JAVA_INT, at + CMSG_TYPE, type);
        control.set(JAVA_SHORT, at + CMSG_DATA, (short) value);
        return CMSG_DATA + align(2);
    }

    /**
     * Writes, at {@code at}, the control message that makes a datagram leave
     * from {@code source}: IP_PKTINFO with {@code ipi_spec_dst} for IPv4,
     * IPV6_PKTINFO with {@code ipi6_addr} for IPv6 (interface index 0: the
     * route decides). The kernel refuses (ENETUNREACH) a source that is not an
     * address of this host. Returns the room it takes.
     */
    long putSourceCmsg(long at, IpAddress source) {
        byte[] octets = source.octets();
        boolean v4 = octets.length == 4;
        // struct in_pktinfo {int ifindex; in_addr spec_dst; in_addr addr} / in6_pktinfo {in6_addr addr; int ifindex}
        int size = v4 ? 12 : 20;
        control.asSlice(at + CMSG_DATA, size).fill((byte) 0);
        control.set(JAVA_LONG, at + CMSG_LEN, CMSG_DATA + size);
        control.set(JAVA_INT, at + CMSG_LEVEL, v4 ? Libc.IPPROTO_IP : Libc.IPPROTO_IPV6);
        control.set(JAVA_INT, at + CMSG_TYPE, v4 ? Libc.IP_PKTINFO : Libc.IPV6_PKTINFO);
        MemorySegment.copy(octets, 0, control, JAVA_BYTE, at + CMSG_DATA + (v4 ? 4 : 0), octets.length);
        return CMSG_DATA + align(size);
    }

    /**
     * The int carried by the received control message {@code level/type}, or
     * -1 when there is none; messages of other types are skipped and a
     * malformed chain ends the search.
     */
    int receivedInt(int level, int type) {
        long at = received(level, type, 4);
        return at < 0 ? -1 : control.get(JAVA_INT, at);
    }

    /**
     * Copies {@code into.length} bytes from offset {@code from} of the data of
     * the received control message of {@code level} and {@code type}; false
     * when there is none that long.
     */
    boolean receivedBytes(int level, int type, int from, byte[] into) {
        long at = received(level, type, from + into.length);
        if (at < 0) {
            return false;
        }
        MemorySegment.copy(control, JAVA_BYTE, at + from, into, 0, into.length);
        return true;
    }

    /** Where the data of the received control message of {@code level} and {@code type} starts, or -1. */
    private long received(int level, int type, int minData) {
        long total = Math.min(hdr.get(JAVA_LONG, CONTROLLEN), control.byteSize());
        long off = 0;
        while (off + CMSG_DATA <= total) {
            long len = control.get(JAVA_LONG, off + CMSG_LEN);
            if (len < CMSG_DATA || len > total - off) {
                return -1;
            }
            if (control.get(JAVA_INT, off + CMSG_LEVEL) == level && control.get(JAVA_INT, off + CMSG_TYPE) == type
                    && len >= CMSG_DATA + minData) {
                return off + CMSG_DATA;
            }
            off += align(len);
        }
        return -1;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
