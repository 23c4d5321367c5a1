package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * IPsec DOI identification types (RFC 2407 §4.6.2.1).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum IdType {
    IPV4_ADDR(1),
    FQDN(2),
    USER_FQDN(3),
    IPV4_ADDR_SUBNET(4),
    IPV6_ADDR(5),
    IPV6_ADDR_SUBNET(6),
    IPV4_ADDR_RANGE(7),
    IPV6_ADDR_RANGE(8),
    DER_ASN1_DN(9),
    DER_ASN1_GN(10),
    KEY_ID(11);

    private final int code;

    IdType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<IdType> of(int code) {
        for (IdType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
