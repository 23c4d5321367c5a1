package dev.tandem.sadb;

import dev.tandem.net.IpAddress;
import java.util.Objects;

/** What identifies an SA, as in PF_KEY: destination address, protocol and SPI. */
public record SaId(IpAddress dst, SaProtocol protocol, int spi) {

    public SaId {
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public String toString() {
        return protocol.name().toLowerCase(java.util.Locale.ROOT) + " " + dst + " spi " + String.format("0x%08x", spi);
    }
}
