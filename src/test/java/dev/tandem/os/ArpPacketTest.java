package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.net.IpAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The RFC 5227 ARP Announcement as sent through an AF_PACKET datagram socket. */
class ArpPacketTest {

    @Test
    void announcementIsARequestFromAndForTheVip() {
        byte[] mac = HexFormat.of().parseHex("02aabbccddee");
        IpAddress vip = IpAddress.parse("192.0.2.100").orElseThrow();
        byte[] b = ArpPacket.announcement(mac, vip).encode();
        // htype 1, ptype 0x0800, hlen 6, plen 4, op 1 (request), sha, spa, tha 0, tpa = spa
        assertThat(HexFormat.of().formatHex(b)).isEqualTo(
                "0001" + "0800" + "06" + "04" + "0001"
                        + "02aabbccddee" + "c0000264"
                        + "000000000000" + "c0000264");
        assertThat(b).hasSize(ArpPacket.LENGTH);
    }

    @Test
    void replyOpcode() {
        byte[] mac = new byte[6];
        IpAddress a = IpAddress.parse("10.0.0.1").orElseThrow();
        byte[] b = new ArpPacket(ArpPacket.REPLY, mac, a, mac, a).encode();
        assertThat(b[6]).isZero();
        assertThat(b[7]).isEqualTo((byte) 2);
    }

    @Test
    void onlyIpv4AndSixByteMacs() {
        IpAddress v6 = IpAddress.parse("2001:db8::1").orElseThrow();
        IpAddress v4 = IpAddress.parse("10.0.0.1").orElseThrow();
        assertThatThrownBy(() -> ArpPacket.announcement(new byte[6], v6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArpPacket.announcement(new byte[8], v4)).isInstanceOf(IllegalArgumentException.class);
    }
}
