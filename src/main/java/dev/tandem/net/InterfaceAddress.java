package dev.tandem.net;

import java.util.Objects;

/**
 * An address as configured on an interface: the address itself (host bits
 * kept, unlike {@link IpNet}) and the prefix length of its subnet, as in
 * {@code 198.51.100.1/24}.
 */
public record InterfaceAddress(IpAddress address, int prefix) {

    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        if (prefix < 0 || prefix > address.bits()) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range for " + address);
        }
    }

    public IpAddress.Family family() {
        return address.family();
    }

    /** The subnet the address is in. */
    public IpNet network() {
        return new IpNet(address, prefix);
    }

    /** "198.51.100.1/24", as {@code ip addr} takes it. */
    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
