package dev.tandem.sync;

import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.net.IpAddress;
import dev.tandem.os.TcpStreamTransport;
import dev.tandem.sadb.Sadb;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cluster node of {@link SyncBench}, as tandemd builds it but without
 * CARP: its own event loop, SADB on the loop's clock, TCP transport whose
 * outgoing connections leave from the node's own loopback address (so the
 * other node tells the two apart), and a replicator locked to master or
 * slave by {@code mode} in its sasyncd.conf.
 */
final class SyncBenchNode implements AutoCloseable {

    /** The cluster's shared key (32 bytes, in hex); a benchmark's, never a real one. */
    static final String SHARED_KEY = "0x5e1f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";
    /** How long a call on the loop may take before the benchmark gives up. */
    static final long CALL_TIMEOUT_SECONDS = 120;

    final String name;
    final IpAddress address;
    final ThreadEventLoop loop;
    final Sadb sadb;
    final TcpStreamTransport transport;
    final Replicator replicator;

    private SyncBenchNode(String name, IpAddress address, ThreadEventLoop loop, Sadb sadb,
                          TcpStreamTransport transport, Replicator replicator) {
        this.name = name;
        this.address = address;
        this.loop = loop;
        this.sadb = sadb;
        this.transport = transport;
        this.replicator = replicator;
    }

    /** The sasyncd.conf of a node on {@code address} with one peer, locked to master or slave. */
    static String conf(IpAddress address, IpAddress peer, int port, boolean master) {
        return "interface carp0\n"
                + "listen on " + address + " port " + port + "\n"
                + "peer " + peer + "\n"
                + "sharedkey " + SHARED_KEY + "\n"
                + "mode " + (master ? "master" : "slave") + "\n";
    }

    /** A node, not started: nothing listens or connects before {@link #start}. */
    static SyncBenchNode create(String name, IpAddress address, IpAddress peer, int port, boolean master)
            throws IOException {
        SasyncdConf conf;
        try {
            conf = SasyncdConf.parse(Path.of(name, "sasyncd.conf"), conf(address, peer, port, master), w -> {
                throw new IllegalStateException("sasyncd.conf of the benchmark: " + w);
            });
        } catch (SasyncdConf.Invalid e) {
            throw new IllegalStateException("sasyncd.conf of the benchmark: " + e.getMessage(), e);
        }
        ThreadEventLoop loop = new ThreadEventLoop(name);
        Sadb sadb = new Sadb(loop::nanoTime);
        TcpStreamTransport transport;
        try {
            transport = TcpStreamTransport.open(loop, TcpStreamTransport.DEFAULT_SEND_QUEUE_BYTES,
                    TcpStreamTransport.DEFAULT_RECEIVE_QUEUE_BYTES, address);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
        Replicator r = new Replicator(conf, loop, sadb, transport, null, new SecureRandom(), Replicator.Options.DEFAULT);
        return new SyncBenchNode(name, address, loop, sadb, transport, r);
    }

    /** Runs {@code action} on the loop and waits for its result. */
    <T> T call(Callable<T> action) throws Exception {
        try {
            return loop.executor().submit(action).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": the loop did not answer within " + CALL_TIMEOUT_SECONDS + " s");
        }
    }

    /** Starts the replicator now, on the loop. */
    void start() throws Exception {
        call(() -> {
            replicator.start();
            return null;
        });
    }

    /** The peer's status line, as {@code tandem sync status} shows it. */
    SyncStatus.PeerStatus peerStatus() throws Exception {
        return call(() -> replicator.status().peers().getFirst());
    }

    /** Stops replication (saying goodbye to the peer), the transport and the loop, and waits for all three. */
    @Override
    public void close() throws Exception {
        try {
            call(() -> {
                replicator.close();
                return null;
            });
        } finally {
            transport.close();
            loop.close();
            if (!loop.executor().awaitTermination(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": the loop did not stop");
            }
        }
    }
}
