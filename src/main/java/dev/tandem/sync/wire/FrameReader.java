package dev.tandem.sync.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a TCP byte stream into {@link Frame}s, whatever the chunks it
 * arrives in. It holds at most one frame (12 + 1 MiB bytes): a length field
 * beyond {@link Frame#MAX_FRAME} is refused as soon as its four bytes are in,
 * before anything is allocated for it. After refusing once it refuses
 * everything, since the stream position can no longer be trusted.
 */
public final class FrameReader {

    private final byte[] header = new byte[Frame.HEADER];
    private int headerFill;
    private byte[] body;
    private int bodyFill;
    private long sequence;
    private String failure;

    /**
     * Takes {@code len} bytes and returns the frames they complete, in
     * order; the bytes of an unfinished frame are kept for the next call.
     */
    public List<Frame> feed(byte[] b, int off, int len) throws SyncProtocolException {
        if (failure != null) {
            throw new SyncProtocolException("frame stream already broken: " + failure);
        }
        List<Frame> out = new ArrayList<>();
        int p = off;
        int end = off + len;
        while (p < end) {
            if (body == null) {
                int n = Math.min(Frame.HEADER - headerFill, end - p);
                System.arraycopy(b, p, header, headerFill, n);
                headerFill += n;
                p += n;
                if (headerFill >= 4) {
                    checkLength();
                }
                if (headerFill == Frame.HEADER) {
                    sequence = 0;
                    for (int i = 4; i < Frame.HEADER; i++) {
                        sequence = sequence << 8 | (header[i] & 0xff);
                    }
                    body = new byte[(int) announcedLength() - 8];
                    bodyFill = 0;
                }
            } else {
                int n = Math.min(body.length - bodyFill, end - p);
                System.arraycopy(b, p, body, bodyFill, n);
                bodyFill += n;
                p += n;
            }
            if (body != null && bodyFill == body.length) {
                out.add(new Frame(sequence, body));
                body = null;
                headerFill = 0;
            }
        }
        return out;
    }

    public List<Frame> feed(byte[] b) throws SyncProtocolException {
        return feed(b, 0, b.length);
    }

    private long announcedLength() {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (header[i] & 0xff);
        }
        return v;
    }

    private void checkLength() throws SyncProtocolException {
        long length = announcedLength();
        if (length > Frame.MAX_FRAME || length < Frame.MIN_FRAME) {
            failure = "frame length " + length + " outside " + Frame.MIN_FRAME + ".." + Frame.MAX_FRAME;
            throw new SyncProtocolException(failure);
        }
    }

    /** True when no frame is partly read: the stream may end here without losing anything. */
    public boolean atBoundary() {
        return failure == null && headerFill == 0 && body == null;
    }

    /** Bytes of the unfinished frame held. */
    public int pending() {
        return body == null ? headerFill : Frame.HEADER + bodyFill;
    }
}
