package dev.tandem.ike.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** Fixed-length integer encodings and concatenation for the derivations. */
final class Bytes {

    private Bytes() {
    }

    /** Big-endian, left-padded with zeros to exactly {@code length} bytes. */
    static byte[] unsigned(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        int start = raw.length > 1 && raw[0] == 0 ? 1 : 0;
        int n = raw.length - start;
        if (v.signum() < 0 || n > length) {
            throw new IllegalArgumentException("value does not fit " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(raw, start, out, length - n, n);
        return out;
    }

    /** Left-pads (never truncates) a big-endian value, as JCA may drop leading zeros. */
    static byte[] leftPad(byte[] v, int length) {
        if (v.length == length) {
            return v;
        }
        if (v.length > length) {
            throw new IllegalArgumentException(v.length + " bytes do not fit " + length);
        }
        byte[] out = new byte[length];
        System.arraycopy(v, 0, out, length - v.length, v.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static boolean allZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    static byte[] prefix(byte[] b, int length) {
        return Arrays.copyOf(b, length);
    }
}
