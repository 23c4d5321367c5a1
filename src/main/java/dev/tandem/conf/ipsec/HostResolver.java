package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import java.util.List;

/**
 * Name lookups the parser needs: interface addresses, DNS, the local host
 * name. Injected so that tests and the fuzzer never touch the network.
 */
public interface HostResolver {

    /** Addresses of the interface {@code name}; empty when there is no such interface. */
    List<IpAddress> interfaceAddresses(String name);

    /** Addresses of a DNS name (both families), empty when it does not resolve. */
    List<IpAddress> resolve(String hostname);

    /** This host's name, the default IKE identity of dynamic rules. */
    String hostname();

    /** A resolver that knows no interfaces and no names. */
    HostResolver NONE = new HostResolver() {
        @Override
        public List<IpAddress> interfaceAddresses(String name) {
            return List.of();
        }

        @Override
        public List<IpAddress> resolve(String hostname) {
            return List.of();
        }

        @Override
        public String hostname() {
            return "localhost";
        }
    };
}
