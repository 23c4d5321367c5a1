package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * ISAKMP next-payload codes (RFC 2408 §3.1) plus NAT-D and NAT-OA (RFC 3947 §3.1, §5.1).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum PayloadType {
    NONE(0),
    SECURITY_ASSOCIATION(1),
    PROPOSAL(2),
    TRANSFORM(3),
    KEY_EXCHANGE(4),
    IDENTIFICATION(5),
    CERTIFICATE(6),
    CERTIFICATE_REQUEST(7),
    HASH(8),
    SIGNATURE(9),
    NONCE(10),
    NOTIFICATION(11),
    DELETE(12),
    VENDOR_ID(13),
    NAT_D(20),
    NAT_OA(21);

    private final int code;

    PayloadType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<PayloadType> of(int code) {
        for (PayloadType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
