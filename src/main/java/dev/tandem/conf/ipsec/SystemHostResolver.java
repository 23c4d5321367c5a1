package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Lookups against this host's interfaces and resolver, cached for one parse. */
public final class SystemHostResolver implements HostResolver {

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?");

    private final Map<String, List<IpAddress>> interfaces = new HashMap<>();

    @Override
    public List<IpAddress> interfaceAddresses(String name) {
        return interfaces.computeIfAbsent(name, SystemHostResolver::lookupInterface);
    }

    private static List<IpAddress> lookupInterface(String name) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) {
                return List.of();
            }
            List<IpAddress> out = new ArrayList<>();
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                // like ipsecctl, link-local addresses are left out: a flow cannot name their scope
                if (a instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
                    continue;
                }
                out.add(new IpAddress(a.getAddress()));
            }
            return out;
        } catch (SocketException | IllegalArgumentException e) {
            return List.of();
        }
    }

    @Override
    public List<IpAddress> resolve(String hostname) {
        if (!HOSTNAME.matcher(hostname).matches()) {
            return List.of();
        }
        try {
            List<IpAddress> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(hostname)) {
                if (a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                    continue;
                }
                out.add(new IpAddress(a.getAddress()));
            }
            return out;
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }

    @Override
    public String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException ex) {
                return "localhost";
            }
        }
    }
}
