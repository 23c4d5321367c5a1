package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.dataplane.PacketDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device (IFF_TUN, no packet information header): raw IP packets
 * in and out. Reads wait with poll() in short slices so that {@link #close}
 * stops a reader within a quarter second; one reader thread at a time.
 */
public final class LinuxTun implements PacketDevice {

    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final int POLL_SLICE_MS = 250;

    private final String name;
    private final FdGuard guard;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuf;
    private final MemorySegment pollfd;
    private final ThreadLocal<MemorySegment> writeBuf;

    private LinuxTun(String name, int fd) {
        this.name = name;
        this.guard = new FdGuard(fd);
        this.readBuf = arena.allocate(65_536);
        this.pollfd = arena.allocate(8);
        this.writeBuf = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(65_536));
    }

    /** Creates (or attaches to) the TUN device {@code name}; needs CAP_NET_ADMIN. */
    public static LinuxTun open(String name) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length > 15) {
            throw new IllegalArgumentException("interface name must have 1 to 15 characters: " + name);
        }
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.open(a.allocateFrom("/dev/net/tun"), Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0);
            if (fd < 0) {
                throw new OsException("open /dev/net/tun", Libc.errno());
            }
            MemorySegment ifr = a.allocate(40);
            MemorySegment.copy(n, 0, ifr, JAVA_BYTE, 0, n.length);
            ifr.set(JAVA_SHORT, 16, (short) (IFF_TUN | IFF_NO_PI));
            if (Libc.ioctl(fd, TUNSETIFF, ifr) < 0) {
                int e = Libc.errno();
                Libc.close(fd);
                throw new OsException("ioctl TUNSETIFF " + name, e);
            }
            return new LinuxTun(name, fd);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (!guard.enter()) {
            return -1;
        }
        try {
            while (!guard.closing()) {
                if (!Libc.pollIn(guard.fd(), pollfd, POLL_SLICE_MS)) {
                    continue;
                }
                long n = Libc.read(guard.fd(), readBuf, Math.min(len, readBuf.byteSize()));
                if (n < 0) {
                    int e = Libc.errno();
                    if (e == Libc.EAGAIN || e == Libc.EINTR) {
                        continue;
                    }
                    throw new OsException("read " + name, e);
                }
                MemorySegment.copy(readBuf, JAVA_BYTE, 0, buf, off, (int) n);
                return (int) n;
            }
            return -1;
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        if (!guard.enter()) {
            throw new IOException(name + " is closed");
        }
        try {
            MemorySegment w = writeBuf.get();
            MemorySegment.copy(buf, off, w, JAVA_BYTE, 0, len);
            if (Libc.write(guard.fd(), w, len) < 0) {
                throw new OsException("write " + name, Libc.errno());
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public void close() {
        guard.close();
    }
}
