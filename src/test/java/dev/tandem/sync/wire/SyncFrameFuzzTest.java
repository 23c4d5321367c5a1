package dev.tandem.sync.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Coverage-guided fuzzing of a replication channel's input, in every state
 * a peer can reach: a fresh channel (HELLO expected), one that has the
 * peer's HELLO (AUTH expected), an authenticated one fed raw bytes, and an
 * authenticated one fed genuine frames around arbitrary plaintext or around
 * real messages with a few bytes changed (which reaches deep into the SA and
 * flow decoders without a seed corpus): that is how the message decoders
 * get fuzzed behind the AEAD. Only
 * {@link SyncProtocolException} may come out, and a refusing channel must be
 * failed for good. Whatever message is accepted must encode back to exactly
 * the plaintext it came from. Memory stays bounded because the limits do:
 * one frame of at most 1 MiB is ever buffered.
 */
class SyncFrameFuzzTest {

    private static final SyncKey KEY = SyncFixtures.SHARED;
    private static final List<byte[]> SAMPLES = SyncFixtures.samples().stream().map(SyncMessage::encode).toList();

    @FuzzTest(maxDuration = "15s")
    void channelInputInEveryState(FuzzedDataProvider data) throws Exception {
        int mode = data.consumeInt(0, 4);
        int chunk = data.consumeInt(1, 2048);
        long seed = data.consumeLong();
        SecureChannel a = new SecureChannel(Side.INITIATOR, KEY, 1, Hello.INTENT_MASTER, new SplittableRandom(seed));
        SecureChannel b = new SecureChannel(Side.RESPONDER, KEY, 2, 0, new SplittableRandom(~seed));
        byte[] helloA = a.start();
        byte[] helloB = b.start();
        if (mode >= 1) {
            b.receive(helloA);
        }
        if (mode >= 2) {
            byte[] authA = a.receive(helloB).reply();
            b.receive(authA);
            check(b.state() == SecureChannel.State.AUTHENTICATED, "handshake did not complete");
        }
        byte[] input = mode == 4 ? mutatedSample(data) : data.consumeRemainingAsBytes();
        if (mode >= 3) {
            // a genuine frame with sequence 1 around the fuzzer's plaintext
            if (input.length > Frame.MAX_PLAINTEXT) {
                input = Arrays.copyOf(input, Frame.MAX_PLAINTEXT);
            }
            FrameSealer s = new FrameSealer(a.handshake().keys().initiatorToResponder(), Side.DIRECTION_I2R, 1);
            byte[] plaintext = input;
            input = s.seal(plaintext, plaintext.length);
            try {
                SecureChannel.Received r = b.receive(input);
                check(r.messages().size() == 1, "one frame, " + r.messages().size() + " messages");
                check(Arrays.equals(r.messages().getFirst().message().encode(), plaintext), "accepted a non-canonical message");
            } catch (SyncProtocolException refused) {
                check(b.state() == SecureChannel.State.FAILED, "refused but not failed");
            }
            return;
        }
        try {
            for (int p = 0; p < input.length; p += chunk) {
                b.receive(input, p, Math.min(chunk, input.length - p));
            }
            b.endOfStream();
        } catch (SyncProtocolException refused) {
            check(b.state() == SecureChannel.State.FAILED, "refused but not failed");
        }
    }

    /** A real message, cut or extended, with a few bytes replaced. */
    private static byte[] mutatedSample(FuzzedDataProvider data) {
        byte[] b = SAMPLES.get(data.consumeInt(0, SAMPLES.size() - 1));
        b = Arrays.copyOf(b, Math.max(1, b.length + data.consumeInt(-4, 4)));
        int edits = data.consumeInt(0, 6);
        for (int i = 0; i < edits; i++) {
            b[data.consumeInt(0, b.length - 1)] = data.consumeByte();
        }
        return b;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
