package dev.tandem.net;

import java.util.Objects;

/** A network: an address with its host bits cleared, and a prefix length. */
public record IpNet(IpAddress address, int prefix) {

    public IpNet {
        Objects.requireNonNull(address, "address");
        if (prefix < 0 || prefix > address.bits()) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range for " + address);
        }
        address = address.network(prefix);
    }

    public static IpNet host(IpAddress a) {
        return new IpNet(a, a.bits());
    }

    public IpAddress.Family family() {
        return address.family();
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && a.network(prefix).equals(address);
    }

    /** "10.0.0.0/8", or the bare address for a host. */
    @Override
    public String toString() {
        return prefix == address.bits() ? address.toString() : address + "/" + prefix;
    }
}
