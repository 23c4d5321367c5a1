package dev.tandem.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    static final SplittableRandom R = new SplittableRandom(11);

    static Frame frame(long seq, int bodyLength) {
        byte[] body = new byte[bodyLength];
        R.nextBytes(body);
        return new Frame(seq, body);
    }

    /** Frames of the smallest size, small ones, one of 70 kB. */
    static List<Frame> someFrames() {
        return List.of(frame(0, Frame.TAG), frame(1, 17), frame(2, 300), frame(-1L, 70_000), frame(4, 33));
    }

    static byte[] stream(List<Frame> frames) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        frames.forEach(f -> s.writeBytes(f.encode()));
        return s.toByteArray();
    }

    static List<Frame> feedInChunks(FrameReader r, byte[] s, int chunk) throws SyncProtocolException {
        List<Frame> out = new ArrayList<>();
        for (int p = 0; p < s.length; p += chunk) {
            out.addAll(r.feed(s, p, Math.min(chunk, s.length - p)));
        }
        return out;
    }

    @Test
    void encodesTheDocumentedHeader() {
        Frame f = new Frame(0x0102030405060708L, new byte[20]);
        assertThat(HexFormat.of().formatHex(f.header())).isEqualTo("0000001c" + "0102030405060708");
        assertThat(f.encode()).hasSize(12 + 20);
    }

    @Test
    void chunksOfEverySmallSizeGiveTheSameFrames() throws Exception {
        List<Frame> frames = List.of(frame(0, Frame.TAG), frame(1, 17), frame(2, 300), frame(3, 33));
        byte[] s = stream(frames);
        for (int chunk = 1; chunk <= s.length + 1; chunk++) {
            FrameReader r = new FrameReader();
            assertThat(feedInChunks(r, s, chunk)).as("chunks of %d", chunk).isEqualTo(frames);
            assertThat(r.atBoundary()).isTrue();
        }
    }

    @Test
    void oneByteAtATimeAndRandomSplitsOfLargeFrames() throws Exception {
        List<Frame> frames = someFrames();
        byte[] s = stream(frames);
        assertThat(feedInChunks(new FrameReader(), s, 1)).isEqualTo(frames);
        for (int round = 0; round < 200; round++) {
            FrameReader r = new FrameReader();
            List<Frame> out = new ArrayList<>();
            int p = 0;
            while (p < s.length) {
                int n = Math.min(s.length - p, R.nextInt(0, 4000));
                out.addAll(r.feed(s, p, n));
                p += n;
            }
            assertThat(out).isEqualTo(frames);
        }
    }

    @Test
    void aFrameOfTheLargestSizeIsAccepted() throws Exception {
        Frame big = frame(9, Frame.MAX_FRAME - 8);
        assertThat(big.length()).isEqualTo(Frame.MAX_FRAME);
        assertThat(new FrameReader().feed(big.encode())).containsExactly(big);
    }

    @Test
    void aLengthBeyondTheLimitIsRefusedAsSoonAsItIsIn() throws Exception {
        for (String length : new String[] {"00100001", "ffffffff", "80000000", "7fffffff"}) {
            FrameReader r = new FrameReader();
            byte[] h = HexFormat.of().parseHex(length + "0000000000000000");
            r.feed(h, 0, 3);
            assertThatThrownBy(() -> r.feed(h, 3, 1)).isInstanceOf(SyncProtocolException.class)
                    .hasMessageContaining("frame length " + Long.parseLong(length, 16));
            assertThat(r.atBoundary()).isFalse();
            // the stream position cannot be trusted any more: nothing more is read
            assertThatThrownBy(() -> r.feed(frame(0, 16).encode())).isInstanceOf(SyncProtocolException.class)
                    .hasMessageContaining("already broken");
        }
    }

    @Test
    void aLengthTooShortForSequenceAndTagIsRefused() {
        for (int len : new int[] {0, 1, 8, 23}) {
            byte[] h = new byte[Frame.HEADER + 16];
            h[3] = (byte) len;
            assertThatThrownBy(() -> new FrameReader().feed(h)).isInstanceOf(SyncProtocolException.class)
                    .hasMessageContaining("frame length " + len);
        }
    }

    @Test
    void textInsteadOfFramesIsRefused() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new FrameReader().feed(http)).isInstanceOf(SyncProtocolException.class);
    }

    @Test
    void randomGarbageIsRefusedOrCutIntoBoundedFrames() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            byte[] g = new byte[R.nextInt(1, 5_000)];
            R.nextBytes(g);
            if (round % 2 == 0) {
                g[0] = 0; // plausible lengths half of the time
                g[1] = (byte) R.nextInt(0, 0x11);
            }
            FrameReader r = new FrameReader();
            try {
                for (Frame f : feedInChunks(r, g, R.nextInt(1, 600))) {
                    assertThat(f.length()).isBetween(Frame.MIN_FRAME, Frame.MAX_FRAME);
                }
                assertThat(r.pending()).isLessThanOrEqualTo(Frame.HEADER + Frame.MAX_FRAME);
            } catch (SyncProtocolException refused) {
                assertThat(refused.getMessage()).contains("frame length");
            }
        }
    }

    @Test
    void tellsWhetherTheStreamMayEndHere() throws Exception {
        byte[] s = frame(0, 40).encode();
        FrameReader r = new FrameReader();
        assertThat(r.atBoundary()).isTrue();
        r.feed(s, 0, 5);
        assertThat(r.atBoundary()).isFalse();
        assertThat(r.pending()).isEqualTo(5);
        r.feed(s, 5, 20);
        assertThat(r.pending()).isEqualTo(25);
        assertThat(r.feed(s, 25, s.length - 25)).hasSize(1);
        assertThat(r.atBoundary()).isTrue();
        assertThat(r.pending()).isZero();
    }
}
