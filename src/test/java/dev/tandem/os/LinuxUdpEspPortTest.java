package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ESP-in-UDP with GSO and GRO over loopback, unprivileged: ephemeral ports on
 * 127.0.0.1 (and ::1). On loopback a GSO send reaches a GRO socket as one
 * coalesced buffer, and a socket without GRO as separate datagrams, so both
 * halves are checked against what the kernel really does.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxUdpEspPortTest {

    private static final IpAddress LOCALHOST = IpAddress.parse("127.0.0.1").orElseThrow();
    private static final IpAddress LOCALHOST6 = IpAddress.parse("::1").orElseThrow();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Random random = new Random(4500);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private LinuxUdpEspPort port(IpAddress local) throws IOException {
        LinuxUdpEspPort p = LinuxUdpEspPort.open(local, 0);
        open.add(p::close);
        return p;
    }

    private DatagramChannel channel(String address) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        DatagramChannel ch = DatagramChannel.open(a.getAddress().length == 4
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        open.add(ch);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.bind(new InetSocketAddress(a, 0));
        ch.socket().setSoTimeout(5_000);
        return ch;
    }

    private static int portOf(DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    /** Packets of these sizes with random contents, laid out one after another as the data plane does. */
    private List<byte[]> packets(int... sizes) {
        List<byte[]> list = new ArrayList<>();
        for (int size : sizes) {
            byte[] p = new byte[size];
            random.nextBytes(p);
            list.add(p);
        }
        return list;
    }

    private static PacketBatch batch(List<byte[]> packets) {
        PacketBatch b = new PacketBatch(256 * 1024);
        // a gap between packets, as after in-place encryption: the port must not assume them adjacent
        int off = 3;
        for (byte[] p : packets) {
            System.arraycopy(p, 0, b.buf, off, p.length);
            b.add(off, p.length);
            off += p.length + 5;
        }
        return b;
    }

    private static int[] sizes(int first, int count, int last) {
        int[] s = new int[count + 1];
        Arrays.fill(s, 0, count, first);
        s[count] = last;
        return s;
    }

    private static List<byte[]> receiveAll(DatagramChannel ch, int count) throws IOException {
        List<byte[]> got = new ArrayList<>();
        byte[] buf = new byte[65_536];
        for (int i = 0; i < count; i++) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            ch.socket().receive(p);
            got.add(Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()));
        }
        return got;
    }

    /** Receives until {@code count} datagrams arrived; returns them and, in {@code perReceive}, each call's count. */
    private static List<byte[]> receiveAll(LinuxUdpEspPort port, int count, List<Integer> perReceive)
            throws IOException {
        DatagramBatch b = new DatagramBatch(256 * 1024);
        List<byte[]> got = new ArrayList<>();
        while (got.size() < count) {
            int n = port.receive(b);
            assertThat(n).as("receive result").isPositive();
            assertThat(b.packets.count()).isEqualTo(n);
            perReceive.add(n);
            for (int i = 0; i < n; i++) {
                got.add(Arrays.copyOfRange(b.packets.buf, b.packets.offset(i),
                        b.packets.offset(i) + b.packets.length(i)));
            }
        }
        return got;
    }

    private static void assertSameDatagrams(List<byte[]> got, List<byte[]> sent) {
        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(got.get(i)).as("datagram %d (%d bytes sent)", i, sent.get(i).length).isEqualTo(sent.get(i));
        }
    }

    @Test
    void gsoBatchArrivesAsSeparateDatagramsAtAPlainSocket() throws IOException {
        LinuxUdpEspPort tx = port(LOCALHOST);
        DatagramChannel rx = channel("127.0.0.1");
        List<byte[]> sent = packets(sizes(1400, 10, 700));

        tx.send(LOCALHOST, LOCALHOST, portOf(rx), batch(sent));

        assertThat(tx.gsoEnabled()).as("GSO still on after the send").isTrue();
        assertSameDatagrams(receiveAll(rx, sent.size()), sent);
        // nothing more: the shorter last packet was not glued to anything
        rx.configureBlocking(false);
        assertThat(rx.receive(ByteBuffer.allocate(65_536))).isNull();
    }

    @Test
    void groReceiverSplitsTheCoalescedBatchBackIntoTheSameDatagrams() throws IOException {
        LinuxUdpEspPort tx = port(LOCALHOST);
        LinuxUdpEspPort rx = port(LOCALHOST);
        List<byte[]> sent = packets(sizes(1400, 10, 700));

        tx.send(LOCALHOST, LOCALHOST, rx.localPort(), batch(sent));

        List<Integer> perReceive = new ArrayList<>();
        assertSameDatagrams(receiveAll(rx, sent.size(), perReceive), sent);
        assertThat(rx.groEnabled()).isTrue();
        // on loopback the GSO buffer is handed to the GRO socket whole: one receive, one system call
        assertThat(perReceive).as("datagrams per receive").containsExactly(11);
        assertThat(rx.droppedDatagrams()).isZero();
    }

    @Test
    void mixedSizesBecomeTheRightDatagramsAtBothKindsOfReceiver() throws IOException {
        LinuxUdpEspPort tx = port(LOCALHOST);
        DatagramChannel plain = channel("127.0.0.1");
        LinuxUdpEspPort gro = port(LOCALHOST);
        int[] mixed = IntStream.concat(
                IntStream.of(1400, 1400, 1400, 800, 1400, 1400, 100, 100, 100, 1400, 0, 1, 60_000, 300, 1400),
                IntStream.generate(() -> 1200).limit(60)).toArray();
        int[] manySmall = IntStream.generate(() -> 60).limit(100).toArray();
        int[] growing = {100, 200, 300, 400, 400, 400, 399, 1000};
        // one GSO send reaches a GRO socket on loopback as one receive, so these are the sends:
        // a shorter packet ends a run, a longer or empty one starts a new one, and a run stops
        // at 64 segments (this kernel would take 128) or before passing 65,000 bytes (54 x 1200)
        List<List<Integer>> runs = List.of(
                List.of(4, 3, 2, 1, 1, 1, 2, 2, 54, 5),
                List.of(64, 36),
                List.of(1, 1, 1, 4, 1));
        List<int[]> batches = List.of(mixed, manySmall, growing);
        for (int k = 0; k < batches.size(); k++) {
            List<byte[]> sent = packets(batches.get(k));
            PacketBatch b = batch(sent);

            tx.send(LOCALHOST, LOCALHOST, portOf(plain), b);
            tx.send(LOCALHOST, LOCALHOST, gro.localPort(), b);

            assertSameDatagrams(receiveAll(plain, sent.size()), sent);
            List<Integer> perReceive = new ArrayList<>();
            assertSameDatagrams(receiveAll(gro, sent.size(), perReceive), sent);
            assertThat(perReceive).as("datagrams per receive, batch %d", k).isEqualTo(runs.get(k));
        }
        assertThat(tx.gsoEnabled()).isTrue();
    }

    @Test
    void batchesLeaveFromTheGivenSourceNotTheKernelsChoice() throws IOException {
        // bound to every address, as tandemd's port is: the source comes from IP_PKTINFO alone
        LinuxUdpEspPort tx = LinuxUdpEspPort.open(null, 0);
        open.add(tx::close);
        DatagramChannel plain = channel("127.0.0.1");
        LinuxUdpEspPort gro = port(LOCALHOST);
        IpAddress second = IpAddress.parse("127.0.0.2").orElseThrow();
        IpAddress third = IpAddress.parse("127.0.0.3").orElseThrow();
        List<byte[]> sent = packets(sizes(1400, 10, 700));

        // a GSO run (IP_PKTINFO and UDP_SEGMENT together), then single datagrams from another source
        tx.send(second, LOCALHOST, portOf(plain), batch(sent));
        tx.send(third, LOCALHOST, portOf(plain), batch(packets(300)));
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        for (int i = 0; i < sent.size(); i++) {
            buf.clear();
            assertThat(((InetSocketAddress) plain.receive(buf)).getAddress().getHostAddress())
                    .as("source of datagram %d", i).isEqualTo("127.0.0.2");
        }
        buf.clear();
        assertThat(((InetSocketAddress) plain.receive(buf)).getAddress().getHostAddress()).isEqualTo("127.0.0.3");

        tx.send(second, LOCALHOST, gro.localPort(), batch(sent));
        DatagramBatch b = new DatagramBatch(256 * 1024);
        assertThat(gro.receive(b)).isEqualTo(sent.size());
        assertThat(b.peer).isEqualTo(second);
        assertThat(tx.gsoEnabled()).isTrue();
    }

    @Test
    void aSourceThisHostDoesNotHoldFailsTheSendButNotGso() throws IOException {
        LinuxUdpEspPort tx = LinuxUdpEspPort.open(null, 0);
        open.add(tx::close);
        DatagramChannel rx = channel("127.0.0.1");
        IpAddress elsewhere = IpAddress.parse("192.0.2.200").orElseThrow();
        List<byte[]> sent = packets(sizes(1400, 10, 700));

        // a CARP backup without the VIP: nothing leaves, whatever ip_nonlocal_bind says
        assertThatThrownBy(() -> tx.send(elsewhere, LOCALHOST, portOf(rx), batch(sent)))
                .isInstanceOf(OsException.class).hasMessageContaining("11 of 11 datagrams")
                .extracting(e -> ((OsException) e).errno()).isEqualTo(Libc.ENETUNREACH);
        assertThat(tx.gsoEnabled()).as("a refused source says nothing about GSO").isTrue();

        tx.send(LOCALHOST, LOCALHOST, portOf(rx), batch(sent));
        assertSameDatagrams(receiveAll(rx, sent.size()), sent);
        rx.configureBlocking(false);
        assertThat(rx.receive(ByteBuffer.allocate(65_536))).as("nothing of the refused batch").isNull();
    }

    @Test
    void ipv6SourceIsAccepted() throws IOException {
        LinuxUdpEspPort tx = LinuxUdpEspPort.open(LOCALHOST6, 0);
        open.add(tx::close);
        LinuxUdpEspPort rx = port(LOCALHOST6);
        List<byte[]> sent = packets(sizes(1280, 5, 99));

        tx.send(LOCALHOST6, LOCALHOST6, rx.localPort(), batch(sent));
        List<Integer> perReceive = new ArrayList<>();
        assertSameDatagrams(receiveAll(rx, sent.size(), perReceive), sent);
        assertThatThrownBy(() -> tx.send(IpAddress.parse("2001:db8::1").orElseThrow(), LOCALHOST6,
                rx.localPort(), batch(sent))).isInstanceOf(OsException.class);
        assertThatThrownBy(() -> tx.send(LOCALHOST, LOCALHOST6, rx.localPort(), batch(sent)))
                .isInstanceOf(IOException.class).hasMessageContaining("address families");
    }

    @Test
    void singleDatagramsGoBothWays() throws IOException {
        LinuxUdpEspPort port = port(LOCALHOST);
        DatagramChannel peer = channel("127.0.0.1");
        byte[] buf = packets(600).getFirst();

        port.send(LOCALHOST, portOf(peer), buf, 3, 500);
        assertSameDatagrams(receiveAll(peer, 1), List.of(Arrays.copyOfRange(buf, 3, 503)));

        byte[] ike = packets(300).getFirst();
        peer.send(ByteBuffer.wrap(ike), new InetSocketAddress("127.0.0.1", port.localPort()));
        List<Integer> perReceive = new ArrayList<>();
        assertSameDatagrams(receiveAll(port, 1, perReceive), List.of(ike));
        assertThat(perReceive).containsExactly(1);
    }

    @Test
    void closeMakesABlockedReceiveReturnMinusOnePromptly() throws Exception {
        LinuxUdpEspPort port = port(LOCALHOST);
        CompletableFuture<Thread> started = new CompletableFuture<>();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().name("receiver").start(() -> {
            started.complete(Thread.currentThread());
            try {
                result.complete(port.receive(new DatagramBatch(65_536)));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        started.get(5, TimeUnit.SECONDS);
        awaitWaitingInPoll(receiver);

        long t0 = System.nanoTime();
        port.close();

        assertThat(result.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(System.nanoTime() - t0).as("nanoseconds to stop").isLessThan(1_000_000_000L);
        assertThat(port.receive(new DatagramBatch(100))).isEqualTo(-1);
        assertThatThrownBy(() -> port.send(LOCALHOST, 9, new byte[1], 0, 1)).isInstanceOf(IOException.class);
    }

    /** The receiver is parked in native poll() inside receive, the state close() has to end. */
    private static void awaitWaitingInPoll(Thread t) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean inPoll = Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("pollIn"));
            boolean inReceive = Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("receive")
                    && f.getClassName().equals(LinuxUdpEspPort.class.getName()));
            if (inPoll && inReceive) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("receiver never blocked in poll: " + Arrays.toString(t.getStackTrace()));
    }

    @Test
    void senderAddressAndPortAreReportedAndTheAddressObjectIsReused() throws IOException {
        LinuxUdpEspPort port = port(LOCALHOST);
        DatagramChannel a = channel("127.0.0.1");
        DatagramChannel b = channel("127.0.0.2");
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port.localPort());
        DatagramBatch got = new DatagramBatch(65_536);

        a.send(ByteBuffer.wrap(new byte[] {1}), to);
        assertThat(port.receive(got)).isEqualTo(1);
        assertThat(got.peer).isEqualTo(LOCALHOST);
        assertThat(got.peerPort).isEqualTo(portOf(a));
        IpAddress first = got.peer;

        a.send(ByteBuffer.wrap(new byte[] {2}), to);
        assertThat(port.receive(got)).isEqualTo(1);
        assertThat(got.peer).isSameAs(first);

        b.send(ByteBuffer.wrap(new byte[] {3}), to);
        assertThat(port.receive(got)).isEqualTo(1);
        assertThat(got.peer).isEqualTo(IpAddress.parse("127.0.0.2").orElseThrow());
        assertThat(got.peerPort).isEqualTo(portOf(b));
        assertThat(got.packets.length(0)).isEqualTo(1);
        assertThat(got.packets.buf[got.packets.offset(0)]).isEqualTo((byte) 3);
    }

    @Test
    void otherControlMessagesAroundTheGroSizeAreSkipped() throws IOException {
        LinuxUdpEspPort tx = port(LOCALHOST);
        LinuxUdpEspPort rx = port(LOCALHOST);
        // SO_TIMESTAMP comes before the UDP_GRO message, IP_PKTINFO after it
        assertThat(Libc.setsockopt(rx.fd(), Libc.SOL_SOCKET, 29 /* SO_TIMESTAMP */, 1)).isZero();
        assertThat(Libc.setsockopt(rx.fd(), 0 /* IPPROTO_IP */, 8 /* IP_PKTINFO */, 1)).isZero();
        List<byte[]> sent = packets(sizes(1000, 20, 10));

        tx.send(LOCALHOST, LOCALHOST, rx.localPort(), batch(sent));

        List<Integer> perReceive = new ArrayList<>();
        assertSameDatagrams(receiveAll(rx, sent.size(), perReceive), sent);
        assertThat(perReceive).containsExactly(21);
    }

    @Test
    void datagramsLargerThanTheBatchAreDroppedAndCountedNotFatal() throws IOException {
        LinuxUdpEspPort port = port(LOCALHOST);
        DatagramChannel peer = channel("127.0.0.1");
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port.localPort());
        byte[] small = packets(500).getFirst();

        peer.send(ByteBuffer.wrap(new byte[1200]), to);
        peer.send(ByteBuffer.wrap(small), to);

        DatagramBatch b = new DatagramBatch(1000);
        assertThat(port.receive(b)).isEqualTo(1);
        assertThat(Arrays.copyOfRange(b.packets.buf, 0, b.packets.length(0))).isEqualTo(small);
        assertThat(port.droppedDatagrams()).isEqualTo(1);
    }

    @Test
    void aKernelRefusalOfGsoFallsBackToOneDatagramPerCallAndLosesNothing() throws IOException {
        LinuxUdpEspPort tx = port(LOCALHOST);
        DatagramChannel rx = channel("127.0.0.1");
        // without UDP checksums the kernel refuses UDP_SEGMENT with EINVAL, like a kernel without GSO
        assertThat(Libc.setsockopt(tx.fd(), Libc.SOL_SOCKET, 11 /* SO_NO_CHECK */, 1)).isZero();
        List<byte[]> sent = packets(sizes(1400, 10, 700));

        tx.send(LOCALHOST, LOCALHOST, portOf(rx), batch(sent));
        assertSameDatagrams(receiveAll(rx, sent.size()), sent);
        assertThat(tx.gsoEnabled()).isFalse();

        tx.send(LOCALHOST, LOCALHOST, portOf(rx), batch(sent));
        assertSameDatagrams(receiveAll(rx, sent.size()), sent);
    }

    @Test
    void ipv6GsoAndGroWork() throws IOException {
        LinuxUdpEspPort tx = port(LOCALHOST6);
        LinuxUdpEspPort rx = port(LOCALHOST6);
        List<byte[]> sent = packets(sizes(1280, 30, 99));

        tx.send(LOCALHOST6, LOCALHOST6, rx.localPort(), batch(sent));

        DatagramBatch b = new DatagramBatch(256 * 1024);
        List<Integer> perReceive = new ArrayList<>();
        assertSameDatagrams(receiveAll(rx, sent.size(), perReceive), sent);
        assertThat(perReceive).containsExactly(31);
        tx.send(LOCALHOST6, rx.localPort(), new byte[] {9}, 0, 1);
        assertThat(rx.receive(b)).isEqualTo(1);
        assertThat(b.peer).isEqualTo(LOCALHOST6);
        assertThat(b.peerPort).isEqualTo(tx.localPort());
    }

    @Test
    void aDestinationOfTheOtherFamilyIsASendFailure() throws IOException {
        LinuxUdpEspPort v4 = port(LOCALHOST);
        assertThatThrownBy(() -> v4.send(LOCALHOST6, 4500, new byte[1], 0, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("family");
    }
}
