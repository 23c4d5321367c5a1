package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.net.IpAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The IPv4 header as a raw socket delivers it, and every way it can fail to hold together. */
class Ipv4DatagramTest {

    /** 10.0.0.1 -> 224.0.0.18, TTL 255, protocol 112, DF, 4 payload bytes; header checksum irrelevant here. */
    private static byte[] packet(int ihlWords, int payload) {
        int header = ihlWords * 4;
        byte[] b = new byte[header + payload];
        b[0] = (byte) (0x40 | ihlWords);
        b[1] = 0x10;
        int total = b.length;
        b[2] = (byte) (total >>> 8);
        b[3] = (byte) total;
        b[6] = 0x40;
        b[8] = (byte) 255;
        b[9] = 112;
        System.arraycopy(new byte[] {10, 0, 0, 1}, 0, b, 12, 4);
        System.arraycopy(new byte[] {(byte) 224, 0, 0, 18}, 0, b, 16, 4);
        for (int i = header; i < b.length; i++) {
            b[i] = (byte) (i * 3);
        }
        return b;
    }

    @Test
    void readsAddressesTtlProtocolAndPayload() throws Exception {
        byte[] b = packet(5, 36);
        Ipv4Datagram d = Ipv4Datagram.decode(b, b.length);
        assertThat(d.source()).isEqualTo(IpAddress.parse("10.0.0.1").orElseThrow());
        assertThat(d.destination()).isEqualTo(IpAddress.parse("224.0.0.18").orElseThrow());
        assertThat(d.ttl()).isEqualTo(255);
        assertThat(d.protocol()).isEqualTo(112);
        assertThat(d.payload()).isEqualTo(Arrays.copyOfRange(b, 20, 56));
    }

    @Test
    void skipsOptions() throws Exception {
        byte[] b = packet(6, 8);
        Ipv4Datagram d = Ipv4Datagram.decode(b, b.length);
        assertThat(d.payload()).isEqualTo(Arrays.copyOfRange(b, 24, 32));
    }

    @Test
    void payloadEndsAtTheTotalLengthNotTheBuffer() throws Exception {
        byte[] b = Arrays.copyOf(packet(5, 4), 64);
        Ipv4Datagram d = Ipv4Datagram.decode(b, 40);
        assertThat(d.payload()).hasSize(4);
    }

    @Test
    void ttlIsUnsigned() throws Exception {
        byte[] b = packet(5, 0);
        b[8] = (byte) 0x80;
        assertThat(Ipv4Datagram.decode(b, b.length).ttl()).isEqualTo(128);
    }

    @Test
    void tooShortForAHeader() {
        byte[] b = packet(5, 0);
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, 19)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("19 bytes");
    }

    @Test
    void lengthBeyondTheBuffer() {
        byte[] b = packet(5, 0);
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, 21)).isInstanceOf(MalformedPacket.class);
    }

    @Test
    void notVersion4() {
        byte[] b = packet(5, 4);
        b[0] = 0x65;
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, b.length)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("version 6");
    }

    @Test
    void headerLengthBelowTheMinimum() {
        byte[] b = packet(5, 4);
        b[0] = 0x44;
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, b.length)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("IHL 16");
    }

    @Test
    void headerLengthBeyondThePacket() {
        byte[] b = packet(5, 4);
        b[0] = 0x4f;
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, b.length)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("IHL 60");
    }

    @Test
    void totalLengthShorterThanTheHeader() {
        byte[] b = packet(5, 4);
        b[2] = 0;
        b[3] = 19;
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, b.length)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("total length 19");
    }

    @Test
    void totalLengthBeyondWhatArrived() {
        byte[] b = packet(5, 4);
        b[3] = 25;
        assertThatThrownBy(() -> Ipv4Datagram.decode(b, b.length)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("total length 25");
    }

    @Test
    void arbitraryBytesNeverThrowUnchecked() {
        Random random = new Random(112);
        int ok = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(80)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = (byte) (0x40 | (b[0] & 0x0f));
            }
            int len = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            try {
                Ipv4Datagram.decode(b, len);
                ok++;
            } catch (MalformedPacket e) {
                assertThat(e.getMessage()).as(HexFormat.of().formatHex(b)).startsWith("IPv4 header:");
            }
        }
        assertThat(ok).as("some random packets are well formed").isPositive();
    }
}
