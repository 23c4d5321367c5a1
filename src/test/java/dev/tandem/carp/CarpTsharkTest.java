package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.esp.Pcap;
import dev.tandem.esp.Tshark;
import dev.tandem.net.IpAddress;
import dev.tandem.testing.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent reading of what Tandem sends: Wireshark's CARP dissector
 * must find every field where we meant it, accept our checksum and notice a
 * corrupted one.
 */
class CarpTsharkTest {

    static final dev.tandem.net.IpAddress SRC = dev.tandem.net.IpAddress.parse("192.0.2.1").orElseThrow();

    @BeforeAll
    static void needsTshark() {
        Needs.need(Files.isExecutable(Path.of("/usr/bin/tshark")),
                "tshark is not installed (apt-get install tshark; .ci/run installs it)");
    }

    @Test
    void wiresharkDecodesOurAdvertisements(@TempDir Path dir) throws Exception {
        List<IpAddress> vips = List.of(IpAddress.parse("192.0.2.10").orElseThrow());
        CarpAuth auth = CarpAuth.openBsd(CarpKey.fromPass("s3cret"));
        List<CarpAdvertisement> ads = List.of(
                auth.sign(new CarpAdvertisement(1, 0, 0, 1, auth.nextCounter(), new byte[20]), SRC, vips),
                auth.sign(new CarpAdvertisement(42, 100, 7, 3, 0x0102030405060708L, new byte[20]), SRC, vips),
                auth.sign(new CarpAdvertisement(255, 255, 255, 255, -2L, new byte[20]), SRC, vips),
                CarpAuth.strict("a long strict passphrase", 200, () -> 1_767_225_600_000_000L)
                        .sign(new CarpAdvertisement(200, 17, 128, 0, 1_767_225_600_000_000L, new byte[20]), SRC, vips));
        List<byte[]> packets = new ArrayList<>();
        for (CarpAdvertisement ad : ads) {
            packets.add(CarpIp4.packet("192.0.2.1", "224.0.0.18", ad.encode()));
        }
        byte[] corrupt = packets.get(1).clone();
        corrupt[corrupt.length - 1] ^= 0x40;
        packets.add(corrupt);
        Path pcap = dir.resolve("carp.pcap");
        Pcap.write(pcap, packets);

        List<String> lines = tshark(pcap, "ip.ttl", "ip.proto", "ip.dst", "ip.checksum.status", "carp.version",
                "carp.type", "carp.vhid", "carp.advskew", "carp.authlen", "carp.demotion", "carp.adver_int",
                "carp.checksum.status", "carp.counter", "carp.hmac");
        assertThat(lines).hasSize(ads.size() + 1);
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < ads.size(); i++) {
            CarpAdvertisement ad = ads.get(i);
            assertThat(lines.get(i).split(",", -1)).as("advertisement %d: %s", i, ad).containsExactly(
                    "255", "112", "224.0.0.18", "1", "2", "1", Integer.toString(ad.vhid()),
                    Integer.toString(ad.advskew()), "7", Integer.toString(ad.demote()), Integer.toString(ad.advbase()),
                    "1", Long.toUnsignedString(ad.counter()), hex.formatHex(ad.md()));
        }
        String[] bad = lines.getLast().split(",", -1);
        assertThat(bad[11]).as("checksum status of the corrupted one").isEqualTo("0");
        assertThat(bad[6]).isEqualTo("42");
    }

    private static List<String> tshark(Path pcap, String... fields) throws IOException, InterruptedException {
        return Tshark.fields(pcap, List.of("-o", "ip.check_checksum:TRUE", "-d", "ip.proto==112,carp",
                "-E", "separator=,"), fields);
    }
}
