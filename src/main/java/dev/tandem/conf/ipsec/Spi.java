package dev.tandem.conf.ipsec;

/** A 32-bit Security Parameters Index, printed as ipsecctl does ("0x%08x"). */
public record Spi(int value) {

    /** SPIs 1-255 are reserved by IANA (RFC 4303 section 2.1). */
    public static boolean reserved(long v) {
        return v >= 1 && v <= 255;
    }

    public long unsigned() {
        return Integer.toUnsignedLong(value);
    }

    @Override
    public String toString() {
        return String.format("0x%08x", value);
    }
}
