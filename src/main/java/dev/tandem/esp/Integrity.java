package dev.tandem.esp;

/** HMAC integrity algorithms of ESP with their truncated ICV lengths. */
public enum Integrity {
    /** RFC 2404. */
    HMAC_SHA1_96("HmacSHA1", 20, 12),
    /** RFC 4868. */
    HMAC_SHA2_256_128("HmacSHA256", 32, 16),
    HMAC_SHA2_384_192("HmacSHA384", 48, 24),
    HMAC_SHA2_512_256("HmacSHA512", 64, 32);

    private final String jcaName;
    private final int keyLength;
    private final int icvLength;

    Integrity(String jcaName, int keyLength, int icvLength) {
        this.jcaName = jcaName;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
    }

    public String jcaName() {
        return jcaName;
    }

    public int keyLength() {
        return keyLength;
    }

    public int icvLength() {
        return icvLength;
    }
}
