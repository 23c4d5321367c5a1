package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * What the kernel says about a network device, asked with struct ifreq
 * ioctls on a socket. The answer comes from the socket's network namespace
 * (the thread's when the socket was made), unlike /sys/class/net, which shows
 * the namespace sysfs was mounted in.
 */
final class NetDevice {

    /** IFNAMSIZ less the terminating NUL. */
    static final int MAX_NAME = 15;
    static final int ARPHRD_ETHER = 1;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int IFF_LOWER_UP = 0x10000;

    private NetDevice() {
    }

    /** The name as a NUL-terminated C string; rejects what no device can be called. */
    static byte[] cName(String name) throws IOException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > MAX_NAME || name.contains("/") || name.contains("\0") || name.isBlank()) {
            throw new IOException("not a network device name: \"" + name + "\"");
        }
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, b.length);
        return c;
    }

    static int index(int fd, String name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ioctl(a, fd, name, Libc.SIOCGIFINDEX, "SIOCGIFINDEX");
            return ifr.get(JAVA_INT, 16);
        }
    }

    /**
     * The device's primary IPv4 address: the kernel answers with the first
     * address labelled with the device's name, which is the first one added
     * (primaries precede secondaries). Null when it has none.
     */
    static IpAddress ipv4(int fd, String name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = request(a, name);
            if (Libc.ioctl(fd, Libc.SIOCGIFADDR, ifr) < 0) {
                int e = Libc.errno();
                if (e == Libc.EADDRNOTAVAIL) {
                    return null;
                }
                throw new OsException("SIOCGIFADDR " + name, e);
            }
            byte[] octets = new byte[4];
            // struct sockaddr_in in the union: family at 16, port at 18, address at 20
            MemorySegment.copy(ifr, JAVA_BYTE, 20, octets, 0, 4);
            return new IpAddress(octets);
        }
    }

    /** The device's Ethernet address; fails for devices without one (tun, loopback). */
    static byte[] ethernetAddress(int fd, String name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ioctl(a, fd, name, Libc.SIOCGIFHWADDR, "SIOCGIFHWADDR");
            int type = Short.toUnsignedInt(ifr.get(JAVA_SHORT, 16));
            if (type != ARPHRD_ETHER) {
                throw new IOException(name + " is no Ethernet device (hardware type " + type + ")");
            }
            byte[] mac = new byte[6];
            MemorySegment.copy(ifr, JAVA_BYTE, 18, mac, 0, 6);
            return mac;
        }
    }

    private static MemorySegment ioctl(Arena a, int fd, String name, long request, String what) throws IOException {
        MemorySegment ifr = request(a, name);
        if (Libc.ioctl(fd, request, ifr) < 0) {
            throw new OsException(what + " " + name, Libc.errno());
        }
        return ifr;
    }

    private static MemorySegment request(Arena a, String name) throws IOException {
        MemorySegment ifr = a.allocate(Libc.IFREQ_SIZE, 8);
        byte[] c = cName(name);
        MemorySegment.copy(c, 0, ifr, JAVA_BYTE, 0, c.length);
        return ifr;
    }
}
