package dev.tandem.conf.sasyncd;

import dev.tandem.net.IpAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One "listen on" statement: where the replication listener binds.
 *
 * @param on     a numeric address or an interface name, as written
 * @param family for an interface name, which of its addresses to use (ANY
 *               when no inet/inet6 was given); for an address, always the
 *               address's own family, because there the qualifier means nothing
 * @param port   the TCP port after OpenBSD's out-of-range reset
 */
public record Listen(String on, Family family, int port) {

    public enum Family { ANY, INET, INET6 }

    public Listen {
        Objects.requireNonNull(on, "on");
        Objects.requireNonNull(family, "family");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Optional<IpAddress> a = IpAddress.parse(on);
        if (a.isPresent() && family != of(a.get().family())) {
            throw new IllegalArgumentException("family " + family + " does not match address " + on);
        }
    }

    static Family of(IpAddress.Family f) {
        return f == IpAddress.Family.INET ? Family.INET : Family.INET6;
    }

    /** The address when "on" is numeric; empty when it names an interface. */
    public Optional<IpAddress> address() {
        return IpAddress.parse(on);
    }

    public boolean isInterface() {
        return address().isEmpty();
    }
}
