package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.net.IpAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * struct sockaddr_in and sockaddr_in6 in native memory. An instance remembers
 * the last address it wrote or read: a gateway talks to few peers, so the
 * common case neither re-encodes the destination nor allocates a new
 * {@link IpAddress} for the sender. Not thread-safe; one per thread and direction.
 */
final class SockAddr {

    /** sizeof(struct sockaddr_in6), the larger of the two. */
    static final int SIZE = 28;
    static final int IN_SIZE = 16;

    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private final byte[] lastOctets4 = new byte[4];
    private final byte[] lastOctets6 = new byte[16];
    private IpAddress last4;
    private IpAddress last6;
    private IpAddress lastTarget;
    private int lastTargetPort = -1;
    private int lastTargetLen;

    /** Like {@link #write}, skipped when {@code s} already holds this destination (written by this instance). */
    int target(MemorySegment s, int family, IpAddress address, int port) {
        if (port != lastTargetPort || !address.equals(lastTarget)) {
            lastTargetLen = write(s, family, address, port);
            lastTarget = address;
            lastTargetPort = port;
        }
        return lastTargetLen;
    }

    /**
     * Writes {@code address:port} (null address: the wildcard) for a socket of
     * {@code family}; returns the length to pass to the kernel.
     */
    static int write(MemorySegment s, int family, IpAddress address, int port) {
        s.fill((byte) 0);
        s.set(JAVA_SHORT, 0, (short) family);
        s.set(NET_SHORT, 2, (short) port);
        if (family == Libc.AF_INET) {
            if (address != null) {
                MemorySegment.copy(address.octets(), 0, s, JAVA_BYTE, 4, 4);
            }
            return IN_SIZE;
        }
        if (address != null) {
            // sin6_flowinfo (4..7) and sin6_scope_id (24..27) stay zero
            MemorySegment.copy(address.octets(), 0, s, JAVA_BYTE, 8, 16);
        }
        return SIZE;
    }

    static int family(MemorySegment s) {
        return s.get(JAVA_SHORT, 0);
    }

    static int port(MemorySegment s) {
        return Short.toUnsignedInt(s.get(NET_SHORT, 2));
    }

    /** The address in {@code s} (as filled by the kernel, {@code len} bytes), or null if it is no IP address. */
    IpAddress address(MemorySegment s, int len) {
        int family = family(s);
        if (family == Libc.AF_INET && len >= IN_SIZE) {
            if (last4 == null || !same(s, 4, lastOctets4)) {
                MemorySegment.copy(s, JAVA_BYTE, 4, lastOctets4, 0, 4);
                last4 = new IpAddress(lastOctets4);
            }
            return last4;
        }
        if (family == Libc.AF_INET6 && len >= 24) {
            if (last6 == null || !same(s, 8, lastOctets6)) {
                MemorySegment.copy(s, JAVA_BYTE, 8, lastOctets6, 0, 16);
                last6 = new IpAddress(lastOctets6);
            }
            return last6;
        }
        return null;
    }

    private static boolean same(MemorySegment s, int off, byte[] octets) {
        for (int i = 0; i < octets.length; i++) {
            if (s.get(JAVA_BYTE, off + i) != octets[i]) {
                return false;
            }
        }
        return true;
    }
}
