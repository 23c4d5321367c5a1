package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.carp.CarpAdvertisement;
import dev.tandem.carp.CarpLink;
import dev.tandem.lab.Lab;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.net.IpAddress;
import dev.tandem.testing.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Linux CARP link between two namespaces joined by a veth pair: what
 * leaves one side arrives on the other with the header fields CARP checks,
 * the link state follows the device and its carrier, and closing stops the
 * reader at once.
 */
@Tag("netns")
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CarpLinkLabTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private VethLab lab;
    private ThreadEventLoop loop;
    private final List<LinuxCarpLink> links = new ArrayList<>();

    /** What a link reported, with whether it was reported on the loop. */
    record Arrival(IpAddress source, IpAddress destination, int ttl, byte[] packet, boolean onLoop) { }

    final class Recorder implements CarpLink.Receiver {
        final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> linkChanges = new LinkedBlockingQueue<>();
        volatile boolean offLoop;

        @Override
        public void received(IpAddress source, IpAddress destination, int ttl, byte[] packet) {
            arrivals.add(new Arrival(source, destination, ttl, packet, loop.inLoop()));
        }

        @Override
        public void linkChanged(boolean up) {
            offLoop |= !loop.inLoop();
            linkChanges.add(up);
        }

        Arrival next() throws InterruptedException {
            Arrival a = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(a).as("an advertisement within " + WAIT).isNotNull();
            return a;
        }

        boolean nextLinkChange() throws InterruptedException {
            Boolean up = linkChanges.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(up).as("a link change within " + WAIT).isNotNull();
            assertThat(offLoop).as("link changes reported on the loop").isFalse();
            return up;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Needs.need(Lab.root(), "CARP link lab needs root for network namespaces and raw sockets");
        lab = VethLab.create();
        loop = new ThreadEventLoop("carp-test-loop");
    }

    @AfterEach
    void tearDown() {
        links.forEach(LinuxCarpLink::close);
        if (loop != null) {
            loop.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private LinuxCarpLink open(String ns, String dev, Recorder r) throws Exception {
        CarpLink.Factory factory = new LinuxCarpLink.Factory(loop);
        LinuxCarpLink link = (LinuxCarpLink) Netns.call(ns, () -> factory.open(dev, r));
        links.add(link);
        return link;
    }

    private static byte[] advertisement(int vhid, long counter) {
        byte[] md = new byte[CarpAdvertisement.MD_LENGTH];
        for (int i = 0; i < md.length; i++) {
            md[i] = (byte) (vhid * 7 + i);
        }
        return new CarpAdvertisement(vhid, 100, 0, 1, counter, md).encode();
    }

    @Test
    void multicastAdvertisementArrivesWithTtl255FromTheCarpdevsAddress() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        LinuxCarpLink a = open(lab.a, VethLab.DEV_A, ra);
        open(lab.b, VethLab.DEV_B, rb);
        assertThat(a.source()).isEqualTo(VethLab.ADDR_A);
        assertThat(a.device()).isEqualTo(VethLab.DEV_A);

        byte[] ad = advertisement(42, 0x0102030405060708L);
        a.send(CarpLink.GROUP, ad);

        Arrival got = rb.next();
        assertThat(got.source()).isEqualTo(VethLab.ADDR_A);
        assertThat(got.destination()).isEqualTo(CarpLink.GROUP);
        assertThat(got.ttl()).isEqualTo(255);
        assertThat(got.packet()).isEqualTo(ad);
        assertThat(got.onLoop()).as("delivered on the loop").isTrue();
    }

    @Test
    void unicastAdvertisementToACarppeerArrivesWithTtl255() throws Exception {
        Recorder rb = new Recorder();
        LinuxCarpLink a = open(lab.a, VethLab.DEV_A, new Recorder());
        LinuxCarpLink b = open(lab.b, VethLab.DEV_B, rb);
        assertThat(b.source()).isEqualTo(VethLab.ADDR_B);

        byte[] ad = advertisement(7, 99);
        a.send(VethLab.ADDR_B, ad);

        Arrival got = rb.next();
        assertThat(got.source()).isEqualTo(VethLab.ADDR_A);
        assertThat(got.destination()).isEqualTo(VethLab.ADDR_B);
        assertThat(got.ttl()).isEqualTo(255);
        assertThat(got.packet()).isEqualTo(ad);
    }

    @Test
    void ipHeaderCarriesLowDelayTosAndDontFragment() throws Exception {
        LinuxCarpLink a = open(lab.a, VethLab.DEV_A, new Recorder());
        VethLab.Watched dump = lab.spawn(lab.b, "tcpdump", "-l", "-n", "-v", "-i", VethLab.DEV_B, "ip proto 112");
        dump.await(l -> l.contains("listening on"), WAIT);

        a.send(CarpLink.GROUP, advertisement(3, 1));

        String header = dump.await(l -> l.contains("proto VRRP (112)"), WAIT);
        assertThat(header).contains("tos 0x10").contains("ttl 255").contains("flags [DF]").contains("length 56");
    }

    @Test
    void advertisementsArriveInOrderAndQuickly() throws Exception {
        Recorder rb = new Recorder();
        long openStart = System.nanoTime();
        LinuxCarpLink a = open(lab.a, VethLab.DEV_A, new Recorder());
        long openNanos = System.nanoTime() - openStart;
        open(lab.b, VethLab.DEV_B, rb);
        int n = 50;
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            byte[] ad = advertisement(9, i);
            long start = System.nanoTime();
            a.send(CarpLink.GROUP, ad);
            assertThat(rb.next().packet()).as("advertisement " + i).isEqualTo(ad);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        java.util.Arrays.sort(micros);
        System.out.printf("CARP link: open %.1f ms; send to receiver on B's loop: median %d µs, max %d µs (%d ads)%n",
                openNanos / 1e6, micros[n / 2], micros[n - 1], n);
    }

    @Test
    void ownMulticastAdvertisementsDoNotLoopBack() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        LinuxCarpLink a = open(lab.a, VethLab.DEV_A, ra);
        LinuxCarpLink b = open(lab.b, VethLab.DEV_B, rb);

        byte[] fromB = advertisement(1, 111);
        b.send(CarpLink.GROUP, fromB);
        // once A has it, a looped copy would already be queued on B's socket, ahead of A's reply
        assertThat(ra.next().packet()).isEqualTo(fromB);
        byte[] fromA = advertisement(2, 222);
        a.send(CarpLink.GROUP, fromA);

        Arrival first = rb.next();
        assertThat(first.packet()).as("B's first arrival is A's, not its own").isEqualTo(fromA);
        assertThat(first.source()).isEqualTo(VethLab.ADDR_A);
    }

    @Test
    void ttlIsReportedAsReceived() throws Exception {
        Recorder rb = new Recorder();
        open(lab.b, VethLab.DEV_B, rb);
        byte[] ad = advertisement(5, 5);

        // a router would have decremented it: CARP must see the 1, not a TTL the link made up
        Netns.call(lab.a, () -> {
            CarpInjector.sendHere(VethLab.DEV_A, 1, ad);
            return null;
        });

        Arrival got = rb.next();
        assertThat(got.ttl()).isEqualTo(1);
        assertThat(got.packet()).isEqualTo(ad);
        assertThat(got.destination()).isEqualTo(CarpLink.GROUP);
    }

    @Test
    void linkStateFollowsTheDeviceAndTheCarrier() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        LinuxCarpLink a = open(lab.a, VethLab.DEV_A, ra);
        LinuxCarpLink b = open(lab.b, VethLab.DEV_B, rb);
        assertThat(b.linkUp()).isTrue();

        lab.ip("-n", lab.b, "link", "set", VethLab.DEV_B, "down");
        assertThat(rb.nextLinkChange()).as("device set down").isFalse();
        assertThat(b.linkUp()).isFalse();
        assertThat(ra.nextLinkChange()).as("A loses its carrier when B's end goes down").isFalse();

        lab.ip("-n", lab.b, "link", "set", VethLab.DEV_B, "up");
        assertThat(rb.nextLinkChange()).as("device set up").isTrue();
        assertThat(b.linkUp()).isTrue();
        assertThat(ra.nextLinkChange()).isTrue();

        lab.ip("-n", lab.a, "link", "set", VethLab.DEV_A, "down");
        assertThat(rb.nextLinkChange()).as("carrier lost: the peer end went down").isFalse();
        assertThat(b.linkUp()).isFalse();
        lab.ip("-n", lab.a, "link", "set", VethLab.DEV_A, "up");
        assertThat(rb.nextLinkChange()).as("carrier back").isTrue();
        assertThat(ra.nextLinkChange()).as("A set down").isFalse();
        assertThat(ra.nextLinkChange()).as("A set up").isTrue();
        assertThat(a.linkUp()).isTrue();
    }

    @Test
    void linkDownAtOpenIsReportedDownUntilItComesUp() throws Exception {
        lab.ip("-n", lab.b, "link", "set", VethLab.DEV_B, "down");
        Recorder rb = new Recorder();
        LinuxCarpLink b = open(lab.b, VethLab.DEV_B, rb);
        assertThat(b.linkUp()).isFalse();

        lab.ip("-n", lab.b, "link", "set", VethLab.DEV_B, "up");
        assertThat(rb.nextLinkChange()).isTrue();
        assertThat(b.linkUp()).isTrue();
    }

    @Test
    void closeEndsTheReaderAtOnceAndReleasesTheSockets() throws Exception {
        Set<String> before = sockets();
        LinuxCarpLink b = open(lab.b, VethLab.DEV_B, new Recorder());
        Thread reader = b.readerThread();
        assertThat(reader.isAlive()).isTrue();
        assertThat(reader.getName()).isEqualTo("carp-rx-" + VethLab.DEV_B);
        assertThat(sockets()).hasSizeGreaterThan(before.size());

        long start = System.nanoTime();
        b.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(reader.isAlive()).as("reader thread ended by close()").isFalse();
        assertThat(tookMs).as("close does not wait for a poll timeout").isLessThan(500);
        assertThat(sockets()).as("sockets and eventfd closed").isEqualTo(before);
        assertThatThrownBy(() -> b.send(CarpLink.GROUP, advertisement(1, 1))).isInstanceOf(IOException.class);
        b.close();
    }

    /** This process's open sockets and eventfds, by their /proc/self/fd link text. */
    private static Set<String> sockets() throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:") || target.contains("eventfd")) {
                        out.add(fd.getFileName() + "->" + target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return out;
    }

    @Test
    void openingAMissingDeviceFailsWithoutLeakingSockets() throws Exception {
        Set<String> before = sockets();
        assertThatThrownBy(() -> open(lab.b, "nosuch0", new Recorder()))
                .isInstanceOf(OsException.class)
                .hasMessageContaining("nosuch0");
        assertThat(sockets()).isEqualTo(before);
    }
}
