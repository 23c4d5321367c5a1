package dev.tandem.ike;

import dev.tandem.net.IpAddress;
import java.util.Objects;

/** One end of an IKE conversation: an address and a UDP port (500, or 4500 once NAT-T floats). */
public record IkeEndpoint(IpAddress address, int port) {

    public static final int IKE_PORT = 500;
    public static final int NAT_T_PORT = 4500;

    public IkeEndpoint {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("UDP port " + port);
        }
    }

    /** The same address on the NAT-T port. */
    public IkeEndpoint floated() {
        return new IkeEndpoint(address, NAT_T_PORT);
    }

    @Override
    public String toString() {
        return address.family() == IpAddress.Family.INET6 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
