package dev.tandem.carp;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of OpenBSD's CARP HMAC, made the way ifconfig's {@code pass} makes
 * it: the passphrase's bytes, at most 19 of them, NUL terminated and zero
 * padded to 20 ({@code CARP_KEY_LEN}). It is not hashed. Without a pass the
 * key is 20 zero bytes, and OpenBSD still authenticates with it.
 *
 * <p>OpenBSD copies the bytes of the C string whatever their encoding. We use
 * the UTF-8 bytes of the passphrase, which is what an OpenBSD peer configured
 * from a UTF-8 terminal or file holds, and cut at 19 bytes, not characters: a
 * cut may fall inside a multi-byte character, exactly as it does there.
 */
public final class CarpKey {

    /** {@code CARP_KEY_LEN}. */
    public static final int LENGTH = 20;
    /** The passphrase bytes that count; one byte is left for the NUL. */
    public static final int MAX_PASS_BYTES = LENGTH - 1;

    private final byte[] key;
    private final boolean truncated;

    private CarpKey(byte[] key, boolean truncated) {
        this.key = key;
        this.truncated = truncated;
    }

    /** The key of {@code ifconfig carpN pass <pass>}; null or empty means no pass. */
    public static CarpKey fromPass(String pass) {
        if (pass == null) {
            return none();
        }
        // A C string ends at its first NUL.
        int nul = pass.indexOf('\0');
        byte[] b = (nul >= 0 ? pass.substring(0, nul) : pass).getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[LENGTH];
        // The 20th byte stays zero: that is where OpenBSD's NUL goes.
        System.arraycopy(b, 0, key, 0, Math.min(b.length, MAX_PASS_BYTES));
        return new CarpKey(key, b.length > MAX_PASS_BYTES);
    }

    /** The all-zero key of a carp interface without a pass. */
    public static CarpKey none() {
        return new CarpKey(new byte[LENGTH], false);
    }

    /**
     * Whether the passphrase was longer than 19 bytes. OpenBSD ignores the
     * rest silently; ucarp refuses to start with such a pass, so a cluster
     * with ucarp nodes cannot use it at all.
     */
    public boolean truncated() {
        return truncated;
    }

    /** The 20 key bytes. */
    byte[] bytes() {
        return key.clone();
    }

    /** The key for {@code Mac}; 20 zero bytes are a valid HMAC key where an empty one would be refused. */
    SecretKeySpec hmacSha1Key() {
        return new SecretKeySpec(key, "HmacSHA1");
    }

    @Override
    public String toString() {
        return "CarpKey[hidden" + (truncated ? ", pass truncated to " + MAX_PASS_BYTES + " bytes" : "") + "]";
    }
}
