package dev.tandem.conf.ipsec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Keying material of a manual SA. It never prints its bytes through
 * toString(); only {@link #hex()} reveals them, for {@code ipsecctl -k}.
 */
public final class Key {

    private final byte[] bytes;

    public Key(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key in lower-case hex. Call only where the admin asked to see keys. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Key[" + bytes.length + " bytes]";
    }
}
