package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.net.IpAddress;
import dev.tandem.os.TcpStreamTransport;
import dev.tandem.sadb.Sadb;
import dev.tandem.sync.wire.RunState;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.Side;
import dev.tandem.sync.wire.SyncKey;
import dev.tandem.sync.wire.SyncMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backup's replication channel under attack on real TCP (loopback): a
 * wrong key, garbage, a truncated, an oversized and a replayed frame each end
 * the connection with a logged reason and apply nothing; the daemon's
 * replicator goes on and a genuine master replicates afterwards.
 */
class ReplicatorBadInputTest {

    private static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final IpAddress BACKUP = IpAddress.parse("127.0.0.2").orElseThrow();

    private ThreadEventLoop loop;
    private TcpStreamTransport tcp;
    private Sadb sadb;
    private Replicator replicator;
    private int port;

    @BeforeEach
    void backup() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        loop = new ThreadEventLoop("backup");
        tcp = TcpStreamTransport.open(loop);
        sadb = new Sadb(loop::nanoTime);
        SasyncdConf conf = SasyncdConf.parse(Path.of("sasyncd.conf"), "interface carp0 mode slave\nlisten on "
                + BACKUP + " port " + port + "\npeer 127.0.0.1\nsharedkey 0x" + KEY + "\n", w -> { });
        replicator = new Replicator(conf, loop, sadb, tcp, null, new SecureRandom(), Replicator.Options.DEFAULT);
        onLoop(() -> {
            replicator.start();
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            replicator.close();
            return null;
        });
        tcp.close();
        loop.close();
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.executor().submit(c).get(10, TimeUnit.SECONDS);
    }

    private SyncStatus status() throws Exception {
        return onLoop(replicator::status);
    }

    /** A client on 127.0.0.1, the configured peer's address, speaking whatever it is told to. */
    private static final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;
        SecureChannel channel;
        /** Messages of the backup's that came with the end of the handshake. */
        final java.util.List<SyncMessage> early = new java.util.ArrayList<>();

        Client(int port) throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.connect(new InetSocketAddress(BACKUP.toString(), port), 5_000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        void write(byte[] b) throws IOException {
            socket.getOutputStream().write(b);
            socket.getOutputStream().flush();
        }

        /** Runs the handshake with {@code key}; true if the other side's AUTH verified. */
        boolean handshake(String key) throws Exception {
            channel = new SecureChannel(Side.INITIATOR, new SyncKey(HexFormat.of().parseHex(key)), 42, 0,
                    new SecureRandom());
            write(channel.start());
            // the peer's HELLO alone first, so our AUTH goes out even when the key is wrong (as an attacker's would)
            byte[] hello = in.readNBytes(dev.tandem.sync.wire.Hello.LENGTH);
            write(channel.receive(hello).reply());
            while (channel.state() == SecureChannel.State.HANDSHAKING) {
                byte[] buf = new byte[4096];
                int n = in.read(buf);
                if (n < 0) {
                    return false;
                }
                try {
                    SecureChannel.Received r = channel.receive(java.util.Arrays.copyOf(buf, n));
                    if (r.reply().length > 0) {
                        write(r.reply());
                    }
                    r.messages().forEach(i -> early.add(i.message()));
                } catch (dev.tandem.sync.wire.SyncProtocolException e) {
                    return false;
                }
            }
            return channel.state() == SecureChannel.State.AUTHENTICATED;
        }

        /**
         * Reads until the backup's ROLE: it sends it once it took the
         * connection as its peer's, so a bad frame after it is a disconnect
         * and not a failed handshake (one read could carry both otherwise).
         */
        void awaitRole() throws Exception {
            if (early.stream().anyMatch(m -> m instanceof SyncMessage.Role)) {
                return;
            }
            byte[] buf = new byte[4096];
            while (true) {
                int n = in.read(buf);
                assertThat(n).as("the backup closed the connection").isPositive();
                for (SecureChannel.Incoming i : channel.receive(java.util.Arrays.copyOf(buf, n)).messages()) {
                    if (i.message() instanceof SyncMessage.Role) {
                        return;
                    }
                }
            }
        }

        /** Reads until the backup acknowledges {@code messages} messages of ours. */
        void awaitAck(long messages) throws Exception {
            byte[] buf = new byte[4096];
            while (true) {
                int n = in.read(buf);
                assertThat(n).as("the backup closed the connection").isPositive();
                for (SecureChannel.Incoming i : channel.receive(java.util.Arrays.copyOf(buf, n)).messages()) {
                    if (i.message() instanceof SyncMessage.Ack a && a.lastSequence() >= messages) {
                        return;
                    }
                }
            }
        }

        /** Reads until the backup closes the connection; what it sent before is returned. */
        byte[] readToEnd() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset: closed as well
            }
            return all.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private void assertRejected(long failuresBefore, long disconnectsBefore) throws Exception {
        SyncStatus s = status();
        assertThat(s.counts().failedHandshakes() + s.counts().disconnects())
                .isGreaterThan(failuresBefore + disconnectsBefore);
        assertThat(s.counts().sasApplied()).isZero();
        assertThat(onLoop(() -> sadb.sas().size())).isZero();
    }

    @Test
    void aWrongKeyGarbageTruncatedAndOversizedFramesAreRejectedAndNothingIsApplied() throws Exception {
        // wrong key: the handshake fails on both sides, the connection ends
        try (Client c = new Client(port)) {
            assertThat(c.handshake(KEY.replace('0', '1'))).isFalse();
            c.readToEnd();
        }
        assertThat(status().peers().getFirst().lastError()).contains("wrong shared key");
        assertRejected(0, 0);

        // garbage instead of a HELLO
        try (Client c = new Client(port)) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            c.readToEnd();
        }
        assertRejected(1, 0);

        // a genuine handshake, then half a frame and the end of the stream
        long before = status().counts().disconnects();
        try (Client c = new Client(port)) {
            assertThat(c.handshake(KEY)).isTrue();
            c.awaitRole();
            byte[] frame = c.channel.send(new SyncMessage.Role(RunState.MASTER, 1));
            c.write(java.util.Arrays.copyOf(frame, frame.length / 2));
            c.socket.shutdownOutput();
            c.readToEnd();
        }
        assertThat(status().counts().disconnects()).isGreaterThan(before);

        // a genuine handshake, then a frame header announcing 2 MiB
        before = status().counts().disconnects();
        try (Client c = new Client(port)) {
            assertThat(c.handshake(KEY)).isTrue();
            c.awaitRole();
            c.write(new byte[] {0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            c.readToEnd();
        }
        assertThat(status().counts().disconnects()).isGreaterThan(before);
        assertThat(status().peers().getFirst().lastError()).containsIgnoringCase("frame");
        assertThat(status().counts().sasApplied()).isZero();
    }

    @Test
    void aReplayedFrameEndsTheConnectionAndIsNotApplied() throws Exception {
        try (Client c = new Client(port)) {
            assertThat(c.handshake(KEY)).isTrue();
            c.write(c.channel.send(new SyncMessage.Role(RunState.MASTER, 1)));
            byte[] add = c.channel.send(new SyncMessage.SaUpsert(ReplicationSimTest.sa(0x7000), 5, 0, 0, 0, 0));
            c.write(add);
            c.write(c.channel.send(new SyncMessage.SaDelete(ReplicationSimTest.sa(0x7000).id())));
            c.awaitAck(3);
            // the add again: applied, it would bring the deleted SA back
            c.write(add);
            c.readToEnd();
        }
        SyncStatus s = status();
        assertThat(s.counts().sasApplied()).isEqualTo(1);
        assertThat(s.counts().deletesApplied()).isEqualTo(1);
        assertThat(onLoop(() -> sadb.sas().size())).as("the replayed add was not applied").isZero();
        assertThat(s.peers().getFirst().lastError()).containsIgnoringCase("sequence");
    }

    @Test
    void afterTheAttacksAGenuineMasterReplicates() throws Exception {
        try (Client c = new Client(port)) {
            c.write(new byte[64 * 1024]);
            c.readToEnd();
        }
        try (Client c = new Client(port)) {
            assertThat(c.handshake(KEY)).isTrue();
            c.write(c.channel.send(new SyncMessage.Role(RunState.MASTER, 1)));
            c.write(c.channel.send(new SyncMessage.SnapshotBegin(1, 1, 0)));
            c.write(c.channel.send(new SyncMessage.SaUpsert(ReplicationSimTest.sa(0x7001), 9, 0, 0, 0, 0)));
            c.write(c.channel.send(new SyncMessage.SnapshotEnd(1)));
            // the backup acknowledges what it applied
            c.awaitAck(4);
        }
        assertThat(onLoop(() -> sadb.get(ReplicationSimTest.sa(0x7001).id()).lastSequence())).isEqualTo(9);
        assertThat(status().counts().snapshotsReceived()).isEqualTo(1);
    }
}
