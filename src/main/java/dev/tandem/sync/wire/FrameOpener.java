package dev.tandem.sync.wire;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Opens the frames of one direction (see {@link FrameSealer}). TCP keeps
 * order, so every frame must carry exactly the next sequence number: any
 * other is a replay, a reordering or a loss, and the connection ends.
 */
final class FrameOpener {

    static final String BAD_TAG = "wrong shared key or corrupted frame";

    private final SecretKey key;
    private final int direction;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private long expected;
    private boolean exhausted;

    FrameOpener(SecretKey key, int direction) {
        this(key, direction, 0);
    }

    FrameOpener(SecretKey key, int direction, long first) {
        this.key = key;
        this.direction = direction;
        this.expected = first;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The sequence number the next frame must carry. */
    long expectedSequence() {
        return expected;
    }

    /** The plaintext of {@code f}, after checking its sequence number and tag. */
    byte[] open(Frame f) throws SyncProtocolException {
        if (exhausted || f.sequence() != expected) {
            throw new SyncProtocolException("frame sequence " + Long.toUnsignedString(f.sequence()) + " where "
                    + (exhausted ? "none" : Long.toString(expected))
                    + " was expected: replayed, reordered or lost frame");
        }
        nonce(f.sequence());
        byte[] plain;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Frame.TAG * 8, nonce));
            cipher.updateAAD(f.header());
            plain = cipher.doFinal(f.body());
        } catch (AEADBadTagException e) {
            throw new SyncProtocolException(BAD_TAG);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        if (expected == Long.MAX_VALUE) {
            exhausted = true;
        } else {
            expected++;
        }
        return plain;
    }

    private void nonce(long seq) {
        FrameSealer.nonce(nonce, direction, seq);
    }
}
