package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a host string of ipsec.conf into addresses the way ipsecctl's host()
 * does, in the same order: interface name, IPv4 (with inet_net_pton's
 * abbreviations when a prefix is given), IPv6, then DNS.
 */
final class HostLookup {

    private final HostResolver resolver;
    private final Reporter reporter;

    HostLookup(HostResolver resolver, Reporter reporter) {
        this.resolver = resolver;
        this.reporter = reporter;
    }

    /**
     * The hosts named by {@code s}, or empty after reporting why not. A DNS
     * name or an interface can stand for several addresses.
     */
    Optional<List<Host>> host(String s) {
        int slash = s.lastIndexOf('/');
        String ps;
        int mask;
        if (slash >= 0) {
            OptionalLong m = CNum.strtol(s.substring(slash + 1));
            if (m.isEmpty() || m.getAsLong() < 0 || m.getAsLong() > 128) {
                // OpenBSD exits here; Tandem reports the line and carries on
                reporter.error("invalid netmask '" + s.substring(slash) + "'");
                return Optional.empty();
            }
            mask = (int) m.getAsLong();
            ps = s.substring(0, slash);
        } else {
            ps = s;
            mask = -1;
        }

        List<Host> found = fromInterface(ps);
        if (found.isEmpty()) {
            found = fromV4(s);
        }
        if (found.isEmpty()) {
            found = fromV6(ps, mask == -1 ? 128 : mask);
        }
        if (found.isEmpty() && mask == -1) {
            found = fromDns(s);
        }
        if (found.isEmpty()) {
            reporter.plain("no IP address found for " + s);
            return Optional.empty();
        }
        return Optional.of(found);
    }

    private List<Host> fromInterface(String name) {
        List<Host> out = new ArrayList<>();
        for (IpAddress a : resolver.interfaceAddresses(name)) {
            out.add(new Host(a, a.bits(), false, name, null));
        }
        return out;
    }

    private static List<Host> fromV4(String s) {
        if (s.indexOf('/') >= 0) {
            return IpAddress.parseV4Net(s)
                    .map(n -> List.of(new Host(n.address(), n.bits(), true, s, null)))
                    .orElse(List.of());
        }
        return IpAddress.parseV4(s).map(a -> List.of(new Host(a, 32, false, s, null))).orElse(List.of());
    }

    private static List<Host> fromV6(String s, int prefix) {
        int p = Math.min(prefix, 128);
        return IpAddress.parseV6(s).map(a -> {
            boolean net = p != 128;
            String name = net ? a + "/" + p : a.toString();
            return List.of(new Host(a, p, net, name, null));
        }).orElse(List.of());
    }

    private List<Host> fromDns(String s) {
        List<Host> out = new ArrayList<>();
        for (IpAddress a : resolver.resolve(s)) {
            // OpenBSD leaves the mask of a resolved IPv6 address at /0, which
            // would widen the flow to everything; Tandem uses a host mask.
            out.add(new Host(a, a.bits(), false, a.toString(), null));
        }
        return out;
    }
}
