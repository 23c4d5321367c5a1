package dev.tandem.ike.policy;

import dev.tandem.ike.wire.IdType;
import java.util.Objects;

/**
 * A phase 1 identity as ipsec.conf's srcid/dstid give it: an address
 * (IPV4_ADDR, IPV6_ADDR), a host name (FQDN) or a mailbox (USER_FQDN).
 */
public record Identity(IdType type, String value) {

    public Identity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        switch (type) {
            case IPV4_ADDR, IPV6_ADDR, FQDN, USER_FQDN -> { }
            default -> throw new IllegalArgumentException("phase 1 identity of type " + type);
        }
    }

    @Override
    public String toString() {
        return type + "/" + value;
    }
}
