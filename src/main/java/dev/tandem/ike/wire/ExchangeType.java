package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * ISAKMP exchange types (RFC 2408 §3.1, RFC 2409 §5.5/§5.6 for Quick and New Group Mode).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum ExchangeType {
    NONE(0),
    BASE(1),
    IDENTITY_PROTECTION(2),
    AUTHENTICATION_ONLY(3),
    AGGRESSIVE(4),
    INFORMATIONAL(5),
    QUICK_MODE(32),
    NEW_GROUP_MODE(33);

    private final int code;

    ExchangeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ExchangeType> of(int code) {
        for (ExchangeType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
