package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.dataplane.EspPort;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket of ESP-in-UDP (RFC 3948, normally port 4500, shared with
 * IKE) with Linux segmentation offload: a batch of equal-sized ESP packets
 * leaves in one sendmsg carrying UDP_SEGMENT, and with UDP_GRO one recvmsg
 * returns several datagrams of one flow. System calls, not crypto, are what
 * a packet costs most.
 *
 * <p>One address family per socket, the family of the local address (IPv4
 * when none is given); IPv6 sockets are IPV6_V6ONLY, so a peer of the other
 * family needs a second port. Without GSO or GRO in the kernel it falls back
 * to one datagram per call. Any number of threads may send and receive; each
 * has its own native buffers.
 */
public final class LinuxUdpEspPort implements EspPort {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxUdpEspPort.class);

    private static final int POLL_SLICE_MS = 250;
    /** How long a send waits for room in a full socket buffer before it counts as failed. */
    private static final long SEND_WAIT_NANOS = 100_000_000L;
    /** Any UDP payload fits (65,507 bytes over IPv4, 65,527 over IPv6), and so does a 64 KiB GRO batch. */
    private static final int DATA_BYTES = 65_536;
    /** Room for the GRO size and other control messages someone may enable (timestamps, packet info). */
    private static final int RECEIVE_CONTROL_BYTES = 256;
    /** The source address (IP_PKTINFO or IPV6_PKTINFO) and UDP_SEGMENT. */
    private static final int SEND_CONTROL_BYTES = MsgHdr.SOURCE_AND_SEGMENT_BYTES;
    /** Socket buffers for bursts of whole batches; the kernel caps them at net.core.[rw]mem_max. */
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final FdGuard guard;
    private final int family;
    private final boolean gro;
    private volatile boolean gso;
    /** Set once a GSO send went through: later failures are about a packet or route, not missing support. */
    private volatile boolean gsoWorked;
    private final AtomicBoolean gsoGivenUp = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    /** Whether received datagrams come with their destination address (IP_PKTINFO). */
    private volatile boolean destinations;
    private final ThreadLocal<Receiver> receivers = ThreadLocal.withInitial(Receiver::new);
    private final ThreadLocal<Sender> senders = ThreadLocal.withInitial(Sender::new);

    private static final class Receiver {
        final MsgHdr msg = new MsgHdr(DATA_BYTES, RECEIVE_CONTROL_BYTES);
        final SockAddr from = new SockAddr();
        final byte[] destination = new byte[4];
        final byte[] lastOctets = new byte[4];
        /** The last destination reported, reused while it repeats: nothing allocated per datagram. */
        IpAddress lastDestination;

        MsgHdr msg() {
            return msg;
        }

        SockAddr from() {
            return from;
        }

        /** ipi_addr of struct in_pktinfo (after ipi_ifindex and ipi_spec_dst): the header's destination. */
        IpAddress destination() {
            if (!msg.receivedBytes(Libc.IPPROTO_IP, Libc.IP_PKTINFO, 8, destination)) {
                return null;
            }
            if (lastDestination == null || !java.util.Arrays.equals(lastOctets, destination)) {
                lastDestination = new IpAddress(destination);
                System.arraycopy(destination, 0, lastOctets, 0, 4);
            }
            return lastDestination;
        }
    }

    private static final class Sender {
        final MsgHdr msg = new MsgHdr(DATA_BYTES, SEND_CONTROL_BYTES);
        final SockAddr to = new SockAddr();
        final SourceControl sourceControl = new SourceControl();
        int failed;
        int firstError;

        long source(IpAddress src) {
            return sourceControl.put(msg, src);
        }

        void failed(int errno, int datagrams) {
            if (failed == 0) {
                firstError = errno;
            }
            failed += datagrams;
        }
    }

    private LinuxUdpEspPort(int fd, int family, boolean gso, boolean gro) {
        this.guard = new FdGuard(fd);
        this.family = family;
        this.gso = gso;
        this.gro = gro;
        gsoGivenUp.set(!gso);
    }

    /** Binds {@code local:port} (null address: every local IPv4 address; port 0: any free port). */
    public static LinuxUdpEspPort open(IpAddress local, int port) throws IOException {
        return open(local, port, true);
    }

    /** As {@link #open(IpAddress, int)}; without {@code offload}, one datagram per system call. */
    public static LinuxUdpEspPort open(IpAddress local, int port, boolean offload) throws IOException {
        int family = local != null && local.family() == IpAddress.Family.INET6 ? Libc.AF_INET6 : Libc.AF_INET;
        int fd = Libc.socket(family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new OsException("socket(" + (family == Libc.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_DGRAM)",
                    Libc.errno());
        }
        try {
            setup(fd, family, local, port);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        // UDP_SEGMENT is readable on every kernel that accepts it as a cmsg (4.18+); older ones
        // would ignore the cmsg and send the whole run as one big datagram, so ask first
        boolean gso = offload && Libc.getsockoptInt(fd, Libc.SOL_UDP, Libc.UDP_SEGMENT) >= 0;
        if (offload && !gso) {
            LOG.warn("UDP GSO unavailable ({}): ESP-in-UDP sends one datagram per system call",
                    Libc.strerror(Libc.errno()));
        }
        boolean gro = offload && Libc.setsockopt(fd, Libc.SOL_UDP, Libc.UDP_GRO, 1) == 0;
        if (offload && !gro) {
            LOG.warn("UDP GRO unavailable ({}): ESP-in-UDP receives one datagram per system call",
                    Libc.strerror(Libc.errno()));
        }
        return new LinuxUdpEspPort(fd, family, gso, gro);
    }

    private static void setup(int fd, int family, IpAddress local, int port) throws IOException {
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1) < 0) {
            throw new OsException("setsockopt SO_REUSEADDR", Libc.errno());
        }
        if (family == Libc.AF_INET6 && Libc.setsockopt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1) < 0) {
            throw new OsException("setsockopt IPV6_V6ONLY", Libc.errno());
        }
        // best effort: a smaller buffer only means earlier drops under bursts
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SockAddr.SIZE, 8);
            int len = SockAddr.write(sa, family, local, port);
            if (Libc.bind(fd, sa, len) < 0) {
                throw new OsException("bind UDP " + (local == null ? "*" : local) + ":" + port, Libc.errno());
            }
        }
    }

    /** The bound port (useful after opening port 0). */
    public int localPort() throws IOException {
        if (!guard.enter()) {
            throw new IOException("UDP ESP socket is closed");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SockAddr.SIZE, 8);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, SockAddr.SIZE);
            if (Libc.getsockname(guard.fd(), sa, len) < 0) {
                throw new OsException("getsockname", Libc.errno());
            }
            return SockAddr.port(sa);
        } finally {
            guard.exit();
        }
    }

    /**
     * Has the kernel report each datagram's destination address (IP_PKTINFO)
     * in {@link DatagramBatch#local}: which of the host's addresses, a VIP
     * say, the sender addressed, so that an answer leaves from it. IPv4
     * sockets only.
     */
    public void reportDestinations() throws IOException {
        if (family != Libc.AF_INET) {
            throw new IOException("destination addresses are only reported on IPv4 sockets");
        }
        if (!guard.enter()) {
            throw new IOException("UDP ESP socket is closed");
        }
        try {
            if (Libc.setsockopt(guard.fd(), Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1) < 0) {
                throw new OsException("setsockopt IP_PKTINFO", Libc.errno());
            }
            destinations = true;
        } finally {
            guard.exit();
        }
    }

    /** Whether batches still leave with UDP_SEGMENT (false after the kernel refused it). */
    public boolean gsoEnabled() {
        return gso;
    }

    /** Whether the kernel coalesces received datagrams for this socket. */
    public boolean groEnabled() {
        return gro;
    }

    /** Datagrams received but dropped: truncated, or larger than the batch had room for. */
    public long droppedDatagrams() {
        return dropped.get();
    }

    /**
     * Blocks for the next datagrams from one sender and fills {@code b}
     * ({@code b.packets} is cleared first; several datagrams after a GRO
     * receive, else one). Returns how many, at least one, or -1 once closed.
     * Throws only when the socket itself is unusable, never because of what arrived.
     */
    public int receive(DatagramBatch b) throws IOException {
        b.packets.clear();
        if (!guard.enter()) {
            return -1;
        }
        try {
            Receiver r = receivers.get();
            MsgHdr m = r.msg();
            while (!guard.closing()) {
                m.prepareReceive();
                // try first, wait only when empty: a busy socket costs one system call per batch
                long n = Libc.recvmsg(guard.fd(), m.hdr, 0);
                if (n < 0) {
                    int e = Libc.errno();
                    if (e == Libc.EAGAIN) {
                        Libc.pollIn(guard.fd(), m.pollfd, POLL_SLICE_MS);
                    } else if (e == Libc.EBADF || e == Libc.EFAULT || e == Libc.EINVAL || e == Libc.ENOTSOCK) {
                        throw new OsException("recvmsg UDP", e);
                    }
                    // EINTR, or an error report (ICMP) or shortage that concerns no datagram of ours: go on
                    continue;
                }
                IpAddress peer = r.from().address(m.name, m.nameLength());
                if (peer == null) {
                    dropped.incrementAndGet();
                    continue;
                }
                int segment = gro ? m.receivedInt(Libc.SOL_UDP, Libc.UDP_GRO) : -1;
                if (segment < 0 && gro && (m.flags() & Libc.MSG_CTRUNC) != 0) {
                    // the GRO size may have been cut off: splitting would be guesswork
                    dropped.incrementAndGet();
                    continue;
                }
                boolean truncated = (m.flags() & Libc.MSG_TRUNC) != 0;
                int lost = UdpSegmentation.split(m.data, (int) n, segment, truncated, b.packets);
                if (lost > 0) {
                    dropped.addAndGet(lost);
                }
                if (b.packets.count() > 0) {
                    b.local = destinations ? r.destination() : null;
                    b.peer = peer;
                    b.peerPort = SockAddr.port(m.name);
                    return b.packets.count();
                }
            }
            return -1;
        } finally {
            guard.exit();
        }
    }

    /**
     * Sends packets 0..count-1 of {@code batch} as separate datagrams from
     * {@code src} (IP_PKTINFO; null: the kernel's choice) to {@code dst:port},
     * runs of equal size in one system call each. A source this host does not
     * hold fails every datagram (ENETUNREACH); neither IP_FREEBIND nor
     * ip_nonlocal_bind changes that, only IP_TRANSPARENT would, and it is
     * deliberately not set (see docs/design.md, "A cluster's data plane"). Every
     * packet is tried even when some fail; then the first failure is thrown,
     * saying how many datagrams it concerned. A socket buffer that stays full
     * for 100 ms, or a closed socket, stops the batch at once.
     */
    @Override
    public void send(IpAddress src, IpAddress dst, int port, PacketBatch batch) throws IOException {
        if (!guard.enter()) {
            throw new IOException("UDP ESP socket is closed");
        }
        try {
            Sender s = senders.get();
            int nameLen = target(s, dst, port);
            if (src != null && src.family() != dst.family()) {
                throw new IOException("cannot send from " + src + " to " + dst + ": different address families");
            }
            s.failed = 0;
            s.firstError = 0;
            int count = batch.count();
            for (int i = 0; i < count; ) {
                int end = gso ? UdpSegmentation.runEnd(batch, i, count) : i + 1;
                if (end - i == 1) {
                    sendOne(s, nameLen, src, batch, i);
                } else {
                    sendGso(s, nameLen, src, batch, i, end);
                }
                i = end;
            }
            if (s.failed > 0) {
                throw new OsException("sendmsg from " + src + " to " + dst + ":" + port + " (" + s.failed + " of "
                        + count + " datagrams)", s.firstError);
            }
        } finally {
            guard.exit();
        }
    }

    /** Sends one datagram (IKE messages, keepalives). */
    public void send(IpAddress dst, int port, byte[] buf, int off, int len) throws IOException {
        if (len > DATA_BYTES) {
            throw new IOException("datagram of " + len + " bytes is too large for UDP");
        }
        if (!guard.enter()) {
            throw new IOException("UDP ESP socket is closed");
        }
        try {
            Sender s = senders.get();
            int nameLen = target(s, dst, port);
            MemorySegment.copy(buf, off, s.msg.data, JAVA_BYTE, 0, len);
            s.msg.prepareSend(nameLen, len, 0);
            int e = sendmsg(s.msg);
            if (e != 0) {
                throw new OsException("sendmsg to " + dst + ":" + port, e);
            }
        } finally {
            guard.exit();
        }
    }

    private int target(Sender s, IpAddress dst, int port) throws IOException {
        int want = dst.family() == IpAddress.Family.INET ? Libc.AF_INET : Libc.AF_INET6;
        if (want != family) {
            throw new IOException("cannot send to " + dst + " from a socket of the other address family");
        }
        return s.to.target(s.msg.name, family, dst, port);
    }

    /** A run of several packets in one GSO send, or one by one if the kernel will not take it. */
    private void sendGso(Sender s, int nameLen, IpAddress src, PacketBatch batch, int from, int to) throws IOException {
        int e = sendRun(s, nameLen, src, batch, from, to, true);
        if (e == 0) {
            gsoWorked = true;
            return;
        }
        if (e != Libc.EINVAL && e != Libc.ENOPROTOOPT && e != Libc.EIO && e != Libc.EMSGSIZE) {
            s.failed(e, to - from);
            return;
        }
        // EMSGSIZE (EINVAL before 5.x kernels): a segment over the path MTU, which without GSO
        // the kernel fragments; the other errors on the first try mean no usable GSO at all
        if (!gsoWorked && e != Libc.EMSGSIZE && gsoGivenUp.compareAndSet(false, true)) {
            gso = false;
            LOG.warn("kernel refused UDP GSO ({}): ESP-in-UDP sends one datagram per system call from now on",
                    Libc.strerror(e));
        }
        for (int i = from; i < to; i++) {
            sendOne(s, nameLen, src, batch, i);
        }
    }

    private void sendOne(Sender s, int nameLen, IpAddress src, PacketBatch batch, int i) throws IOException {
        int e = sendRun(s, nameLen, src, batch, i, i + 1, false);
        if (e != 0) {
            s.failed(e, 1);
        }
    }

    /** Sends packets from..to-1 in one sendmsg; returns 0 or the errno. */
    private int sendRun(Sender s, int nameLen, IpAddress src, PacketBatch batch, int from, int to,
                        boolean segmented)
            throws IOException {
        MsgHdr m = s.msg;
        long total = 0;
        for (int i = from; i < to; i++) {
            int len = batch.length(i);
            MemorySegment.copy(batch.buf, batch.offset(i), m.data, JAVA_BYTE, total, len);
            total += len;
        }
        long control = s.source(src);
        if (segmented) {
            control += m.putShortCmsg(control, Libc.SOL_UDP, Libc.UDP_SEGMENT, batch.length(from));
        }
        m.prepareSend(nameLen, total, control);
        return sendmsg(m);
    }

    /** One sendmsg, waiting briefly for room when the socket buffer is full; 0 or the errno. */
    private int sendmsg(MsgHdr m) throws IOException {
        long deadline = 0;
        while (true) {
            if (Libc.sendmsg(guard.fd(), m.hdr, 0) >= 0) {
                return 0;
            }
            int e = Libc.errno();
            if (e == Libc.EINTR) {
                continue;
            }
            if (e != Libc.EAGAIN) {
                return e;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + SEND_WAIT_NANOS;
            }
            long left = deadline - now;
            if (guard.closing()) {
                throw new IOException("UDP ESP socket is closed");
            }
            if (left <= 0) {
                throw new OsException("sendmsg: socket buffer still full after "
                        + SEND_WAIT_NANOS / 1_000_000 + " ms", e);
            }
            Libc.pollOut(guard.fd(), m.pollfd, (int) Math.max(1, left / 1_000_000));
        }
    }

    /** Stops receivers within one poll slice and closes the socket. */
    public void close() {
        guard.close();
    }

    /** The descriptor, for tests in this package that set extra socket options. */
    int fd() {
        return guard.fd();
    }
}
