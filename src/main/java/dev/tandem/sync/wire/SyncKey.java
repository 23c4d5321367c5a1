package dev.tandem.sync.wire;

/**
 * The shared secret of a replication cluster (sasyncd.conf's sharedkey),
 * the input keying material of every connection's keys. Never printed.
 */
public final class SyncKey {

    /** Below 128 bits a shared key is guessable; sasyncd's keys are 16, 24 or 32 bytes. */
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;

    private final byte[] bytes;

    public SyncKey(byte[] bytes) {
        if (bytes.length < MIN_LENGTH || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("shared key of " + bytes.length + " bytes, needs "
                    + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        this.bytes = bytes.clone();
    }

    byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "SyncKey[" + bytes.length + " bytes]";
    }
}
