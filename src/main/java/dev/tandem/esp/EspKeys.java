package dev.tandem.esp;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one ESP SA, checked against its transform. Never prints key
 * bytes. For GCM the last 4 bytes of the encryption key material are the
 * salt of the nonce (RFC 4106 section 8.1).
 */
public final class EspKeys {

    private final EspTransform transform;
    private final SecretKeySpec enc;
    private final SecretKeySpec auth;
    private final byte[] salt;

    public EspKeys(EspTransform transform, byte[] encKey, byte[] authKey) {
        int encLen = encKey == null ? 0 : encKey.length;
        int authLen = authKey == null ? 0 : authKey.length;
        if (encLen != transform.encKeyLength()) {
            throw new IllegalArgumentException("encryption key of " + encLen + " bytes, " + transform
                    + " needs " + transform.encKeyLength());
        }
        if (authLen != transform.authKeyLength()) {
            throw new IllegalArgumentException("authentication key of " + authLen + " bytes, " + transform
                    + " needs " + transform.authKeyLength());
        }
        this.transform = transform;
        switch (transform) {
            case EspTransform.AesGcm g -> {
                this.enc = new SecretKeySpec(encKey, 0, g.aesKeyLength(), "AES");
                this.salt = Arrays.copyOfRange(encKey, g.aesKeyLength(), encKey.length);
                this.auth = null;
            }
            case EspTransform.AesCbcHmac c -> {
                this.enc = new SecretKeySpec(encKey, "AES");
                this.salt = null;
                this.auth = new SecretKeySpec(authKey, c.integrity().jcaName());
            }
            case EspTransform.NullHmac n -> {
                this.enc = null;
                this.salt = null;
                this.auth = new SecretKeySpec(authKey, n.integrity().jcaName());
            }
        }
    }

    public EspTransform transform() {
        return transform;
    }

    SecretKeySpec enc() {
        return enc;
    }

    SecretKeySpec auth() {
        return auth;
    }

    byte[] salt() {
        return salt;
    }

    /** The encryption key material (with the GCM salt), for ipsecctl -k and replication only. */
    public byte[] encKeyBytes() {
        if (enc == null) {
            return new byte[0];
        }
        byte[] k = enc.getEncoded();
        return salt == null ? k : concat(k, salt);
    }

    /** The authentication key, for ipsecctl -k and replication only. */
    public byte[] authKeyBytes() {
        return auth == null ? new byte[0] : auth.getEncoded();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EspKeys k && transform.equals(k.transform)
                && java.security.MessageDigest.isEqual(encKeyBytes(), k.encKeyBytes())
                && java.security.MessageDigest.isEqual(authKeyBytes(), k.authKeyBytes());
    }

    @Override
    public int hashCode() {
        return transform.hashCode();
    }

    @Override
    public String toString() {
        return "EspKeys[" + transform + "]";
    }
}
