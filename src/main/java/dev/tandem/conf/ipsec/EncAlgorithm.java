package dev.tandem.conf.ipsec;

import java.util.Optional;

/**
 * The "enc" transforms of ipsec.conf in ipsecctl's table order (prefix
 * matching follows this order). Key sizes are in bytes and include the
 * 4-byte salt of counter and AEAD modes.
 */
public enum EncAlgorithm {
    UNKNOWN("unknown", 0, 0, false, false),
    NONE("none", 0, 0, false, false),
    TDES_CBC("3des-cbc", 24, 24, false, false),
    AES("aes", 16, 32, false, false),
    AES_128("aes-128", 16, 16, false, false),
    AES_192("aes-192", 24, 24, false, false),
    AES_256("aes-256", 32, 32, false, false),
    AESCTR("aesctr", 20, 36, false, true),
    AES_128_CTR("aes-128-ctr", 20, 20, false, true),
    AES_192_CTR("aes-192-ctr", 28, 28, false, true),
    AES_256_CTR("aes-256-ctr", 36, 36, false, true),
    AES_128_GCM("aes-128-gcm", 20, 20, true, true),
    AES_192_GCM("aes-192-gcm", 28, 28, true, true),
    AES_256_GCM("aes-256-gcm", 36, 36, true, true),
    AES_128_GMAC("aes-128-gmac", 20, 20, true, true),
    AES_192_GMAC("aes-192-gmac", 28, 28, true, true),
    AES_256_GMAC("aes-256-gmac", 36, 36, true, true),
    BLOWFISH("blowfish", 5, 56, false, false),
    CAST128("cast128", 5, 16, false, false),
    CHACHA20_POLY1305("chacha20-poly1305", 36, 36, true, true),
    NULL("null", 0, 0, false, false);

    private final String keyword;
    private final int keyMin;
    private final int keyMax;
    private final boolean aead;
    private final boolean noStaticKeys;

    EncAlgorithm(String keyword, int keyMin, int keyMax, boolean aead, boolean noStaticKeys) {
        this.keyword = keyword;
        this.keyMin = keyMin;
        this.keyMax = keyMax;
        this.aead = aead;
        this.noStaticKeys = noStaticKeys;
    }

    public String keyword() {
        return keyword;
    }

    public int keyMin() {
        return keyMin;
    }

    public int keyMax() {
        return keyMax;
    }

    /** Carries its own integrity check, so an "auth" transform is refused with it. */
    public boolean aead() {
        return aead;
    }

    /** Counter modes must never reuse a nonce, so manual (static) keys are refused. */
    public boolean noStaticKeys() {
        return noStaticKeys;
    }

    public static Optional<EncAlgorithm> byPrefix(String text) {
        for (EncAlgorithm a : values()) {
            if (a.keyword.startsWith(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
