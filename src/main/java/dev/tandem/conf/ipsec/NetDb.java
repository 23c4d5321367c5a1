package dev.tandem.conf.ipsec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The services(5) and protocols(5) databases that ipsecctl consults through
 * getservbyname/getservbyport and getprotobyname/getprotobynumber. Entries are
 * searched in file order, like the libc functions. When the host has no
 * /etc/services or /etc/protocols, a copy of the IANA names bundled with
 * Tandem is used so that the printed output does not depend on the host.
 */
public final class NetDb {

    record Service(String name, int port, String proto, List<String> aliases) { }

    record Protocol(String name, int number, List<String> aliases) { }

    private final List<Service> services;
    private final List<Protocol> protocols;

    NetDb(List<Service> services, List<Protocol> protocols) {
        this.services = List.copyOf(services);
        this.protocols = List.copyOf(protocols);
    }

    private static final class Holder {
        static final NetDb SYSTEM = load(Path.of("/etc/services"), Path.of("/etc/protocols"));
    }

    /** The host's databases, loaded once. */
    public static NetDb system() {
        return Holder.SYSTEM;
    }

    static NetDb load(Path servicesFile, Path protocolsFile) {
        String services = readOrBundled(servicesFile, "services");
        String protocols = readOrBundled(protocolsFile, "protocols");
        return new NetDb(parseServices(services), parseProtocols(protocols));
    }

    private static String readOrBundled(Path file, String name) {
        try {
            if (Files.isReadable(file)) {
                return Files.readString(file, StandardCharsets.ISO_8859_1);
            }
            try (InputStream in = NetDb.class.getResourceAsStream("netdb/" + name)) {
                if (in == null) {
                    return "";
                }
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** getservent(3): "name port/proto aliases...", port and protocol also separated by ','. */
    static List<Service> parseServices(String text) {
        List<Service> out = new ArrayList<>();
        for (String[] f : fields(text)) {
            if (f.length < 2) {
                continue;
            }
            int sep = indexOfAny(f[1], ",/");
            if (sep < 0) {
                continue;
            }
            int port = number(f[1].substring(0, sep), 0xffff);
            if (port >= 0) {
                out.add(new Service(f[0], port, f[1].substring(sep + 1), List.of(f).subList(2, f.length)));
            }
        }
        return out;
    }

    /** getprotoent(3): "name number aliases...". */
    static List<Protocol> parseProtocols(String text) {
        List<Protocol> out = new ArrayList<>();
        for (String[] f : fields(text)) {
            if (f.length < 2) {
                continue;
            }
            int number = number(f[1], Integer.MAX_VALUE - 1);
            if (number >= 0) {
                out.add(new Protocol(f[0], number, List.of(f).subList(2, f.length)));
            }
        }
        return out;
    }

    /** A decimal number in [0, max], or -1 for a field libc would skip the line for. */
    private static int number(String s, int max) {
        if (!s.matches("[+-]?[0-9]+")) {
            return -1;
        }
        try {
            long v = Long.parseLong(s);
            return v < 0 || v > max ? -1 : (int) v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The blank-separated fields of each line, comments cut off. A line that
     * starts with a blank has an empty name for libc, which skips it.
     */
    private static List<String[]> fields(String text) {
        List<String[]> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            line = line.strip();
            if (!line.isEmpty()) {
                lines.add(line.split("[ \t]+"));
            }
        }
        return lines;
    }

    /** getservbyname(name, proto): the port of a service name or alias. */
    public Optional<Integer> servicePort(String name, String proto) {
        for (Service s : services) {
            if (s.proto().equals(proto) && (s.name().equals(name) || s.aliases().contains(name))) {
                return Optional.of(s.port());
            }
        }
        return Optional.empty();
    }

    /** getservbyport(port, proto): the first service name for a port. */
    public Optional<String> serviceName(int port, String proto) {
        for (Service s : services) {
            if (s.port() == port && s.proto().equals(proto)) {
                return Optional.of(s.name());
            }
        }
        return Optional.empty();
    }

    /** getprotobyname: a protocol number by name or alias. */
    public Optional<Integer> protocolNumber(String name) {
        for (Protocol p : protocols) {
            if (p.name().equals(name) || p.aliases().contains(name)) {
                return Optional.of(p.number());
            }
        }
        return Optional.empty();
    }

    /** getprotobynumber: the protocol's name. */
    public Optional<String> protocolName(int number) {
        for (Protocol p : protocols) {
            if (p.number() == number) {
                return Optional.of(p.name());
            }
        }
        return Optional.empty();
    }
}
