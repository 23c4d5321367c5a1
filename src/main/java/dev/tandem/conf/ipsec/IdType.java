package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;

/** The ISAKMP identity type ipsecctl infers from a srcid/dstid string. */
public enum IdType {
    IPV4_ADDR, IPV6_ADDR, FQDN, USER_FQDN;

    /** An address if it parses as one, USER_FQDN if it contains '@', else FQDN. */
    public static IdType of(String id) {
        if (IpAddress.parseV4(id).isPresent()) {
            return IPV4_ADDR;
        }
        if (IpAddress.parseV6(id).isPresent()) {
            return IPV6_ADDR;
        }
        return id.indexOf('@') >= 0 ? USER_FQDN : FQDN;
    }

    public boolean isAddress() {
        return this == IPV4_ADDR || this == IPV6_ADDR;
    }
}
