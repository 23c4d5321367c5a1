package dev.tandem.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentificationTest {

    private static IpNet net(String s) {
        IpAddress.Net n = IpAddress.parseV4Net(s).orElseThrow();
        return new IpNet(n.address(), n.bits());
    }

    @Test
    void subnetIsAddressThenMask() {
        Payload.Identification id = Payload.Identification.of(net("10.1.0.0/16"), 0, 0);
        assertThat(id.idType()).isEqualTo(IdType.IPV4_ADDR_SUBNET.code());
        assertThat(HexFormat.of().formatHex(id.data())).isEqualTo("0a010000ffff0000");
        assertThat(id.net()).contains(net("10.1.0.0/16"));
    }

    @Test
    void hostIsABareAddressOfEitherFamily() throws Exception {
        Payload.Identification v4 = Payload.Identification.of(IpNet.host(IpAddress.parse("192.0.2.7").orElseThrow()), 17, 500);
        assertThat(v4.idType()).isEqualTo(IdType.IPV4_ADDR.code());
        assertThat(v4.data()).containsExactly(192, 0, 2, 7);
        IpNet v6net = new IpNet(IpAddress.parse("2001:db8::").orElseThrow(), 48);
        Payload.Identification v6 = Payload.Identification.of(v6net, 6, 443);
        assertThat(v6.idType()).isEqualTo(IdType.IPV6_ADDR_SUBNET.code());
        List<Payload> back = PayloadChain.decode(5, PayloadChain.encode(List.of(v4, v6)));
        assertThat(((Payload.Identification) back.get(0)).net()).contains(IpNet.host(IpAddress.parse("192.0.2.7").orElseThrow()));
        assertThat(((Payload.Identification) back.get(1)).net()).contains(v6net);
        assertThat(((Payload.Identification) back.get(1)).port()).isEqualTo(443);
    }

    @Test
    void namesAndOddMasksHaveNoNet() {
        assertThat(new Payload.Identification(IdType.FQDN.code(), 0, 0, "a.example".getBytes()).net()).isEmpty();
        assertThat(new Payload.Identification(IdType.IPV4_ADDR_SUBNET.code(), 0, 0,
                new byte[] {10, 0, 0, 0, (byte) 255, 0, (byte) 255, 0}).net()).isEmpty();
        assertThat(new Payload.Identification(IdType.IPV4_ADDR_RANGE.code(), 0, 0, new byte[8]).net()).isEmpty();
    }

    @Test
    void payloadsPrintTheirBodyInHex() {
        assertThat(new Payload.Nonce(new byte[] {1, (byte) 0xab}).toString()).isEqualTo("Nonce[type=10, body=01ab]");
    }
}
