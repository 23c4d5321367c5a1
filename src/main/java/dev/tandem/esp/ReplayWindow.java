package dev.tandem.esp;

/**
 * The anti-replay window of an inbound SA (RFC 4303 section 3.4.3 and
 * appendix A), with extended sequence numbers when enabled. Not thread-safe:
 * the SA serialises access.
 *
 * <p>The window remembers which of the last {@code size} sequence numbers
 * below the highest one seen have arrived. Checking and updating are separate
 * steps because the integrity check must pass between them: a forged packet
 * must not move the window.
 */
public final class ReplayWindow {

    /** Outcome of {@link #check}. */
    public enum Verdict { NEW, REPLAYED, TOO_OLD, INVALID }

    private final int size;
    private final boolean esn;
    private final long[] bits;
    private final int mask;
    /** Highest sequence number accepted so far (64 bits with ESN); 0 before the first. */
    private long top;

    /**
     * @param size window size in packets, at least 32 (RFC 4303 requires 32, recommends 64)
     * @param esn  whether the SA uses 64-bit extended sequence numbers
     */
    public ReplayWindow(int size, boolean esn) {
        if (size < 32 || size > 1 << 20) {
            throw new IllegalArgumentException("replay window size " + size + " outside 32.." + (1 << 20));
        }
        this.size = size;
        this.esn = esn;
        int slots = Integer.highestOneBit(size - 1) << 1;
        this.bits = new long[Math.max(1, slots / 64)];
        this.mask = bits.length * 64 - 1;
    }

    public int size() {
        return size;
    }

    public boolean esn() {
        return esn;
    }

    /** The highest sequence number accepted, the value replicated to a backup. */
    public long top() {
        return top;
    }

    /**
     * The full sequence number of a packet carrying the low 32 bits
     * {@code seqLow}: the same value without ESN, the inferred 64-bit value
     * with ESN (RFC 4303 appendix A2.2). The integrity check must use it.
     */
    public long infer(int seqLow) {
        long low = Integer.toUnsignedLong(seqLow);
        if (!esn) {
            return low;
        }
        long tl = top & 0xffffffffL;
        long th = top >>> 32;
        long bottom = (tl - size + 1) & 0xffffffffL;
        if (tl >= size - 1) {
            // window inside one 2^32 subspace
            return ((low >= bottom ? th : th + 1) << 32) | low;
        }
        // window spans the boundary with the previous subspace
        if (low >= bottom && th > 0) {
            return ((th - 1) << 32) | low;
        }
        return (th << 32) | low;
    }

    /** Would a packet with this (inferred) sequence number be accepted? Changes nothing. */
    public Verdict check(long seq) {
        if (seq == 0 && !esn) {
            return Verdict.INVALID;
        }
        if (Long.compareUnsigned(seq, top) > 0) {
            return Verdict.NEW;
        }
        if (Long.compareUnsigned(top - seq, size) >= 0) {
            return Verdict.TOO_OLD;
        }
        return isSet(seq) ? Verdict.REPLAYED : Verdict.NEW;
    }

    /** Records an authenticated packet. Call only after {@link #check} said NEW. */
    public void accept(long seq) {
        if (Long.compareUnsigned(seq, top) > 0) {
            long advance = seq - top;
            if (Long.compareUnsigned(advance, mask + 1L) >= 0) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long s = top + 1; s != seq; s++) {
                    clear(s);
                }
            }
            top = seq;
        }
        set(seq);
    }

    /**
     * Moves the window to a replicated position without any packet: used when
     * a backup takes over an SA (bits below {@code newTop} are treated as seen).
     */
    public void restore(long newTop) {
        if (Long.compareUnsigned(newTop, top) > 0) {
            top = newTop;
            java.util.Arrays.fill(bits, -1L);
        }
    }

    private boolean isSet(long seq) {
        int i = (int) (seq & mask);
        return (bits[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private void set(long seq) {
        int i = (int) (seq & mask);
        bits[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long seq) {
        int i = (int) (seq & mask);
        bits[i >>> 6] &= ~(1L << (i & 63));
    }
}
