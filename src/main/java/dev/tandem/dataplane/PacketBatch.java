package dev.tandem.dataplane;

/**
 * Several packets laid out one after another in one buffer, handled
 * together: a TCP super-packet from the TUN device split into segments, the
 * ESP datagrams of one UDP GRO receive, the ESP packets of one UDP GSO send.
 * Batches save system calls, which cost more than the crypto per packet.
 * One per data-plane thread and purpose, reused; not thread-safe.
 */
public final class PacketBatch {

    /** Most packets in a batch: a 64 KiB super-packet at the smallest sensible MSS, with room to spare. */
    public static final int MAX_PACKETS = 128;

    public final byte[] buf;
    private final int[] offset = new int[MAX_PACKETS];
    private final int[] length = new int[MAX_PACKETS];
    private int count;

    public PacketBatch(int capacity) {
        this(new byte[capacity]);
    }

    /** A batch over an existing buffer, e.g. to name packets where they already lie. */
    public PacketBatch(byte[] buf) {
        this.buf = buf;
    }

    public int count() {
        return count;
    }

    public int offset(int i) {
        return offset[i];
    }

    public int length(int i) {
        return length[i];
    }

    /** Where the next packet may start: after the last one. */
    public int end() {
        return count == 0 ? 0 : offset[count - 1] + length[count - 1];
    }

    /** Room for one more packet of up to {@code len} bytes at {@link #end}. */
    public boolean fits(int len) {
        return count < MAX_PACKETS && end() + len <= buf.length;
    }

    /** Records a packet already written at {@code off}. */
    public void add(int off, int len) {
        if (count == MAX_PACKETS) {
            throw new IllegalStateException("batch full");
        }
        offset[count] = off;
        length[count] = len;
        count++;
    }

    /** Shortens or moves packet {@code i} (after in-place processing). */
    public void set(int i, int off, int len) {
        offset[i] = off;
        length[i] = len;
    }

    public void clear() {
        count = 0;
    }
}
