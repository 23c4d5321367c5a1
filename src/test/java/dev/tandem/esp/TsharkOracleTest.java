package dev.tandem.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Needs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An independent check of Tandem's ESP: Wireshark's dissector, given the SA
 * keys, must verify the ICV and decrypt packets Tandem produced back to the
 * original inner packet, for each algorithm, over raw ESP and ESP-in-UDP.
 */
class TsharkOracleTest {

    static final String SRC = "192.0.2.1";
    static final String DST = "192.0.2.2";

    @BeforeAll
    static void needsTshark() {
        Needs.need(Files.isExecutable(Path.of("/usr/bin/tshark")),
                "tshark is not installed (apt-get install tshark; .ci/run installs it)");
    }

    /** A transform with its names in Wireshark's ESP SA table. */
    record Case(String name, EspTransform transform, String wiresharkEnc, String wiresharkAuth) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                new Case("aes-128-gcm", new EspTransform.AesGcm(16), "AES-GCM with 16 octet ICV [RFC4106]", "NULL"),
                new Case("aes-256-gcm", new EspTransform.AesGcm(32), "AES-GCM with 16 octet ICV [RFC4106]", "NULL"),
                new Case("aes-128-cbc hmac-sha1-96", new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA1_96),
                        "AES-CBC [RFC3602]", "HMAC-SHA-1-96 [RFC2404]"),
                new Case("aes-256-cbc hmac-sha2-256-128", new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_256_128),
                        "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"),
                new Case("aes-128-cbc hmac-sha2-384-192", new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_384_192),
                        "AES-CBC [RFC3602]", "HMAC-SHA-384-192 [RFC4868]"),
                new Case("aes-128-cbc hmac-sha2-512-256", new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_512_256),
                        "AES-CBC [RFC3602]", "HMAC-SHA-512-256 [RFC4868]"),
                new Case("null hmac-sha2-256-128", new EspTransform.NullHmac(Integrity.HMAC_SHA2_256_128),
                        "NULL", "HMAC-SHA-256-128 [RFC4868]"));
        List<Arguments> args = new ArrayList<>();
        for (Case c : cases) {
            args.add(Arguments.of(c, false));
            args.add(Arguments.of(c, true));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} udp={1}")
    @MethodSource("cases")
    void wiresharkVerifiesAndDecryptsWhatTandemSends(Case c, boolean udp, @TempDir Path dir) throws Exception {
        EspKeys keys = EspEngineTest.keys(c.transform(), 42);
        EspEngine engine = new EspEngine();
        int spi = 0x0000_1001;
        List<byte[]> packets = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            String text = "tandem-oracle-" + c.name().replace(' ', '_') + "-" + seq + "-" + "x".repeat(seq * 37);
            payloads.add(text);
            byte[] inner = Ip4.udp("10.1.0.5", "10.2.0.7", 5000, 6000, text.getBytes(StandardCharsets.US_ASCII));
            byte[] esp = new byte[EspEngine.sealedLength(c.transform(), inner.length)];
            int n = engine.seal(keys, spi, seq, false, inner, 0, inner.length, 4, esp, 0);
            packets.add(udp ? Ip4.udp(SRC, DST, 4500, 4500, esp) : Ip4.packet(SRC, DST, 50, esp, n));
        }
        // a sixth packet with its last ICV byte flipped: the oracle must notice
        byte[] tampered = packets.getLast().clone();
        tampered[tampered.length - 1] ^= 1;
        packets.add(tampered);
        Path pcap = dir.resolve("esp.pcap");
        Pcap.write(pcap, packets);

        HexFormat hex = HexFormat.of();
        String sa = String.format("\"IPv4\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"0x%s\"", SRC, DST, spi,
                c.wiresharkEnc(), hex.formatHex(keys.encKeyBytes()), c.wiresharkAuth(),
                hex.formatHex(keys.authKeyBytes()));
        List<String> lines = tshark(pcap, udp, sa, "esp.spi", "esp.sequence", "esp.icv_good", "ip.src", "ip.dst",
                "udp.payload");
        assertThat(lines).hasSize(6);
        assertThat(lines.getLast().split("\t", -1)[2]).as("tampered ICV").isNotEqualTo("1");
        for (int i = 0; i < 5; i++) {
            String[] f = lines.get(i).split("\t", -1);
            assertThat(f[0]).isEqualTo("0x00001001");
            assertThat(f[1]).isEqualTo(Integer.toString(i + 1));
            assertThat(f[2]).as("ICV verified by Wireshark").isEqualTo("1");
            // the decrypted inner packet: addresses and payload as sent
            assertThat(f[3]).contains("10.1.0.5");
            assertThat(f[4]).contains("10.2.0.7");
            assertThat(f[5]).contains(hex.formatHex(payloads.get(i).getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private static List<String> tshark(Path pcap, boolean udp, String sa, String... fields)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE", "-o", "uat:esp_sa:" + sa,
                "-E", "occurrence=a", "-E", "aggregator=,"));
        if (udp) {
            options.addAll(List.of("-o", "udp.try_heuristic_first:FALSE", "-d", "udp.port==4500,udpencap"));
        }
        return Tshark.fields(pcap, options, fields);
    }

    /** IPv4 packets for the capture. */
    static final class Ip4 {
        static byte[] packet(String src, String dst, int proto, byte[] payload, int len) {
            byte[] p = new byte[20 + len];
            ByteBuffer b = ByteBuffer.wrap(p);
            b.put((byte) 0x45).put((byte) 0).putShort((short) p.length).putInt(0).put((byte) 64).put((byte) proto)
                    .putShort((short) 0).put(addr(src)).put(addr(dst));
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            p[10] = (byte) (~sum >>> 8);
            p[11] = (byte) ~sum;
            System.arraycopy(payload, 0, p, 20, len);
            return p;
        }

        static byte[] udp(String src, String dst, int sport, int dport, byte[] payload) {
            byte[] u = new byte[8 + payload.length];
            ByteBuffer.wrap(u).putShort((short) sport).putShort((short) dport).putShort((short) u.length)
                    .putShort((short) 0).put(payload);
            return packet(src, dst, 17, u, u.length);
        }

        static byte[] addr(String s) {
            String[] p = s.split("\\.");
            return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
                (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
        }
    }
}
