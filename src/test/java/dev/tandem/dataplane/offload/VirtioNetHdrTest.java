package dev.tandem.dataplane.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtioNetHdrTest {

    @Test
    void readsTheKernelsLittleEndianLayout() {
        // flags, gso_type, hdr_len, gso_size, csum_start, csum_offset: a TSOv4 packet with timestamps
        byte[] b = Wire.bytes("ff" + "01" + "01" + "42" + "00" + "a8" + "05" + "14" + "00" + "10" + "00");
        VirtioNetHdr h = VirtioNetHdr.read(b, 1);
        assertThat(h).isEqualTo(new VirtioNetHdr(1, 1, 0x42, 0x05a8, 0x14, 0x10));
        assertThat(h.needsChecksum()).isTrue();
    }

    @Test
    void writesWhatItReads() {
        VirtioNetHdr h = new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV6 | VirtioNetHdr.GSO_ECN,
                0xfedc, 0x1234, 0xabcd, 0x8001);
        byte[] b = new byte[14];
        h.write(b, 3);
        assertThat(b).containsExactly(Wire.bytes("000000" + "01" + "84" + "dcfe" + "3412" + "cdab" + "0180" + "00"));
        assertThat(VirtioNetHdr.read(b, 3)).isEqualTo(h);
    }

    @Test
    void noneIsTenZeroBytes() {
        byte[] b = new byte[VirtioNetHdr.SIZE];
        java.util.Arrays.fill(b, (byte) 0x55);
        VirtioNetHdr.NONE.write(b, 0);
        assertThat(b).containsOnly(0);
        java.util.Arrays.fill(b, (byte) 0x55);
        VirtioNetHdr.writeNone(b, 0);
        assertThat(b).containsOnly(0);
        assertThat(VirtioNetHdr.read(b, 0)).isEqualTo(VirtioNetHdr.NONE);
    }

    @Test
    void fieldsMustFitTheirWidth() {
        assertThatThrownBy(() -> new VirtioNetHdr(256, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VirtioNetHdr(0, -1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VirtioNetHdr(0, 0, 0x10000, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VirtioNetHdr(0, 0, 0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new VirtioNetHdr(255, 255, 0xffff, 0xffff, 0xffff, 0xffff).gsoSize()).isEqualTo(0xffff);
    }
}
