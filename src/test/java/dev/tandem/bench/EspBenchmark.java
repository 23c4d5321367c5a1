package dev.tandem.bench;

import dev.tandem.dataplane.EspPipeline;
import dev.tandem.esp.EspEngine;
import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet through the ESP codec per operation: sealed by one gateway's
 * engine, opened in place by the other's, the sequence number one higher
 * each time, buffers reused as a data-plane thread reuses them.
 *
 * <ul>
 *   <li>{@link #gcmTandem}: AES-GCM-128 (RFC 4106) through {@link EspEngine}.</li>
 *   <li>{@link #gcmRawJca}: the yardstick for it, the same AES-GCM work done
 *       straight on JCA: same key and salt, nonce salt + 8-byte counter,
 *       8 bytes of AAD, 16-byte tag, the same buffers and offsets, no ESP
 *       header, padding or trailer.</li>
 *   <li>{@link #gcmRawJcaEspLength}: the yardstick on as many bytes as ESP
 *       encrypts for the payload (padding, pad length, next header).</li>
 *   <li>{@link #cbcHmacTandem}: AES-CBC-128 with HMAC-SHA2-256-128 through
 *       {@link EspEngine}, for information.</li>
 * </ul>
 *
 * <p>Run with {@code bench/jmh EspBenchmark}. Not a test: nothing here is
 * timed by surefire (the class name does not end in Test).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Same fixed, pre-touched heap as ConfParseBenchmark: heap growth during
// measurement showed up as page-fault spikes on the 2-vCPU VM.
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class EspBenchmark {

    /** Length of the inner packet: a small packet, a medium one, a full-MTU one. */
    @Param({"64", "512", "1400"})
    public int payload;

    static final long SEED = 20_251_128L;
    static final int SPI = 0x1000_0001;
    static final int NEXT_HEADER = 4;
    /** Where ESP puts the GCM ciphertext: after SPI, sequence number and 8-byte IV. */
    static final int GCM_DATA = EspEngine.HEADER + 8;
    static final int TAG_BITS = 128;

    static final EspTransform GCM = new EspTransform.AesGcm(16);
    static final EspTransform CBC = new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128);

    // The data plane's buffers are this size; same here so that nothing
    // in the codec or the JCA can profit from a buffer that just fits.
    final byte[] inner = new byte[EspPipeline.BUFFER];
    final byte[] wire = new byte[EspPipeline.BUFFER];

    EspKeys gcmKeys;
    EspKeys cbcKeys;
    final EspEngine sender = new EspEngine();
    final EspEngine receiver = new EspEngine();
    long seq;

    SecretKeySpec rawKey;
    final byte[] nonce = new byte[12];
    final byte[] aad = new byte[8];
    Cipher rawEnc;
    Cipher rawDec;
    long counter;

    @Setup(Level.Trial)
    public void setup() throws GeneralSecurityException {
        SplittableRandom r = new SplittableRandom(SEED);
        byte[] gcmMaterial = bytes(r, GCM.encKeyLength());
        gcmKeys = new EspKeys(GCM, gcmMaterial, null);
        cbcKeys = new EspKeys(CBC, bytes(r, CBC.encKeyLength()), bytes(r, CBC.authKeyLength()));
        byte[] packet = bytes(r, payload);
        System.arraycopy(packet, 0, inner, 0, payload);

        rawKey = new SecretKeySpec(gcmMaterial, 0, 16, "AES");
        // RFC 4106 nonce: the 4-byte salt at the end of the key material, then the counter
        System.arraycopy(gcmMaterial, 16, nonce, 0, 4);
        rawEnc = Cipher.getInstance("AES/GCM/NoPadding");
        rawDec = Cipher.getInstance("AES/GCM/NoPadding");

        // Check once, with the bytes, that every benchmark does a real round
        // trip and that the yardstick does the same cryptography as ESP.
        checkTandem(gcmKeys, packet);
        checkTandem(cbcKeys, packet);
        checkRaw(payload);
        checkRaw(espLength());
        checkRawOpensTandem(packet);
        // seq and counter go on from here: JCA refuses to encrypt again
        // under the nonce it used last
    }

    /** Seal with one engine, open in place with the other: one packet end to end in the codec. */
    @Benchmark
    public int gcmTandem() throws GeneralSecurityException {
        return roundTrip(gcmKeys);
    }

    @Benchmark
    public int cbcHmacTandem() throws GeneralSecurityException {
        return roundTrip(cbcKeys);
    }

    /**
     * Encrypt and decrypt the same bytes with JCA alone, as cheaply as the
     * API allows: Cipher objects kept, arrays with offsets, decryption in
     * place. The per-packet GCMParameterSpec cannot be avoided (JCA takes
     * the nonce only that way) and the nonce must change for every
     * encryption (JCA refuses to reuse one).
     */
    @Benchmark
    public int gcmRawJca() throws GeneralSecurityException {
        return rawRoundTrip(payload);
    }

    /**
     * The same, on as many bytes as ESP encrypts: the payload with padding,
     * pad length and next header. Tells what in the gap to
     * {@link #gcmRawJca} is the codec and what is GCM on a longer input
     * that is no longer a whole number of AES blocks.
     */
    @Benchmark
    public int gcmRawJcaEspLength() throws GeneralSecurityException {
        return rawRoundTrip(espLength());
    }

    /** Bytes ESP encrypts for the payload: all of the packet between IV and ICV. */
    private int espLength() {
        return EspEngine.sealedLength(GCM, payload) - GCM_DATA - TAG_BITS / 8;
    }

    private int rawRoundTrip(int len) throws GeneralSecurityException {
        long c = ++counter;
        putLong(nonce, 4, c);
        putInt(aad, 0, SPI);
        putInt(aad, 4, (int) c);
        rawEnc.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(TAG_BITS, nonce));
        rawEnc.updateAAD(aad, 0, 8);
        int n = rawEnc.doFinal(inner, 0, len, wire, GCM_DATA);
        rawDec.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(TAG_BITS, nonce));
        rawDec.updateAAD(aad, 0, 8);
        int got = rawDec.doFinal(wire, GCM_DATA, n, wire, GCM_DATA);
        if (got != len) {
            throw new IllegalStateException("raw GCM round trip gave " + got + " bytes, expected " + len);
        }
        return got;
    }

    private int roundTrip(EspKeys keys) throws GeneralSecurityException {
        long s = ++seq;
        int n = sender.seal(keys, SPI, s, false, inner, 0, payload, NEXT_HEADER, wire, 0);
        int got = receiver.open(keys, s, false, wire, 0, n);
        if (got != payload) {
            // never an error path: a failed open would be a cheap early return
            throw new IllegalStateException(keys + " open returned " + got + ", expected " + payload);
        }
        return got;
    }

    private void checkTandem(EspKeys keys, byte[] packet) throws GeneralSecurityException {
        int got = roundTrip(keys);
        int at = receiver.innerOffset();
        if (receiver.nextHeader() != NEXT_HEADER || !Arrays.equals(wire, at, at + got, packet, 0, payload)) {
            throw new IllegalStateException(keys + " round trip does not give back the packet");
        }
    }

    /** The bytes after the payload in {@code inner} are zeros: the ESP-length variant gets them back too. */
    private void checkRaw(int len) throws GeneralSecurityException {
        int got = rawRoundTrip(len);
        if (!Arrays.equals(wire, GCM_DATA, GCM_DATA + got, inner, 0, len)) {
            throw new IllegalStateException("raw GCM round trip of " + len + " bytes does not give them back");
        }
    }

    /** The yardstick's nonce, AAD and key schedule open a packet sealed by Tandem. */
    private void checkRawOpensTandem(byte[] packet) throws GeneralSecurityException {
        long s = ++seq;
        int n = sender.seal(gcmKeys, SPI, s, false, inner, 0, payload, NEXT_HEADER, wire, 0);
        putLong(nonce, 4, s);
        putInt(aad, 0, SPI);
        putInt(aad, 4, (int) s);
        rawDec.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(TAG_BITS, nonce));
        rawDec.updateAAD(aad, 0, 8);
        int got = rawDec.doFinal(wire, GCM_DATA, n - GCM_DATA, wire, GCM_DATA);
        if (got != espLength()
                || !Arrays.equals(wire, GCM_DATA, GCM_DATA + payload, packet, 0, payload)) {
            throw new IllegalStateException("raw GCM does not open Tandem's ESP packet");
        }
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }
}
