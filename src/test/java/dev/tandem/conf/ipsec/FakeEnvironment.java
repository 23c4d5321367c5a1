package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parser environment that never touches the host: files live in a map,
 * one interface ("em0") and a few DNS names exist.
 */
final class FakeEnvironment {

    private FakeEnvironment() {
    }

    static final class MemoryFiles implements ConfFiles {
        final Map<String, byte[]> files = new HashMap<>();

        MemoryFiles put(String name, String content) {
            files.put(name, content.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        @Override
        public byte[] read(String name, int limit) throws IOException {
            byte[] b = files.get(name);
            if (b == null) {
                throw new NoSuchFileException(name);
            }
            if (b.length > limit) {
                throw new FileSystemException(name, null, "File too large");
            }
            return b.clone();
        }

        @Override
        public String identity(String name) throws IOException {
            if (!files.containsKey(name)) {
                throw new NoSuchFileException(name);
            }
            return name;
        }

        @Override
        public Optional<String> secrecyProblem(String name) {
            return Optional.empty();
        }
    }

    static final HostResolver RESOLVER = new HostResolver() {
        @Override
        public List<IpAddress> interfaceAddresses(String name) {
            return name.equals("em0")
                    ? List.of(IpAddress.parse("10.0.0.1").orElseThrow(), IpAddress.parse("fd00::1").orElseThrow())
                    : List.of();
        }

        @Override
        public List<IpAddress> resolve(String hostname) {
            return switch (hostname) {
                case "localhost" -> List.of(IpAddress.parse("127.0.0.1").orElseThrow(),
                        IpAddress.parse("::1").orElseThrow());
                case "gw.example.net" -> List.of(IpAddress.parse("192.0.2.1").orElseThrow());
                default -> List.of();
            };
        }

        @Override
        public String hostname() {
            return "gw1.example.net";
        }
    };

    /** Key files named like the conformance suite's, at the root, plus include targets. */
    static MemoryFiles files() {
        MemoryFiles f = new MemoryFiles();
        for (int bits : new int[] {64, 80, 128, 160, 192, 224, 256, 288, 384, 512}) {
            f.put("/ak" + bits, "a".repeat(bits / 4) + "\n");
            f.put("/ek" + bits, "e".repeat(bits / 4) + "\n");
        }
        f.put("inc.conf", "flow esp from 1.1.1.1 to 2.2.2.2\nx = \"3.3.3.3\"\n");
        f.put("loop.conf", "include \"loop.conf\"\n");
        f.put("a.conf", "include \"b.conf\"\n");
        f.put("b.conf", "include \"a.conf\"\n");
        f.put("bad.conf", "flow esp from\n");
        return f;
    }

    static IpsecConfParser.Environment environment(ParseLimits limits) {
        return new IpsecConfParser.Environment(RESOLVER, NetDb.system(), files(), limits, "ipsecctl");
    }

    static IpsecConfParser.Environment environment() {
        return environment(ParseLimits.DEFAULT);
    }
}
