package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import java.util.Objects;

/**
 * A resolved host or network of a rule (ipsecctl's ipsec_addr_wrap).
 *
 * @param address   the address as written (host bits are kept, as OpenBSD does)
 * @param prefix    netmask length
 * @param network   true when written as a network ("/len", or any): such a
 *                  destination is never used as the default peer, and IKE
 *                  describes it with a SUBNET identity
 * @param name      the text ipsecctl keeps for the address; it names isakmpd
 *                  sections and IDs, so it is preserved exactly
 * @param sourceNat the "(addr)" source NAT network of a flow source, or null
 */
public record Host(IpAddress address, int prefix, boolean network, String name, Host sourceNat)
        implements HostSpec {

    public Host {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
        if (prefix < 0 || prefix > address.bits()) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range for " + address);
        }
    }

    public IpAddress.Family family() {
        return address.family();
    }

    public IpAddress netmask() {
        return IpAddress.mask(family(), prefix);
    }

    public Host withSourceNat(Host nat) {
        return new Host(address, prefix, network, name, nat);
    }

    /** The address as ipsecctl prints it: numeric, "/len" unless a full host mask. */
    public String display() {
        return prefix == address.bits() ? address.toString() : address + "/" + prefix;
    }

    /** 0.0.0.0/0 or ::/0, the two halves of an expanded {@code any}. */
    public static Host any(IpAddress.Family family) {
        return new Host(IpAddress.zero(family), 0, true,
                family == IpAddress.Family.INET ? "0.0.0.0/0" : "::/0", null);
    }

    @Override
    public String toString() {
        return display();
    }
}
