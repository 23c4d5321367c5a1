package dev.tandem.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.ike.IkeEndpoint;
import dev.tandem.ike.IkeStatus;
import dev.tandem.ike.Phase1Status;
import dev.tandem.ike.Phase2Status;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Identity;
import dev.tandem.ike.wire.IdType;
import dev.tandem.net.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IkeSaPrinterTest {

    private static IkeEndpoint ep(String a, int port) {
        return new IkeEndpoint(IpAddress.parse(a).orElseThrow(), port);
    }

    @Test
    void nothingWithoutSas() {
        assertThat(IkeSaPrinter.render(null)).isEmpty();
        assertThat(IkeSaPrinter.render(new IkeStatus(List.of(), List.of(), Map.of("received", 3L), false)))
                .isEmpty();
    }

    @Test
    void oneLinePerSa() {
        IkeStatus s = new IkeStatus(
                List.of(new Phase1Status("peer-198.51.100.10", ep("192.0.2.1", 4500), ep("198.51.100.10", 4500),
                                "a1b2c3d4e5f60718", "0102030405060708", "ESTABLISHED", true, ExchangeMode.MAIN,
                                "AES-256/SHA2-256/MODP2048", 120, 3600, true,
                                new Identity(IdType.FQDN, "gw2.example")),
                        new Phase1Status("peer-default", ep("192.0.2.1", 500), ep("203.0.113.7", 500),
                                "1111111111111111", "0000000000000000", "MM_SA", false, ExchangeMode.AGGRESSIVE,
                                "AES-128/SHA/MODP3072", 1, 3600, false, null)),
                List.of(new Phase2Status("from-10.1.0.0/24-to-10.2.0.0/24", "a1b2c3d4e5f60718:0102030405060708",
                        0x12345678, 0x9abcdef0, "aes-256-gcm", true, 30, 1200)),
                Map.of(), false);
        assertThat(IkeSaPrinter.render(s)).isEqualTo("""

                IKE SAs:
                phase 1 peer-198.51.100.10 main 192.0.2.1:4500 -> 198.51.100.10:4500 initiator \
                cookies a1b2c3d4e5f60718:0102030405060708 AES-256/SHA2-256/MODP2048 established 120s/3600s nat-t \
                remote-id FQDN/gw2.example
                phase 1 peer-default aggressive 192.0.2.1:500 -> 203.0.113.7:500 responder \
                cookies 1111111111111111:0000000000000000 AES-128/SHA/MODP3072 mm_sa 1s/3600s
                phase 2 from-10.1.0.0/24-to-10.2.0.0/24 spi in 0x12345678 out 0x9abcdef0 aes-256-gcm pfs \
                30s/1200s cookies a1b2c3d4e5f60718:0102030405060708
                """);
    }
}
