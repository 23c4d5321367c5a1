package dev.tandem.conf.ipsec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    static List<Service> parseServices(String text) {
        List<Service> out = new ArrayList<>();
        for (String[] f : fields(text)) {
            if (f.length < 2) {
                continue;
            }
            int slash = f[1].indexOf('/');
            if (slash < 0) {
                continue;
            }
            try {
                int port = Integer.parseInt(f[1].substring(0, slash));
                String proto = f[1].substring(slash + 1).toLowerCase(Locale.ROOT);
                out.add(new Service(f[0], port, proto, List.of(f).subList(2, f.length)));
            } catch (NumberFormatException e) {
                // a malformed line is skipped, as libc does
            }
        }
        return out;
    }

    static List<Protocol> parseProtocols(String text) {
        List<Protocol> out = new ArrayList<>();
        for (String[] f : fields(text)) {
            if (f.length < 2) {
                continue;
            }
            try {
                out.add(new Protocol(f[0], Integer.parseInt(f[1]), List.of(f).subList(2, f.length)));
            } catch (NumberFormatException e) {
                // skipped, as libc does
            }
        }
        return out;
    }

    private static List<String[]> fields(String text) {
        List<String[]> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
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
