package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * IPsec DOI SA attribute types for phase 2 (RFC 2407 §4.5).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum Phase2Attribute {
    SA_LIFE_TYPE(1),
    SA_LIFE_DURATION(2),
    GROUP_DESCRIPTION(3),
    ENCAPSULATION_MODE(4),
    AUTHENTICATION_ALGORITHM(5),
    KEY_LENGTH(6),
    KEY_ROUNDS(7),
    COMPRESS_DICTIONARY_SIZE(8),
    COMPRESS_PRIVATE_ALGORITHM(9);

    private final int code;

    Phase2Attribute(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<Phase2Attribute> of(int code) {
        for (Phase2Attribute v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
