package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tandem.carp.AddressManager;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual addresses on Linux: {@code ip addr add/del} and gratuitous ARP
 * through an AF_PACKET socket, done in order on one platform worker thread
 * ("carp-addresses") so callers never wait. Adding what is there or removing
 * what is absent succeeds (the goal state holds); every other failure is
 * logged and counted. Works in the network namespace of the thread that
 * constructs it (the worker and the {@code ip} it runs inherit it).
 *
 * <p>IPv6 addresses are added with {@code nodad}: duplicate address detection
 * would leave a taken-over address unusable for a second, or mark it failed
 * while the old master still answers. IPv6 announcements (unsolicited
 * neighbour advertisements) are not sent; that is logged once.
 */
public final class LinuxAddressManager implements AddressManager, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxAddressManager.class);

    private static final long CLOSE_WAIT_MS = 15_000;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private sealed interface Operation permits Add, Remove, Announce, Flush, Stop { }

    private record Add(String device, IpAddress address, int prefix) implements Operation { }

    private record Remove(String device, IpAddress address, int prefix) implements Operation { }

    private record Announce(String device, IpAddress address) implements Operation { }

    private record Flush(CompletableFuture<Void> done) implements Operation { }

    private record Stop() implements Operation { }

    private final BlockingQueue<Operation> queue = new LinkedBlockingQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong announcements = new AtomicLong();
    private final AtomicBoolean ipv6AnnounceLogged = new AtomicBoolean();
    private final Thread worker;
    private volatile boolean closed;

    /** Starts the worker in the calling thread's network namespace. */
    public LinuxAddressManager() {
        worker = Thread.ofPlatform().daemon().name("carp-addresses").start(this::work);
    }

    @Override
    public void add(String device, InterfaceAddress vip) {
        add(device, vip.address(), vip.prefix());
    }

    /** Adds {@code address/prefix} to {@code device}: a VIP inside the device's subnet keeps its host bits. */
    public void add(String device, IpAddress address, int prefix) {
        submit(new Add(Objects.requireNonNull(device), checked(address, prefix), prefix));
    }

    @Override
    public void remove(String device, InterfaceAddress vip) {
        remove(device, vip.address(), vip.prefix());
    }

    public void remove(String device, IpAddress address, int prefix) {
        submit(new Remove(Objects.requireNonNull(device), checked(address, prefix), prefix));
    }

    @Override
    public void announce(String device, IpAddress vip) {
        submit(new Announce(Objects.requireNonNull(device), Objects.requireNonNull(vip)));
    }

    /** Completes once everything queued before it has been done (or has failed). */
    @Override
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (!closed) {
                queue.add(new Flush(done));
                return done;
            }
        }
        done.completeExceptionally(new IOException("address manager is closed"));
        return done;
    }

    /** Operations that failed (each also logged). */
    public long failures() {
        return failures.get();
    }

    /** Gratuitous ARPs sent. */
    public long announcements() {
        return announcements.get();
    }

    private static IpAddress checked(IpAddress address, int prefix) {
        Objects.requireNonNull(address, "address");
        if (prefix < 0 || prefix > address.bits()) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range for " + address);
        }
        return address;
    }

    private void submit(Operation op) {
        synchronized (this) {
            if (!closed) {
                queue.add(op);
                return;
            }
        }
        failures.incrementAndGet();
        LOG.warn("address manager is closed, not done: {}", op);
    }

    private void work() {
        while (true) {
            Operation op;
            try {
                op = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (op) {
                    case Add a -> add(a);
                    case Remove r -> remove(r);
                    case Announce a -> announce(a);
                    case Flush f -> f.done().complete(null);
                    case Stop s -> {
                        return;
                    }
                }
            } catch (IOException e) {
                failures.incrementAndGet();
                LOG.warn("{}", e.getMessage());
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("{} failed", op, e);
            }
        }
    }

    private void add(Add a) throws IOException {
        String cidr = a.address() + "/" + a.prefix();
        long start = System.nanoTime();
        IpCommand.Result r = a.address().family() == IpAddress.Family.INET6
                ? IpCommand.call("addr", "add", cidr, "dev", a.device(), "nodad")
                : IpCommand.call("addr", "add", cidr, "dev", a.device());
        // the kernel's words for "already there" differ between versions, so look instead of parsing them
        if (!r.ok() && !present(a.device(), cidr)) {
            throw new IOException("ip addr add " + cidr + " dev " + a.device() + ": " + r.output());
        }
        LOG.debug("{} on {} ({} µs)", cidr, a.device(), (System.nanoTime() - start) / 1000);
    }

    private void remove(Remove r) throws IOException {
        String cidr = r.address() + "/" + r.prefix();
        IpCommand.Result res = IpCommand.call("addr", "del", cidr, "dev", r.device());
        if (!res.ok() && present(r.device(), cidr)) {
            throw new IOException("ip addr del " + cidr + " dev " + r.device() + ": " + res.output());
        }
        LOG.debug("{} off {}", cidr, r.device());
    }

    /** Whether {@code ip} lists {@code cidr} on {@code device} (false also when the device is gone). */
    private static boolean present(String device, String cidr) throws IOException {
        IpCommand.Result r = IpCommand.call("-o", "addr", "show", "dev", device);
        if (!r.ok()) {
            return false;
        }
        for (String line : r.output().split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if ((words[i].equals("inet") || words[i].equals("inet6")) && words[i + 1].equals(cidr)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One gratuitous ARP from the device's own MAC, broadcast. The socket has
     * protocol 0: it only sends (the ethertype comes with the destination), so
     * no ARP traffic queues up on it.
     */
    private void announce(Announce a) throws IOException {
        if (a.address().family() != IpAddress.Family.INET) {
            if (ipv6AnnounceLogged.compareAndSet(false, true)) {
                LOG.debug("IPv6 addresses are not announced (no unsolicited neighbour advertisement): {}",
                        a.address());
            }
            return;
        }
        int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new OsException("socket(AF_PACKET, SOCK_DGRAM)", Libc.errno());
        }
        try (Arena arena = Arena.ofConfined()) {
            int ifindex = NetDevice.index(fd, a.device());
            byte[] mac = NetDevice.ethernetAddress(fd, a.device());
            byte[] arp = ArpPacket.announcement(mac, a.address()).encode();
            MemorySegment buf = arena.allocate(arp.length);
            MemorySegment.copy(arp, 0, buf, JAVA_BYTE, 0, arp.length);
            MemorySegment to = sockaddrLl(arena, ifindex, ArpPacket.ETH_P_ARP, BROADCAST);
            if (Libc.sendto(fd, buf, arp.length, 0, to, (int) to.byteSize()) < 0) {
                throw new OsException("gratuitous ARP for " + a.address() + " on " + a.device(), Libc.errno());
            }
            announcements.incrementAndGet();
            LOG.debug("announced {} on {}", a.address(), a.device());
        } finally {
            Libc.close(fd);
        }
    }

    /** struct sockaddr_ll {family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]}. */
    private static MemorySegment sockaddrLl(Arena a, int ifindex, int ethertype, byte[] destination) {
        MemorySegment s = a.allocate(20, 4);
        s.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
        s.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) ethertype);
        s.set(JAVA_INT, 4, ifindex);
        s.set(JAVA_BYTE, 11, (byte) destination.length);
        MemorySegment.copy(destination, 0, s, JAVA_BYTE, 12, destination.length);
        return s;
    }

    /**
     * Lets the queued operations finish (at most 15 s), then stops the worker.
     * Operations submitted afterwards are counted as failures.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Stop());
        }
        try {
            worker.join(Duration.ofMillis(CLOSE_WAIT_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("address manager still busy after {} ms; leaving it", CLOSE_WAIT_MS);
            worker.interrupt();
        }
    }
}
