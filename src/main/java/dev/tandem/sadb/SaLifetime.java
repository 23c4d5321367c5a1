package dev.tandem.sadb;

/**
 * A lifetime limit of an SA; 0 means no limit on that measure.
 *
 * @param seconds since the SA was added
 * @param bytes   of payload protected
 * @param packets protected
 */
public record SaLifetime(long seconds, long bytes, long packets) {

    public static final SaLifetime NONE = new SaLifetime(0, 0, 0);

    public SaLifetime {
        if (seconds < 0 || bytes < 0 || packets < 0) {
            throw new IllegalArgumentException("negative lifetime");
        }
    }

    boolean reached(long ageSeconds, long usedBytes, long usedPackets) {
        return (seconds > 0 && ageSeconds >= seconds) || (bytes > 0 && usedBytes >= bytes)
                || (packets > 0 && usedPackets >= packets);
    }
}
