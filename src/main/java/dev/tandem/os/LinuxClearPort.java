package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.dataplane.ClearPort;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Re-injects cleartext packets read from the TUN device through IPPROTO_RAW
 * sockets (the packet keeps its own header) marked with SO_MARK: the routing
 * rule that sends traffic into the tunnel does not apply to marked packets,
 * so the kernel routes them by the main table. Needs CAP_NET_RAW and
 * CAP_NET_ADMIN (for the mark).
 */
public final class LinuxClearPort implements ClearPort {

    private final FdGuard v4;
    private final FdGuard v6;
    private final ThreadLocal<MemorySegment> sendBuf = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(65_536));
    private final ThreadLocal<MemorySegment> to = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(28));

    private LinuxClearPort(int v4, int v6) {
        this.v4 = new FdGuard(v4);
        this.v6 = v6 < 0 ? null : new FdGuard(v6);
    }

    /** Opens the sockets; IPv6 is optional (a host without IPv6 still gets IPv4). */
    public static LinuxClearPort open(int mark) throws IOException {
        int fd4 = rawSocket(Libc.AF_INET, mark);
        int fd6;
        try {
            fd6 = rawSocket(Libc.AF_INET6, mark);
        } catch (OsException e) {
            fd6 = -1;
        }
        return new LinuxClearPort(fd4, fd6);
    }

    private static int rawSocket(int family, int mark) throws OsException {
        int fd = Libc.socket(family, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_RAW);
        String what = family == Libc.AF_INET ? "socket(AF_INET, SOCK_RAW, IPPROTO_RAW)"
                : "socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)";
        if (fd < 0) {
            throw new OsException(what, Libc.errno());
        }
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_MARK, mark) < 0) {
            int e = Libc.errno();
            Libc.close(fd);
            throw new OsException(what + ": SO_MARK", e);
        }
        return fd;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (len < 20) {
            throw new IOException("not an IP packet: " + len + " bytes");
        }
        int version = (buf[off] & 0xff) >>> 4;
        FdGuard g = version == 4 ? v4 : version == 6 ? v6 : null;
        if (g == null || (version == 6 && len < 40)) {
            throw new IOException("cannot send IP version " + version + " in the clear");
        }
        if (!g.enter()) {
            throw new IOException("cleartext socket is closed");
        }
        try {
            MemorySegment b = sendBuf.get();
            MemorySegment.copy(buf, off, b, JAVA_BYTE, 0, len);
            MemorySegment sa = to.get();
            sa.fill((byte) 0);
            int saLen;
            // the kernel routes by the address given here; it is the header's destination
            if (version == 4) {
                sa.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
                MemorySegment.copy(buf, off + 16, sa, JAVA_BYTE, 4, 4);
                saLen = 16;
            } else {
                sa.set(JAVA_SHORT, 0, (short) Libc.AF_INET6);
                MemorySegment.copy(buf, off + 24, sa, JAVA_BYTE, 8, 16);
                saLen = 28;
            }
            if (Libc.sendto(g.fd(), b, len, 0, sa, saLen) < 0) {
                throw new OsException("sendto (cleartext)", Libc.errno());
            }
        } finally {
            g.exit();
        }
    }

    @Override
    public void close() {
        v4.close();
        if (v6 != null) {
            v6.close();
        }
    }
}
