package dev.tandem.os;

import dev.tandem.net.IpAddress;
import java.util.Arrays;

/**
 * An IPv4 packet as a raw IPv4 socket hands it over: the header as received
 * (Linux leaves it in network order and trims the buffer to the total
 * length), then the payload. Only what CARP needs is kept.
 *
 * @param source      header source address
 * @param destination header destination address
 * @param ttl         TTL as it arrived
 * @param protocol    the payload's protocol number
 * @param payload     the bytes after the header, up to the total length
 */
record Ipv4Datagram(IpAddress source, IpAddress destination, int ttl, int protocol, byte[] payload) {

    static final int MIN_HEADER = 20;

    /** Reads the first {@code length} bytes of {@code b}; throws naming the field that does not fit. */
    static Ipv4Datagram decode(byte[] b, int length) throws MalformedPacket {
        if (length < MIN_HEADER || length > b.length) {
            throw new MalformedPacket("IPv4 header: " + length + " bytes, need at least " + MIN_HEADER);
        }
        int version = (b[0] & 0xff) >>> 4;
        if (version != 4) {
            throw new MalformedPacket("IPv4 header: version " + version);
        }
        int headerLength = (b[0] & 0x0f) * 4;
        if (headerLength < MIN_HEADER || headerLength > length) {
            throw new MalformedPacket("IPv4 header: IHL " + headerLength + " bytes in a " + length + "-byte packet");
        }
        int total = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (total < headerLength || total > length) {
            throw new MalformedPacket("IPv4 header: total length " + total + " with IHL " + headerLength
                    + " in a " + length + "-byte packet");
        }
        return new Ipv4Datagram(
                new IpAddress(Arrays.copyOfRange(b, 12, 16)),
                new IpAddress(Arrays.copyOfRange(b, 16, 20)),
                b[8] & 0xff,
                b[9] & 0xff,
                Arrays.copyOfRange(b, headerLength, total));
    }
}
