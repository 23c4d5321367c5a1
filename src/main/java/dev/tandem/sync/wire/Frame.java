package dev.tandem.sync.wire;

import java.util.Arrays;

/**
 * One frame of an authenticated channel:
 * {@code [u32 length][u64 sequence][AES-GCM ciphertext with 16-byte tag]},
 * the length counting the bytes after it. The 12 header bytes are the
 * AEAD's associated data, so neither length nor sequence can be altered.
 *
 * @param body the ciphertext with its tag; not copied (frames are up to 1 MiB),
 *             so neither side may change it after handing it over
 */
public record Frame(long sequence, byte[] body) {

    public static final int HEADER = 12;
    public static final int TAG = 16;
    /** Largest length field accepted: 1 MiB. */
    public static final int MAX_FRAME = 1 << 20;
    /** Smallest length field: a sequence number and a tag around nothing. */
    public static final int MIN_FRAME = 8 + TAG;
    /** Largest message a frame carries. */
    public static final int MAX_PLAINTEXT = MAX_FRAME - 8 - TAG;

    public Frame {
        if (body.length < TAG || body.length > MAX_FRAME - 8) {
            throw new IllegalArgumentException("frame body of " + body.length + " bytes");
        }
    }

    /** The length field: sequence and body. */
    public int length() {
        return 8 + body.length;
    }

    /** The 12 header bytes as sent. */
    public byte[] header() {
        byte[] h = new byte[HEADER];
        writeHeader(h, length(), sequence);
        return h;
    }

    /** Header and body as they travel. */
    public byte[] encode() {
        byte[] b = new byte[HEADER + body.length];
        writeHeader(b, length(), sequence);
        System.arraycopy(body, 0, b, HEADER, body.length);
        return b;
    }

    static void writeHeader(byte[] b, int length, long sequence) {
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (length >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            b[4 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.sequence == sequence && Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Frame[seq " + Long.toUnsignedString(sequence) + ", " + body.length + " bytes]";
    }
}
