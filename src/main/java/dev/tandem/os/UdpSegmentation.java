package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.tandem.dataplane.PacketBatch;
import java.lang.foreign.MemorySegment;

/**
 * The arithmetic of UDP segmentation offload: which packets of a batch can
 * leave in one UDP_SEGMENT send, and how a UDP_GRO receive splits back into
 * datagrams. The kernel cuts a GSO send into pieces of the segment size, so
 * a send can only carry packets of one length, except a shorter last one.
 */
final class UdpSegmentation {

    /** UDP_MAX_SEGMENTS of kernels before 6.11 (later ones allow 128). */
    static final int MAX_SEGMENTS = 64;
    /**
     * Under the 65,507 bytes a UDP payload can have over IPv4, leaving room for
     * IP options or IPv6 extension headers; still fits 45 ESP packets of 1,436 bytes.
     */
    static final int MAX_BYTES = 65_000;

    private UdpSegmentation() {
    }

    /**
     * End (exclusive) of the run of packets starting at {@code start} that
     * one GSO send can carry: same length as the first, a shorter one ends
     * it, and it stays within {@link #MAX_SEGMENTS} and {@link #MAX_BYTES}.
     * An empty packet or one over the byte limit is a run of its own.
     */
    static int runEnd(PacketBatch b, int start, int count) {
        int size = b.length(start);
        if (size > MAX_BYTES) {
            return start + 1;
        }
        int total = size;
        int i = start + 1;
        while (i < count && i - start < MAX_SEGMENTS) {
            int len = b.length(i);
            // an empty last segment would simply vanish in a GSO send
            if (len == 0 || len > size || total + len > MAX_BYTES) {
                break;
            }
            total += len;
            i++;
            if (len < size) {
                break;
            }
        }
        return i;
    }

    /**
     * Splits {@code n} received bytes into datagrams of {@code segment} bytes
     * (the UDP_GRO size; the last may be shorter; 0 or less when the kernel
     * did not coalesce) and appends them to {@code into}. A truncated receive
     * keeps only the datagrams that arrived whole. Returns how many datagrams
     * were dropped (at least one when truncated, as what was cut off is unknown).
     */
    static int split(MemorySegment data, int n, int segment, boolean truncated, PacketBatch into) {
        if (n == 0) {
            if (truncated || !into.fits(0)) {
                return 1;
            }
            into.add(into.end(), 0);
            return 0;
        }
        boolean coalesced = segment > 0 && segment < n;
        if (truncated && !coalesced) {
            return 1;
        }
        int size = coalesced ? segment : n;
        // a cut-off GRO buffer still holds whole datagrams up to the last segment boundary
        int whole = truncated ? n - n % size : n;
        int pieces = (whole + size - 1) / size;
        int dropped = truncated ? 1 : 0;
        int start = into.end();
        int bytes = 0;
        int kept = 0;
        while (kept < pieces) {
            int len = Math.min(size, whole - bytes);
            if (!into.fits(len)) {
                dropped += pieces - kept;
                break;
            }
            into.add(start + bytes, len);
            bytes += len;
            kept++;
        }
        MemorySegment.copy(data, JAVA_BYTE, 0, into.buf, start, bytes);
        return dropped;
    }
}
