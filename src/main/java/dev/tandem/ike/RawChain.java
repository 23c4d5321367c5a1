package dev.tandem.ike;

import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.PayloadType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The octets of each payload of a chain exactly as the peer sent them: the
 * hashes of IKEv1 (SAi_b, IDii_b, the quick mode HASH(1)/(2) input) cover the
 * sender's bytes, so they are taken from the datagram rather than re-encoded.
 * Only called after the chain decoded, so the walk cannot overrun.
 */
final class RawChain {

    private final byte[] buf;
    private final List<int[]> spans;
    private final int end;

    private RawChain(byte[] buf, List<int[]> spans, int end) {
        this.buf = buf;
        this.spans = spans;
        this.end = end;
    }

    static RawChain walk(byte[] buf, int start, int firstType) throws MalformedIsakmp {
        List<int[]> spans = new ArrayList<>();
        int next = firstType;
        int o = start;
        while (next != PayloadType.NONE.code()) {
            if (o + 4 > buf.length) {
                throw new MalformedIsakmp("payload[" + spans.size() + "]", "truncated");
            }
            int len = ((buf[o + 2] & 0xff) << 8) | (buf[o + 3] & 0xff);
            if (len < 4 || o + len > buf.length) {
                throw new MalformedIsakmp("payload[" + spans.size() + "].length", "bad length " + len);
            }
            spans.add(new int[] {o, o + len});
            next = buf[o] & 0xff;
            o += len;
        }
        return new RawChain(buf, spans, o);
    }

    /** The body (after the 4-octet generic header) of payload {@code i}. */
    byte[] body(int i) {
        int[] s = spans.get(i);
        return Arrays.copyOfRange(buf, s[0] + 4, s[1]);
    }

    /** Payloads {@code i} to the end of the chain, generic headers included, padding excluded. */
    byte[] from(int i) {
        return i >= spans.size() ? new byte[0] : Arrays.copyOfRange(buf, spans.get(i)[0], end);
    }
}
