package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * IKE phase 1 SA attribute classes (RFC 2409 Appendix A).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum Phase1Attribute {
    ENCRYPTION_ALGORITHM(1),
    HASH_ALGORITHM(2),
    AUTHENTICATION_METHOD(3),
    GROUP_DESCRIPTION(4),
    GROUP_TYPE(5),
    GROUP_PRIME(6),
    GROUP_GENERATOR_ONE(7),
    GROUP_GENERATOR_TWO(8),
    GROUP_CURVE_A(9),
    GROUP_CURVE_B(10),
    LIFE_TYPE(11),
    LIFE_DURATION(12),
    PRF(13),
    KEY_LENGTH(14),
    FIELD_SIZE(15),
    GROUP_ORDER(16);

    private final int code;

    Phase1Attribute(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<Phase1Attribute> of(int code) {
        for (Phase1Attribute v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
