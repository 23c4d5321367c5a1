package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.carp.CarpLink;
import dev.tandem.loop.EventLoop;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CARP on a Linux carpdev: a raw IPv4 socket for protocol 112 bound to the
 * device and joined to 224.0.0.18 there, and an rtnetlink socket that
 * reports the device's link state. One platform reader thread per link
 * ("carp-rx-DEV") waits on both and on a wake-up eventfd, and posts what it
 * reads onto the event loop; a flood is cut off at {@link #MAX_OUTSTANDING}
 * advertisements waiting on the loop. Needs CAP_NET_RAW. Everything is
 * opened in the network namespace of the thread that calls {@link #open}.
 *
 * <p>Sent advertisements get their IP header from the kernel: TTL 255 (also
 * for a unicast carppeer), TOS low delay, DF, multicast out of the carpdev
 * and not looped back to this host.
 */
public final class LinuxCarpLink implements CarpLink {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxCarpLink.class);

    static final int IPPROTO_CARP = 112;
    /** Advertisements read but not yet handled by the loop; CARP sends about one per second and vhost. */
    static final int MAX_OUTSTANDING = 64;
    private static final int TTL = 255;
    private static final int IPTOS_LOWDELAY = 0x10;
    /** Datagrams read from one socket before the other gets its turn. */
    private static final int BURST = 64;
    /** Poll slice: the eventfd ends a wait at once, the slice is only a safety net. */
    private static final int POLL_SLICE_MS = 1000;
    private static final int BUFFER = 65_536;
    private static final long CLOSE_WAIT_MS = 2000;

    private final String device;
    private final int ifindex;
    private final IpAddress source;
    private final Receiver receiver;
    private final EventLoop loop;
    private final FdGuard raw;
    private final FdGuard netlink;
    private final Wakeup wakeup;
    private final BoundedHandOff handOff;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final Thread reader;
    /** The link state as last reported to the receiver (on the loop), or found at open. */
    private volatile boolean deliveredUp;
    /** The link state as the reader last saw it; reader thread only once it runs. */
    private boolean observedUp;
    private int sequence;
    private volatile boolean closed;

    /** Opens links on the given loop. */
    public record Factory(EventLoop loop) implements CarpLink.Factory {

        public Factory {
            Objects.requireNonNull(loop, "loop");
        }

        @Override
        public CarpLink open(String device, Receiver receiver) throws IOException {
            return LinuxCarpLink.open(loop, device, receiver);
        }
    }

    private LinuxCarpLink(String device, int ifindex, IpAddress source, EventLoop loop, Receiver receiver,
            int rawFd, int netlinkFd, Wakeup wakeup) {
        this.device = device;
        this.ifindex = ifindex;
        this.source = source;
        this.loop = loop;
        this.receiver = receiver;
        this.raw = new FdGuard(rawFd);
        this.netlink = new FdGuard(netlinkFd);
        this.wakeup = wakeup;
        this.handOff = new BoundedHandOff(loop, MAX_OUTSTANDING);
        this.reader = Thread.ofPlatform().daemon().name("carp-rx-" + device).unstarted(this::readLoop);
    }

    /** Opens the link on {@code device}; arrivals and link changes go to {@code receiver} on {@code loop}. */
    public static LinuxCarpLink open(EventLoop loop, String device, Receiver receiver) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(receiver, "receiver");
        byte[] name = NetDevice.cName(device);
        int rawFd = -1;
        int netlinkFd = -1;
        Wakeup wakeup = null;
        try {
            rawFd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, IPPROTO_CARP);
            if (rawFd < 0) {
                throw new OsException("socket(AF_INET, SOCK_RAW, 112)", Libc.errno());
            }
            int ifindex = NetDevice.index(rawFd, device);
            IpAddress source = NetDevice.ipv4(rawFd, device);
            configure(rawFd, device, name, ifindex, source);
            netlinkFd = linkMonitor();
            wakeup = new Wakeup();
            LinuxCarpLink link = new LinuxCarpLink(device, ifindex, source, loop, receiver, rawFd, netlinkFd, wakeup);
            link.readInitialState();
            link.reader.start();
            LOG.debug("CARP link on {} (index {}, source {}, {})", device, ifindex, source,
                    link.deliveredUp ? "up" : "down");
            return link;
        } catch (IOException | RuntimeException e) {
            if (rawFd >= 0) {
                Libc.close(rawFd);
            }
            if (netlinkFd >= 0) {
                Libc.close(netlinkFd);
            }
            if (wakeup != null) {
                wakeup.close();
            }
            throw e;
        }
    }

    private static void configure(int fd, String device, byte[] name, int ifindex, IpAddress source)
            throws IOException {
        try (Arena a = Arena.ofConfined()) {
            // only this device's traffic in, and unicast to a carppeer out of this device
            MemorySegment dev = a.allocate(name.length);
            MemorySegment.copy(name, 0, dev, JAVA_BYTE, 0, name.length);
            check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, dev), "SO_BINDTODEVICE " + device);
            // struct ip_mreqn {group, local address (any), ifindex}: by index, so no multicast route is needed
            MemorySegment mreqn = a.allocate(12, 4);
            MemorySegment.copy(GROUP.octets(), 0, mreqn, JAVA_BYTE, 0, 4);
            mreqn.set(JAVA_INT, 8, ifindex);
            check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, mreqn),
                    "IP_ADD_MEMBERSHIP 224.0.0.18 on " + device);
            // the source of advertisements stays the device's own address once a VIP is on it too:
            // strict authentication covers it, and peers break ties by it
            if (source != null) {
                MemorySegment.copy(source.octets(), 0, mreqn, JAVA_BYTE, 4, 4);
            }
            check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, mreqn), "IP_MULTICAST_IF " + device);
        }
        check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, TTL), "IP_MULTICAST_TTL");
        check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_TTL, TTL), "IP_TTL");
        check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, 0), "IP_MULTICAST_LOOP");
        check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, IPTOS_LOWDELAY), "IP_TOS");
        check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MTU_DISCOVER, Libc.IP_PMTUDISC_DO), "IP_MTU_DISCOVER");
    }

    private static void check(int result, String what) throws OsException {
        if (result < 0) {
            throw new OsException("setsockopt " + what, Libc.errno());
        }
    }

    /** An rtnetlink socket subscribed to link notifications. */
    private static int linkMonitor() throws IOException {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
                Libc.NETLINK_ROUTE);
        if (fd < 0) {
            throw new OsException("socket(AF_NETLINK, NETLINK_ROUTE)", Libc.errno());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment nl = sockaddrNl(a, LinkMessage.RTMGRP_LINK);
            if (Libc.bind(fd, nl, (int) nl.byteSize()) < 0) {
                int e = Libc.errno();
                Libc.close(fd);
                throw new OsException("bind rtnetlink to RTMGRP_LINK", e);
            }
        }
        return fd;
    }

    /** struct sockaddr_nl {family, pad, pid 0 (the kernel), groups}. */
    private static MemorySegment sockaddrNl(Arena a, int groups) {
        MemorySegment nl = a.allocate(12, 4);
        nl.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        nl.set(JAVA_INT, 8, groups);
        return nl;
    }

    /** Asks for the device's state and waits for the answer, before the reader thread exists. */
    private void readInitialState() throws IOException {
        int asked = requestLinkState();
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(BUFFER);
            MemorySegment pollfd = a.allocate(8, 4);
            while (true) {
                long n = Libc.recvfrom(netlink.fd(), buf, BUFFER, Libc.MSG_DONTWAIT, MemorySegment.NULL,
                        MemorySegment.NULL);
                if (n < 0) {
                    int e = Libc.errno();
                    if (e != Libc.EAGAIN && e != Libc.EINTR) {
                        throw new OsException("recv rtnetlink", e);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("no answer from the kernel about the state of " + device);
                    }
                    Libc.pollIn(netlink.fd(), pollfd, POLL_SLICE_MS);
                    continue;
                }
                List<LinkMessage> messages;
                try {
                    messages = LinkMessage.decode(buf.asSlice(0, n).toArray(JAVA_BYTE), (int) n);
                } catch (MalformedPacket e) {
                    throw new IOException("rtnetlink answer about " + device + ": " + e.getMessage(), e);
                }
                for (LinkMessage m : messages) {
                    if (m.type() == LinkMessage.NLMSG_ERROR && m.sequence() == asked && m.error() != 0) {
                        throw new OsException("RTM_GETLINK " + device, -m.error());
                    }
                    if (m.ifindex() == ifindex) {
                        observedUp = m.up();
                        deliveredUp = observedUp;
                        if (m.sequence() == asked) {
                            return;
                        }
                    }
                }
            }
        }
    }

    private int requestLinkState() throws OsException {
        int seq = ++sequence;
        byte[] req = LinkMessage.request(ifindex, seq);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(req.length);
            MemorySegment.copy(req, 0, b, JAVA_BYTE, 0, req.length);
            MemorySegment kernel = sockaddrNl(a, 0);
            if (Libc.sendto(netlink.fd(), b, req.length, 0, kernel, (int) kernel.byteSize()) < 0) {
                throw new OsException("send RTM_GETLINK " + device, Libc.errno());
            }
        }
        return seq;
    }

    private void readLoop() {
        if (!raw.enter()) {
            return;
        }
        if (!netlink.enter()) {
            raw.exit();
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(BUFFER);
            MemorySegment pollfds = a.allocate(24, 4);
            int[] fds = {raw.fd(), netlink.fd(), wakeup.fd()};
            while (!closed) {
                for (int i = 0; i < fds.length; i++) {
                    pollfds.set(JAVA_INT, i * 8L, fds[i]);
                    pollfds.set(JAVA_SHORT, i * 8L + 4, (short) Libc.POLLIN);
                    pollfds.set(JAVA_SHORT, i * 8L + 6, (short) 0);
                }
                if (Libc.poll(pollfds, fds.length, POLL_SLICE_MS) < 0) {
                    LOG.error("CARP link {}: poll failed: {}", device, Libc.strerror(Libc.errno()));
                    return;
                }
                if (pollfds.get(JAVA_SHORT, 16 + 6) != 0) {
                    return;
                }
                if (pollfds.get(JAVA_SHORT, 6) != 0 && !readAdvertisements(buf)) {
                    return;
                }
                if (pollfds.get(JAVA_SHORT, 8 + 6) != 0 && !readLinkMessages(buf)) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("CARP link {}: reader stopped", device, e);
        } finally {
            netlink.exit();
            raw.exit();
        }
    }

    /** Reads what is waiting on the raw socket; false when the socket is unusable. */
    private boolean readAdvertisements(MemorySegment buf) {
        for (int i = 0; i < BURST && !closed; i++) {
            long n = Libc.recvfrom(raw.fd(), buf, BUFFER, Libc.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
            if (n < 0) {
                int e = Libc.errno();
                if (e == Libc.EAGAIN || e == Libc.EINTR) {
                    return true;
                }
                if (e == Libc.EBADF || e == Libc.EFAULT || e == Libc.EINVAL || e == Libc.ENOTSOCK) {
                    LOG.error("CARP link {}: raw socket unusable: {}", device, Libc.strerror(e));
                    return false;
                }
                // a pending socket error (an ICMP report) concerns no datagram; it is cleared by reading it
                receiveErrors.incrementAndGet();
                LOG.debug("CARP link {}: receive error {}", device, Libc.strerror(e));
                continue;
            }
            Ipv4Datagram d;
            try {
                d = Ipv4Datagram.decode(buf.asSlice(0, n).toArray(JAVA_BYTE), (int) n);
            } catch (MalformedPacket e) {
                malformed.incrementAndGet();
                LOG.debug("CARP link {}: dropped: {}", device, e.getMessage());
                continue;
            }
            received.incrementAndGet();
            handOff.offer(() -> {
                if (!closed) {
                    receiver.received(d.source(), d.destination(), d.ttl(), d.payload());
                }
            });
        }
        return true;
    }

    /** Reads link notifications and posts state changes; false when the socket is unusable. */
    private boolean readLinkMessages(MemorySegment buf) {
        for (int i = 0; i < BURST && !closed; i++) {
            long n = Libc.recvfrom(netlink.fd(), buf, BUFFER, Libc.MSG_DONTWAIT, MemorySegment.NULL,
                    MemorySegment.NULL);
            if (n < 0) {
                int e = Libc.errno();
                if (e == Libc.EAGAIN || e == Libc.EINTR) {
                    return true;
                }
                if (e == Libc.ENOBUFS) {
                    // notifications were lost: ask for the state instead of trusting the last one seen
                    LOG.debug("CARP link {}: rtnetlink overrun, asking for the link state again", device);
                    try {
                        requestLinkState();
                    } catch (OsException ex) {
                        LOG.warn("CARP link {}: {}", device, ex.getMessage());
                    }
                    continue;
                }
                LOG.error("CARP link {}: rtnetlink socket unusable: {}", device, Libc.strerror(e));
                return false;
            }
            List<LinkMessage> messages;
            try {
                messages = LinkMessage.decode(buf.asSlice(0, n).toArray(JAVA_BYTE), (int) n);
            } catch (MalformedPacket e) {
                LOG.warn("CARP link {}: bad rtnetlink message: {}", device, e.getMessage());
                continue;
            }
            for (LinkMessage m : messages) {
                if (m.ifindex() == ifindex) {
                    observe(m.up());
                }
            }
        }
        return true;
    }

    private void observe(boolean up) {
        if (up == observedUp) {
            return;
        }
        observedUp = up;
        LOG.debug("CARP link {}: link {}", device, up ? "up" : "down");
        // never dropped: changes are rare and alternate, so they cannot pile up without bound
        try {
            loop.execute(() -> {
                if (!closed && up != deliveredUp) {
                    deliveredUp = up;
                    receiver.linkChanged(up);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("CARP link {}: loop refused a link change", device);
        }
    }

    @Override
    public String device() {
        return device;
    }

    /** The carpdev's primary IPv4 address when the link was opened (the source the kernel picks for ads). */
    @Override
    public IpAddress source() {
        return source;
    }

    /** The state as last reported through {@link Receiver#linkChanged}, or as found at open. */
    @Override
    public boolean linkUp() {
        return deliveredUp;
    }

    @Override
    public void send(IpAddress destination, byte[] packet) throws IOException {
        if (destination.family() != IpAddress.Family.INET) {
            throw new IOException("CARP over IPv6 is not supported: " + destination);
        }
        if (!raw.enter()) {
            throw new IOException("CARP link on " + device + " is closed");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment to = a.allocate(SockAddr.IN_SIZE, 4);
            SockAddr.write(to, Libc.AF_INET, destination, 0);
            MemorySegment b = a.allocate(Math.max(1, packet.length));
            MemorySegment.copy(packet, 0, b, JAVA_BYTE, 0, packet.length);
            if (Libc.sendto(raw.fd(), b, packet.length, Libc.MSG_DONTWAIT, to, SockAddr.IN_SIZE) < 0) {
                throw new OsException("sendto " + destination + " on " + device, Libc.errno());
            }
        } finally {
            raw.exit();
        }
    }

    /** Datagrams read (and handed to the loop unless the loop was too far behind). */
    public long received() {
        return received.get();
    }

    /** Datagrams dropped because {@link #MAX_OUTSTANDING} were already waiting on the loop. */
    public long overflowed() {
        return handOff.dropped();
    }

    /** Datagrams whose IPv4 header did not hold together. */
    public long malformed() {
        return malformed.get();
    }

    /** Receive errors the socket reported between datagrams. */
    public long receiveErrors() {
        return receiveErrors.get();
    }

    Thread readerThread() {
        return reader;
    }

    /** Stops the reader (at once, through the eventfd), then closes the sockets. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        wakeup.wake();
        if (Thread.currentThread() != reader) {
            try {
                reader.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        raw.close();
        netlink.close();
        if (!reader.isAlive()) {
            wakeup.close();
        }
    }

    @Override
    public String toString() {
        return "LinuxCarpLink[" + device + "]";
    }
}
