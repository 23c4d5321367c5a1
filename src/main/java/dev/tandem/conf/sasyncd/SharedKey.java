package dev.tandem.conf.sasyncd;

import java.security.MessageDigest;

/**
 * The secret of the "sharedkey" statement. OpenBSD uses it directly as the
 * AES key, hence the 16, 24 or 32 byte rule, which Tandem keeps so existing
 * files stay valid; Tandem itself only feeds it to HKDF. The bytes never
 * appear in toString, and every reader gets a copy.
 */
public final class SharedKey {

    private final byte[] bytes;

    public SharedKey(byte[] bytes) {
        if (!validLength(bytes.length)) {
            throw new IllegalArgumentException("a shared key is 16, 24 or 32 bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** 16, 24 or 32 bytes: the AES key sizes OpenBSD's sasyncd accepts. */
    public static boolean validLength(int n) {
        return n == 16 || n == 24 || n == 32;
    }

    /** A copy of the key; the caller should wipe it when done. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "SharedKey[" + bytes.length * 8 + " bits, hidden]";
    }

    /** Constant-time, so comparing keys does not tell how much of them matched. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    /** The length only: a hash of the bytes would be a digest of the secret. */
    @Override
    public int hashCode() {
        return bytes.length;
    }
}
