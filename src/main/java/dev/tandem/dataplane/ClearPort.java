package dev.tandem.dataplane;

import java.io.IOException;

/**
 * Sends complete cleartext IP packets past the tunnel: traffic of bypass
 * flows, of use and acquire flows that have no SA yet, and packets that no
 * flow covers (OpenBSD sends what its flows do not claim in the clear). On
 * Linux a raw socket whose packets carry a firewall mark that the tunnel's
 * routing rule skips, so they cannot loop back into the TUN device.
 */
public interface ClearPort extends AutoCloseable {

    /** Sends the IPv4 or IPv6 packet in {@code buf} as it is, header included. */
    void send(byte[] buf, int off, int len) throws IOException;

    @Override
    void close() throws IOException;
}
