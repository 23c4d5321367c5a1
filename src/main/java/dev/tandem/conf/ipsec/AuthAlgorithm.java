package dev.tandem.conf.ipsec;

import java.util.Optional;

/**
 * The "auth" transforms of ipsec.conf, in ipsecctl's table order: names are
 * matched by prefix against this order, so "hmac-sha2" selects hmac-sha2-256.
 */
public enum AuthAlgorithm {
    UNKNOWN("unknown", 0, null),
    NONE("none", 0, null),
    HMAC_MD5("hmac-md5", 16, "MD5"),
    HMAC_RIPEMD160("hmac-ripemd160", 20, "RIPEMD"),
    HMAC_SHA1("hmac-sha1", 20, "SHA"),
    HMAC_SHA2_256("hmac-sha2-256", 32, "SHA2_256"),
    HMAC_SHA2_384("hmac-sha2-384", 48, "SHA2_384"),
    HMAC_SHA2_512("hmac-sha2-512", 64, "SHA2_512");

    private final String keyword;
    private final int keyBytes;
    private final String isakmpdName;

    AuthAlgorithm(String keyword, int keyBytes, String isakmpdName) {
        this.keyword = keyword;
        this.keyBytes = keyBytes;
        this.isakmpdName = isakmpdName;
    }

    public String keyword() {
        return keyword;
    }

    /** Exact key length a manual SA must supply. */
    public int keyBytes() {
        return keyBytes;
    }

    /** isakmpd's hash name (SHA, SHA2_256...), or null when isakmpd has none. */
    public String isakmpdName() {
        return isakmpdName;
    }

    public static Optional<AuthAlgorithm> byPrefix(String text) {
        for (AuthAlgorithm a : values()) {
            if (a.keyword.startsWith(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
