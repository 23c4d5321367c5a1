package dev.tandem.dataplane.offload;

import dev.tandem.net.Checksums;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: these words sum to ddf2
        byte[] b = Wire.bytes("0001f203f4f5f6f7");
        assertThat(Checksums.fold(Checksums.add(b, 0, b.length, 0))).isEqualTo(0xddf2);
        assertThat(Checksums.checksum(b, 0, b.length)).isEqualTo(~0xddf2 & 0xffff);
    }

    @Test
    void ipv4HeaderExample() {
        byte[] header = Wire.bytes("450000730000400040110000c0a80001c0a800c7");
        assertThat(Checksums.checksum(header, 0, 20)).isEqualTo(0xb861);
        Wire.put16(header, 10, 0xb861);
        assertThat(Checksums.checksum(header, 0, 20)).isZero();
    }

    @Test
    void agreesWithThePlainLoopAtEveryOffsetAndLength() {
        Random r = new Random(1071);
        byte[] b = new byte[300];
        for (int round = 0; round < 20; round++) {
            r.nextBytes(b);
            for (int off = 0; off < 17; off++) {
                for (int len = 0; len <= 260; len++) {
                    int expected = Wire.checksum(Arrays.copyOfRange(b, off, off + len));
                    assertThat(Checksums.checksum(b, off, len)).as("off %d len %d", off, len).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void piecesAddUp() {
        Random r = new Random(7);
        byte[] b = new byte[2000];
        r.nextBytes(b);
        long whole = Checksums.add(b, 3, 1501, 0);
        long pieces = Checksums.add(b, 3 + 1000, 501, Checksums.add(b, 3 + 40, 960, Checksums.add(b, 3, 40, 0)));
        assertThat(Checksums.fold(pieces)).isEqualTo(Checksums.fold(whole));
    }

    @Test
    void largestPacketOfOnesDoesNotOverflow() {
        byte[] b = new byte[65_535];
        Arrays.fill(b, (byte) 0xff);
        assertThat(Checksums.fold(Checksums.add(b, 0, 65_534, 0))).isEqualTo(0xffff);
        assertThat(Checksums.checksum(b, 0, 65_534)).isZero();
        // the odd last byte counts as ff00
        assertThat(Checksums.checksum(b, 0, 65_535)).isEqualTo(Wire.checksum(b)).isEqualTo(0x00ff);
    }

    @Test
    void foldNeverGivesZeroForANonzeroSum() {
        assertThat(Checksums.fold(0)).isZero();
        assertThat(Checksums.fold(0xffff)).isEqualTo(0xffff);
        assertThat(Checksums.fold(0x1fffe)).isEqualTo(0xffff);
        assertThat(Checksums.fold(0xffff_ffffL)).isEqualTo(0xffff);
        assertThat(Checksums.fold(0x1_0000_0000L)).isEqualTo(1);
    }

    @Test
    void pseudoHeadersMatchTheRfcLayout() {
        Wire.Segment s4 = Wire.Segment.v4();
        s4.payload = new byte[333];
        byte[] p4 = s4.build();
        assertThat(Checksums.complement(Checksums.pseudoHeader(p4, 0, false, 6, p4.length - 20)))
                .isEqualTo(Wire.checksum(Wire.pseudoHeader(p4, 20, p4.length - 20)));
        Wire.Segment s6 = Wire.Segment.v6();
        s6.udp = true;
        s6.payload = new byte[1001];
        byte[] p6 = s6.build();
        assertThat(Checksums.complement(Checksums.pseudoHeader(p6, 0, true, 17, p6.length - 40)))
                .isEqualTo(Wire.checksum(Wire.pseudoHeader(p6, 40, p6.length - 40)));
    }
}
