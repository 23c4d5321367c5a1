package dev.tandem.ike.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the ISAKMP decoder: raw datagrams, real
 * messages with a few octets changed (reaching the nested SA decoding
 * without a seed corpus), and bare payload chains as they come out of
 * decryption, strict and padded. Only {@link MalformedIsakmp} may come out;
 * whatever is accepted must encode back to exactly the octets it came from
 * (for a padded chain: to a prefix of them).
 */
class IsakmpFuzzTest {

    private static final List<byte[]> SAMPLES = IsakmpSamples.plaintext().stream().map(IsakmpMessage::encode).toList();

    @FuzzTest(maxDuration = "15s")
    void decoderAcceptsOnlyCanonicalInput(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 3);
        try {
            switch (mode) {
                case 0 -> datagram(data.consumeRemainingAsBytes());
                case 1 -> datagram(mutatedSample(data));
                case 2 -> chain(data.consumeInt(0, 255), data.consumeRemainingAsBytes(), false);
                default -> {
                    byte[] s = SAMPLES.get(data.consumeInt(0, SAMPLES.size() - 1));
                    byte[] body = mutate(Arrays.copyOfRange(s, IsakmpHeader.SIZE, s.length), data);
                    chain(s[16] & 0xff, body, true);
                }
            }
        } catch (MalformedIsakmp refused) {
            check(refused.field() != null && !refused.field().isEmpty(), "refusal without a field");
        }
    }

    private static void datagram(byte[] input) throws MalformedIsakmp {
        IsakmpMessage m = IsakmpMessage.decode(input);
        check(Arrays.equals(m.encode(), input), "accepted a non-canonical datagram");
    }

    private static void chain(int first, byte[] input, boolean padded) throws MalformedIsakmp {
        List<Payload> payloads = padded ? PayloadChain.decodePadded(first, input) : PayloadChain.decode(first, input);
        byte[] again = PayloadChain.encode(payloads);
        check(PayloadChain.firstType(payloads) == first, "first type lost");
        if (padded) {
            check(again.length <= input.length && Arrays.equals(again, Arrays.copyOf(input, again.length)),
                    "padded chain does not re-encode to its prefix");
        } else {
            check(Arrays.equals(again, input), "accepted a non-canonical chain");
        }
    }

    /** A real message, cut or extended, with a few octets replaced and its length field left or fixed. */
    private static byte[] mutatedSample(FuzzedDataProvider data) {
        byte[] b = SAMPLES.get(data.consumeInt(0, SAMPLES.size() - 1));
        b = mutate(b, data);
        if (data.consumeBoolean() && b.length >= IsakmpHeader.SIZE) {
            int n = b.length;
            b[24] = (byte) (n >>> 24);
            b[25] = (byte) (n >>> 16);
            b[26] = (byte) (n >>> 8);
            b[27] = (byte) n;
        }
        return b;
    }

    private static byte[] mutate(byte[] sample, FuzzedDataProvider data) {
        byte[] b = Arrays.copyOf(sample, Math.max(1, sample.length + data.consumeInt(-8, 8)));
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
