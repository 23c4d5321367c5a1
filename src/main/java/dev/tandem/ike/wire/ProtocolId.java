package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * Protocol identifiers of proposals, notifications and deletes (RFC 2407 §4.4.1).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum ProtocolId {
    ISAKMP(1),
    IPSEC_AH(2),
    IPSEC_ESP(3),
    IPCOMP(4);

    private final int code;

    ProtocolId(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ProtocolId> of(int code) {
        for (ProtocolId v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
