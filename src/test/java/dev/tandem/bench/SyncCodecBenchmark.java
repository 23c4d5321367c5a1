package dev.tandem.bench;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sync.wire.Hello;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.Side;
import dev.tandem.sync.wire.SyncKey;
import dev.tandem.sync.wire.SyncMessage;
import dev.tandem.sync.wire.SyncProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SA_UPSERT messages through the replication channel, what a snapshot of
 * many SAs costs on each side; one operation is one SA.
 *
 * <ul>
 *   <li>{@link #encodeAndSeal}: the master's side, {@link SecureChannel#send}:
 *       encode the SA, seal the frame under AES-256-GCM.</li>
 *   <li>{@link #openAndDecode}: the backup's side, {@link SecureChannel#receive}
 *       of a snapshot stream as TCP would deliver it (64 KiB reads), every
 *       frame opened and decoded. The stream is sealed before each
 *       invocation, outside the measurement, because each frame opens only
 *       once, with its own sequence number.</li>
 *   <li>{@link #encodeOnly} and {@link #decodeOnly}: the codec without the
 *       AEAD, to tell the two costs apart.</li>
 * </ul>
 *
 * <p>Run with {@code bench/jmh SyncCodecBenchmark}. Snapshot time for N SAs
 * is about N divided by the slower side's throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class SyncCodecBenchmark {

    /** SAs per invocation of the batch benchmarks. */
    static final int BATCH = 1000;
    static final int READ = 64 * 1024;
    static final long SEED = 20_251_201L;
    static final SyncKey KEY = new SyncKey(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    /** Address family of the SAs: 4 or 6. */
    @Param({"4", "6"})
    public int family;

    SyncMessage.SaUpsert[] upserts;
    byte[][] encoded;
    SecureChannel sender;
    int next;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        upserts = upserts(family);
        encoded = new byte[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            encoded[i] = upserts[i].encode();
        }
        SecureChannel[] pair = connect(SEED);
        sender = pair[0];
        // check once that a sealed SA comes out whole at the other end
        SecureChannel.Received r = pair[1].receive(sender.send(upserts[0]));
        if (r.messages().size() != 1 || !r.messages().getFirst().message().equals(upserts[0])) {
            throw new IllegalStateException("SA_UPSERT does not survive the channel");
        }
    }

    /** BATCH GCM-256 SAs of one family, ESN and NAT-T on every other, with their runtime state. */
    static SyncMessage.SaUpsert[] upserts(int family) {
        SplittableRandom r = new SplittableRandom(SEED);
        EspTransform gcm = new EspTransform.AesGcm(32);
        SyncMessage.SaUpsert[] u = new SyncMessage.SaUpsert[BATCH];
        for (int i = 0; i < BATCH; i++) {
            byte[] dst = new byte[family == 4 ? 4 : 16];
            byte[] src = new byte[dst.length];
            r.nextBytes(dst);
            r.nextBytes(src);
            byte[] key = new byte[gcm.encKeyLength()];
            r.nextBytes(key);
            SaSpec s = new SaSpec(new SaId(new IpAddress(dst), SaProtocol.ESP, r.nextInt()), new IpAddress(src),
                    SaMode.TUNNEL, new EspKeys(gcm, key, null), i % 2 == 0 ? Encapsulation.RAW : Encapsulation.NAT_T,
                    i % 2 == 1, 128, new SaLifetime(3240, 0, 0), new SaLifetime(3600, 0, 0));
            u[i] = new SyncMessage.SaUpsert(s, r.nextLong(0, 1L << 40), r.nextLong(0, 1L << 40),
                    r.nextLong(0, 1L << 30), r.nextLong(0, 1L << 40), r.nextLong(0, 3_600_000));
        }
        return u;
    }

    /** An authenticated initiator and responder. */
    static SecureChannel[] connect(long seed) throws SyncProtocolException {
        SecureChannel a = new SecureChannel(Side.INITIATOR, KEY, 1, Hello.INTENT_MASTER, new SplittableRandom(seed));
        SecureChannel b = new SecureChannel(Side.RESPONDER, KEY, 2, 0, new SplittableRandom(~seed));
        byte[] ha = a.start();
        byte[] hb = b.start();
        byte[] authA = a.receive(hb).reply();
        byte[] authB = b.receive(ha).reply();
        b.receive(authA);
        a.receive(authB);
        if (a.state() != SecureChannel.State.AUTHENTICATED || b.state() != SecureChannel.State.AUTHENTICATED) {
            throw new IllegalStateException("handshake failed");
        }
        return new SecureChannel[] {a, b};
    }

    @Benchmark
    public byte[] encodeAndSeal() throws SyncProtocolException {
        return sender.send(upserts[next++ % BATCH]);
    }

    @Benchmark
    public byte[] encodeOnly() {
        return upserts[next++ % BATCH].encode();
    }

    @Benchmark
    public SyncMessage decodeOnly() throws Exception {
        return SyncMessage.decode(encoded[next++ % BATCH]);
    }

    /** A receiving channel and a snapshot stream of BATCH SAs sealed for it, fresh for every invocation. */
    @State(Scope.Thread)
    public static class Snapshot {
        SecureChannel receiver;
        byte[] stream;
        long seed = SEED;

        @Setup(Level.Invocation)
        public void seal(SyncCodecBenchmark b) throws SyncProtocolException {
            SecureChannel[] pair = connect(++seed);
            ByteArrayOutputStream s = new ByteArrayOutputStream(BATCH * 256);
            for (SyncMessage.SaUpsert u : b.upserts) {
                s.writeBytes(pair[0].send(u));
            }
            receiver = pair[1];
            stream = s.toByteArray();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int openAndDecode(Snapshot s) throws SyncProtocolException {
        int n = 0;
        for (int p = 0; p < s.stream.length; p += READ) {
            List<SecureChannel.Incoming> got = s.receiver.receive(s.stream, p, Math.min(READ, s.stream.length - p))
                    .messages();
            n += got.size();
        }
        if (n != BATCH) {
            throw new IllegalStateException(n + " SAs received of " + BATCH);
        }
        return n;
    }
}
