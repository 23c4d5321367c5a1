package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.dataplane.EspPort;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * IP protocol 50 (ESP) through a raw IPv4 socket: the kernel here has no ESP,
 * so every ESP packet addressed to this host reaches this socket (with its IP
 * header, which {@link #receive} strips) and outgoing ESP gets its IP header
 * from the kernel. Needs CAP_NET_RAW. One thread receives at a time; any
 * number send.
 */
public final class LinuxRawEsp implements EspPort {

    private static final int IPPROTO_ESP = 50;
    private static final int POLL_SLICE_MS = 250;
    private static final ValueLayout.OfInt JAVA_INT_BE =
            JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN).withByteAlignment(1);

    private final FdGuard guard;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment recvBuf;
    private final MemorySegment from;
    private final MemorySegment fromLen;
    private final MemorySegment pollfd;
    private final ThreadLocal<Sender> senders = ThreadLocal.withInitial(Sender::new);
    /** The last sender, reused while it does not change (one gateway sends most packets). */
    private IpAddress lastPeer;
    private int lastPeerBits;

    private LinuxRawEsp(int fd) {
        this.guard = new FdGuard(fd);
        this.recvBuf = arena.allocate(65_536);
        this.from = arena.allocate(16);
        this.fromLen = arena.allocate(4);
        this.pollfd = arena.allocate(8);
    }

    /**
     * A sending thread's message header (packet buffer, destination, control
     * buffer with the source address), reused for every packet: nothing is
     * allocated per packet, and destination and source are re-encoded only
     * when they change.
     */
    private static final class Sender {
        final MsgHdr msg = new MsgHdr(65_536, MsgHdr.SOURCE_AND_SEGMENT_BYTES);
        final SockAddr to = new SockAddr();
        final SourceControl sourceControl = new SourceControl();

        long source(IpAddress src) {
            return sourceControl.put(msg, src);
        }
    }

    /** Opens the socket, bound to {@code local} when given (so replies leave from that address). */
    public static LinuxRawEsp open(IpAddress local) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, IPPROTO_ESP);
        if (fd < 0) {
            throw new OsException("socket(AF_INET, SOCK_RAW, IPPROTO_ESP)", Libc.errno());
        }
        if (local != null) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment sin = sockaddrIn(a.allocate(16), local);
                if (Libc.bind(fd, sin, 16) < 0) {
                    int e = Libc.errno();
                    Libc.close(fd);
                    throw new OsException("bind raw ESP socket to " + local, e);
                }
            }
        }
        return new LinuxRawEsp(fd);
    }

    private static MemorySegment sockaddrIn(MemorySegment s, IpAddress a) {
        if (a.family() != IpAddress.Family.INET) {
            throw new IllegalArgumentException("raw ESP is IPv4 only for now: " + a);
        }
        s.fill((byte) 0);
        s.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
        MemorySegment.copy(a.octets(), 0, s, JAVA_BYTE, 4, 4);
        return s;
    }

    /**
     * One datagram per call: raw sockets have no GRO. Reads first and polls
     * only when nothing is waiting, so a busy socket costs one system call
     * per packet.
     */
    @Override
    public int receive(DatagramBatch d) throws IOException {
        PacketBatch b = d.packets;
        b.clear();
        if (!guard.enter()) {
            return -1;
        }
        try {
            while (!guard.closing()) {
                fromLen.set(JAVA_INT, 0, 16);
                long n = Libc.recvfrom(guard.fd(), recvBuf, recvBuf.byteSize(), Libc.MSG_DONTWAIT, from, fromLen);
                if (n < 0) {
                    int e = Libc.errno();
                    if (e == Libc.EAGAIN) {
                        Libc.pollIn(guard.fd(), pollfd, POLL_SLICE_MS);
                        continue;
                    }
                    if (e == Libc.EINTR) {
                        continue;
                    }
                    throw new OsException("recvfrom raw ESP", e);
                }
                int ihl = (recvBuf.get(JAVA_BYTE, 0) & 0x0f) * 4;
                if (ihl < 20 || n < ihl) {
                    continue;
                }
                int len = (int) Math.min(n - ihl, b.buf.length);
                MemorySegment.copy(recvBuf, JAVA_BYTE, ihl, b.buf, 0, len);
                b.add(0, len);
                int src = from.get(JAVA_INT_BE, 4);
                if (lastPeer == null || src != lastPeerBits) {
                    byte[] a = new byte[4];
                    MemorySegment.copy(from, JAVA_BYTE, 4, a, 0, 4);
                    lastPeer = new IpAddress(a);
                    lastPeerBits = src;
                }
                d.peer = lastPeer;
                d.peerPort = 0;
                return 1;
            }
            return -1;
        } finally {
            guard.exit();
        }
    }

    /**
     * One sendmsg per packet, from {@code src} through IP_PKTINFO (null: the
     * kernel's choice, the interface's primary address). A source this host
     * does not hold fails with ENETUNREACH: see {@link EspPort#send}.
     */
    @Override
    public void send(IpAddress src, IpAddress dst, int port, PacketBatch batch) throws IOException {
        if (dst.family() != IpAddress.Family.INET || src != null && src.family() != IpAddress.Family.INET) {
            throw new IOException("raw ESP is IPv4 only for now: " + src + " to " + dst);
        }
        if (!guard.enter()) {
            throw new IOException("raw ESP socket is closed");
        }
        try {
            Sender s = senders.get();
            MsgHdr m = s.msg;
            int nameLen = s.to.target(m.name, Libc.AF_INET, dst, 0);
            long control = s.source(src);
            for (int i = 0; i < batch.count(); i++) {
                int len = batch.length(i);
                MemorySegment.copy(batch.buf, batch.offset(i), m.data, JAVA_BYTE, 0, len);
                m.prepareSend(nameLen, len, control);
                while (Libc.sendmsg(guard.fd(), m.hdr, 0) < 0) {
                    int e = Libc.errno();
                    if (e != Libc.EINTR) {
                        throw new OsException("sendmsg from " + src + " to " + dst, e);
                    }
                }
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
