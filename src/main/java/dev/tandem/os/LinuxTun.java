package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.dataplane.PacketBatch;
import dev.tandem.dataplane.PacketDevice;
import dev.tandem.dataplane.offload.Coalescer;
import dev.tandem.dataplane.offload.Segmenter;
import dev.tandem.dataplane.offload.VirtioNetHdr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TUN device: raw IP packets in and out. With offloads (IFF_VNET_HDR
 * and TUNSETOFFLOAD for checksums and TCP segmentation) the kernel hands over
 * TCP super-packets of up to 64 KiB, which {@link Segmenter} splits into
 * segments to encrypt one by one, and takes super-packets that
 * {@link Coalescer} merges from decrypted segments: one system call for
 * dozens of packets, and the kernel forwards them as one. Reads wait with
 * poll() in short slices so that {@link #close} stops a reader within a
 * quarter second; one reader thread at a time, any number of writers.
 */
public final class LinuxTun implements PacketDevice {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxTun.class);

    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;
    private static final int TUN_F_TSO6 = 0x04;
    private static final int TUN_F_TSO_ECN = 0x08;
    private static final int POLL_SLICE_MS = 250;
    private static final int HEAD = VirtioNetHdr.SIZE;

    private final String name;
    private final boolean offload;
    private final FdGuard guard;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuf;
    private final MemorySegment pollfd;
    /** A super-packet as read, before it is split. */
    private final byte[] staging;
    /** Each inbound thread (UDP, raw ESP) writes with its own merger and buffer. */
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);
    private volatile long malformed;

    private final class Writer {
        final Coalescer coalescer = new Coalescer();
        final MemorySegment buf = Arena.ofAuto().allocate(HEAD + 65_536);
        final Coalescer.Sink sink = this::write;

        void write(byte[] b, int off, int len) throws IOException {
            MemorySegment.copy(b, off, buf, JAVA_BYTE, 0, len);
            if (Libc.write(guard.fd(), buf, len) < 0) {
                throw new OsException("write " + name, Libc.errno());
            }
        }
    }

    private LinuxTun(String name, int fd, boolean offload) {
        this.name = name;
        this.offload = offload;
        this.guard = new FdGuard(fd);
        this.readBuf = arena.allocate(HEAD + 65_536);
        this.pollfd = arena.allocate(8);
        this.staging = new byte[HEAD + 65_536];
    }

    /**
     * Creates (or attaches to) the TUN device {@code name}; needs CAP_NET_ADMIN.
     *
     * @param offload ask the kernel for segmentation and checksum offloads;
     *                without them (or if the kernel refuses) one packet per call
     */
    public static LinuxTun open(String name, boolean offload) throws IOException {
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
            ifr.set(JAVA_SHORT, 16, (short) (IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0)));
            if (Libc.ioctl(fd, TUNSETIFF, ifr) < 0) {
                int e = Libc.errno();
                Libc.close(fd);
                throw new OsException("ioctl TUNSETIFF " + name, e);
            }
            if (offload) {
                MemorySegment size = a.allocate(JAVA_INT);
                size.set(JAVA_INT, 0, HEAD);
                // TUNSETOFFLOAD takes its flags by value, where the pointer would go
                if (Libc.ioctl(fd, TUNSETVNETHDRSZ, size) < 0
                        || Libc.ioctl(fd, TUNSETOFFLOAD,
                        MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)) < 0) {
                    int e = Libc.errno();
                    Libc.close(fd);
                    LOG.warn("{}: no offloads ({}), one packet per system call", name, Libc.strerror(e));
                    return open(name, false);
                }
            }
            return new LinuxTun(name, fd, offload);
        }
    }

    public String name() {
        return name;
    }

    public boolean offload() {
        return offload;
    }

    /** Super-packets the kernel handed over that could not be split (a kernel we do not understand). */
    public long malformed() {
        return malformed;
    }

    @Override
    public int read(PacketBatch into) throws IOException {
        into.clear();
        if (!guard.enter()) {
            return -1;
        }
        try {
            while (!guard.closing()) {
                // read first, poll only when nothing waits: one system call per read when busy
                long n = Libc.read(guard.fd(), readBuf, readBuf.byteSize());
                if (n < 0) {
                    int e = Libc.errno();
                    if (e == Libc.EAGAIN) {
                        Libc.pollIn(guard.fd(), pollfd, POLL_SLICE_MS);
                        continue;
                    }
                    if (e == Libc.EINTR) {
                        continue;
                    }
                    throw new OsException("read " + name, e);
                }
                if (!offload) {
                    MemorySegment.copy(readBuf, JAVA_BYTE, 0, into.buf, 0, (int) n);
                    into.add(0, (int) n);
                    return 1;
                }
                if (n <= HEAD) {
                    malformed++;
                    continue;
                }
                MemorySegment.copy(readBuf, JAVA_BYTE, 0, staging, 0, (int) n);
                VirtioNetHdr h = VirtioNetHdr.read(staging, 0);
                if (Segmenter.split(staging, HEAD, (int) n - HEAD, h, into) < 0) {
                    malformed++;
                    into.clear();
                    continue;
                }
                return into.count();
            }
            return -1;
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(PacketBatch packets) throws IOException {
        if (!guard.enter()) {
            throw new IOException(name + " is closed");
        }
        try {
            Writer w = writers.get();
            if (offload) {
                w.coalescer.write(packets, w.sink);
                return;
            }
            for (int i = 0; i < packets.count(); i++) {
                w.write(packets.buf, packets.offset(i), packets.length(i));
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
