package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strongSwan responder of bench/ike-negotiations: its tuning still lands in the files the lab writes. */
class IkeNegotiationsBenchTest {

    private final StrongSwanConfig config = StrongSwanConfig.ikev1(Path.of("/tmp/x"), "198.51.100.2", "%any",
            "10.2.0.0/24", "10.1.0.0/24", "secret");

    @Test
    void charonAcceptsManyPeersWithoutReplacingTheirSas() {
        String swanctl = IkeNegotiationsBench.tunedSwanctlConf(config);
        assertThat(swanctl).contains("        unique = never\n", "remote_addrs = %any")
                .doesNotContain("id-remote");
        assertThat(swanctl.lines().filter(l -> l.contains("unique")).count()).isEqualTo(1);
    }

    @Test
    void charonGetsABigIkeSaTableAndNoHalfOpenLimits() {
        String conf = IkeNegotiationsBench.tunedStrongswanConf(config);
        assertThat(conf).contains("ikesa_table_size = 1024", "init_limit_half_open = 0", "block_threshold = 1000");
        // the tuning is inside the charon section, before its plugins
        assertThat(conf.indexOf("ikesa_table_size")).isGreaterThan(conf.indexOf("charon {"))
                .isLessThan(conf.indexOf("plugins {"));
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(IkeNegotiationsBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(IkeNegotiationsBench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
