package dev.tandem.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The IKE hash algorithm: as a prf it is HMAC with that hash (RFC 2409
 * section 4, no separate prf negotiated); as a plain hash it makes the IVs.
 * MD5 is deliberately absent.
 */
public enum Prf {
    HMAC_SHA1("HmacSHA1", "SHA-1", 20),
    HMAC_SHA2_256("HmacSHA256", "SHA-256", 32),
    HMAC_SHA2_384("HmacSHA384", "SHA-384", 48),
    HMAC_SHA2_512("HmacSHA512", "SHA-512", 64);

    private final String macName;
    private final String digestName;
    private final int length;

    Prf(String macName, String digestName, int length) {
        this.macName = macName;
        this.digestName = digestName;
        this.length = length;
    }

    /** Bytes of output of both the prf and the hash. */
    public int length() {
        return length;
    }

    /** prf(key, parts[0] | parts[1] | ...). */
    public byte[] apply(byte[] key, byte[]... parts) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("empty prf key");
        }
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(key, macName));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + macName, e);
        }
    }

    /** hash(parts[0] | parts[1] | ...), the unkeyed hash of the IV derivations. */
    public byte[] hash(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(digestName);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + digestName, e);
        }
    }
}
