package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.tandem.carp.CarpLink;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A station on a lab segment that is not a CARP node: it puts arbitrary
 * protocol 112 packets on the wire with any TTL (as a forger or a router
 * would) and captures advertisements to replay them.
 */
public final class CarpInjector {

    private CarpInjector() {
    }

    /** Sends {@code payload} to the CARP group out of {@code dev} in namespace {@code ns} with multicast TTL {@code ttl}. */
    public static void send(String ns, String dev, int ttl, byte[] payload) throws Exception {
        Netns.call(ns, () -> {
            sendHere(dev, ttl, payload);
            return null;
        });
    }

    /** {@link #send} from the caller's own namespace. */
    static void sendHere(String dev, int ttl, byte[] payload) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, LinuxCarpLink.IPPROTO_CARP);
        if (fd < 0) {
            throw new OsException("socket(AF_INET, SOCK_RAW, 112)", Libc.errno());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mreqn = a.allocate(12, 4);
            mreqn.set(JAVA_INT, 8, NetDevice.index(fd, dev));
            check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, mreqn), "IP_MULTICAST_IF");
            check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, ttl), "IP_MULTICAST_TTL");
            MemorySegment to = a.allocate(16, 4);
            SockAddr.write(to, Libc.AF_INET, CarpLink.GROUP, 0);
            MemorySegment buf = a.allocate(payload.length);
            MemorySegment.copy(payload, 0, buf, JAVA_BYTE, 0, payload.length);
            if (Libc.sendto(fd, buf, payload.length, 0, to, 16) < 0) {
                throw new OsException("sendto", Libc.errno());
            }
        } finally {
            Libc.close(fd);
        }
    }

    private static void check(int r, String what) throws OsException {
        if (r < 0) {
            throw new OsException("setsockopt " + what, Libc.errno());
        }
    }

    /** A captured advertisement and the address it came from. */
    public record Captured(IpAddress source, byte[] packet) { }

    /** Waits for the next protocol 112 packet arriving on {@code dev} in namespace {@code ns}. */
    public static Captured capture(String ns, String dev, Duration timeout) throws Exception {
        CompletableFuture<Captured> first = new CompletableFuture<>();
        try (ThreadEventLoop loop = new ThreadEventLoop("capture-" + ns);
             CarpLink link = Netns.call(ns, () -> LinuxCarpLink.open(loop, dev, new CarpLink.Receiver() {
                 @Override
                 public void received(IpAddress source, IpAddress destination, int ttl, byte[] packet) {
                     first.complete(new Captured(source, packet));
                 }

                 @Override
                 public void linkChanged(boolean up) {
                 }
             }))) {
            return first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
