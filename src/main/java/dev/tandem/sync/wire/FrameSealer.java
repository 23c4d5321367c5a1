package dev.tandem.sync.wire;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals the frames of one direction: AES-GCM under the direction's key,
 * nonce = direction prefix (4 bytes) || sequence number (8 bytes),
 * associated data = the 12 header bytes. Sequence numbers start at 0 and
 * stop at 2^63-1: past it a nonce could repeat, so the connection has to
 * be replaced (new nonces, new keys).
 */
final class FrameSealer {

    private final SecretKey key;
    private final int direction;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private long next;
    private boolean exhausted;

    FrameSealer(SecretKey key, int direction) {
        this(key, direction, 0);
    }

    /** Starting elsewhere than 0 is for tests of the end of the sequence space. */
    FrameSealer(SecretKey key, int direction, long first) {
        if (first < 0) {
            throw new IllegalArgumentException("sequence " + first);
        }
        this.key = key;
        this.direction = direction;
        this.next = first;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The sequence number the next frame gets. */
    long nextSequence() {
        return next;
    }

    /** Header and ciphertext of the next frame, carrying {@code plaintext[0..len)}. */
    byte[] seal(byte[] plaintext, int len) throws SyncProtocolException {
        if (exhausted) {
            throw new SyncProtocolException("sequence numbers of this direction used up: reconnect to rekey");
        }
        if (len > Frame.MAX_PLAINTEXT) {
            throw new IllegalArgumentException("message of " + len + " bytes, a frame carries " + Frame.MAX_PLAINTEXT);
        }
        long seq = next;
        byte[] out = new byte[Frame.HEADER + len + Frame.TAG];
        Frame.writeHeader(out, 8 + len + Frame.TAG, seq);
        nonce(nonce, direction, seq);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Frame.TAG * 8, nonce));
            cipher.updateAAD(out, 0, Frame.HEADER);
            cipher.doFinal(plaintext, 0, len, out, Frame.HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        if (seq == Long.MAX_VALUE) {
            exhausted = true;
        } else {
            next = seq + 1;
        }
        return out;
    }

    static void nonce(byte[] n, int direction, long seq) {
        for (int i = 0; i < 4; i++) {
            n[i] = (byte) (direction >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
    }
}
