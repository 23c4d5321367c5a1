package dev.tandem.ike.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.ike.policy.Identity;
import dev.tandem.ike.wire.IdType;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import dev.tandem.ike.wire.PayloadType;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentitiesTest {

    private static final IpAddress LOCAL4 = IpAddress.parse("198.51.100.20").orElseThrow();
    private static final IpAddress LOCAL6 = IpAddress.parse("2001:db8::20").orElseThrow();

    private static Payload.Identification wire(Payload.Identification id) throws MalformedIsakmp {
        return (Payload.Identification) PayloadChain.decode(PayloadType.IDENTIFICATION.code(),
                PayloadChain.encode(List.of(id))).getFirst();
    }

    private static IpNet net(String s) {
        String[] p = s.split("/");
        IpAddress a = IpAddress.parse(p[0]).orElseThrow();
        return new IpNet(a, p.length == 1 ? a.bits() : Integer.parseInt(p[1]));
    }

    @Test
    void phase1IdentitiesOfEveryTypeRoundTrip() throws MalformedIsakmp {
        for (Identity id : List.of(new Identity(IdType.IPV4_ADDR, "192.0.2.7"),
                new Identity(IdType.IPV6_ADDR, "2001:db8::7"), new Identity(IdType.FQDN, "gw.example.org"),
                new Identity(IdType.USER_FQDN, "vpn@example.org"))) {
            Payload.Identification p = wire(Identities.phase1(id, LOCAL4));
            assertThat(p.idType()).isEqualTo(id.type().code());
            assertThat(p.protocolId()).isZero();
            assertThat(p.port()).isZero();
            assertThat(Identities.of(p)).isEqualTo(id);
        }
        assertThat(Identities.phase1(new Identity(IdType.FQDN, "gw.example.org"), LOCAL4).data())
                .isEqualTo("gw.example.org".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void withoutIdentityTheLocalAddressIsSent() throws MalformedIsakmp {
        Payload.Identification v4 = Identities.phase1(null, LOCAL4);
        assertThat(v4.idType()).isEqualTo(1);
        assertThat(v4.data()).isEqualTo(LOCAL4.octets());
        assertThat(Identities.of(v4)).isEqualTo(new Identity(IdType.IPV4_ADDR, "198.51.100.20"));
        Payload.Identification v6 = Identities.phase1(null, LOCAL6);
        assertThat(v6.idType()).isEqualTo(5);
        assertThat(Identities.of(v6)).isEqualTo(new Identity(IdType.IPV6_ADDR, "2001:db8::20"));
    }

    @Test
    void isakmpdsProtocolAndPortAreAccepted() throws MalformedIsakmp {
        Payload.Identification p = new Payload.Identification(1, 17, 500, LOCAL4.octets());
        assertThat(Identities.of(p)).isEqualTo(new Identity(IdType.IPV4_ADDR, "198.51.100.20"));
    }

    @Test
    void unsupportedOrBadPhase1IdentitiesAreMalformed() {
        assertField(new Payload.Identification(11, 0, 0, new byte[] {1, 2}), "id.type");
        assertField(new Payload.Identification(9, 0, 0, new byte[] {0x30, 0}), "id.type");
        assertField(new Payload.Identification(4, 0, 0, new byte[8]), "id.type");
        assertField(new Payload.Identification(2, 0, 0, new byte[0]), "id.data");
        assertField(new Payload.Identification(3, 0, 0, "a b@c".getBytes(StandardCharsets.US_ASCII)), "id.data");
        assertField(new Payload.Identification(2, 0, 0, new byte[] {'a', '\n'}), "id.data");
    }

    private static void assertField(Payload.Identification id, String field) {
        assertThatThrownBy(() -> Identities.of(id)).isInstanceOfSatisfying(MalformedIsakmp.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void clientIdsRoundTripForHostsAndNetworksOfBothFamilies() throws MalformedIsakmp {
        record Case(String net, int type) { }
        for (Case c : List.of(new Case("10.1.0.0/24", 4), new Case("10.1.0.5", 1), new Case("0.0.0.0/0", 4),
                new Case("2001:db8:1::/48", 6), new Case("2001:db8::5", 5), new Case("::/0", 6))) {
            Payload.Identification p = wire(Identities.client(net(c.net()), 6, 443));
            assertThat(p.idType()).as(c.net()).isEqualTo(c.type());
            assertThat(Identities.client(p)).isEqualTo(new Identities.ClientId(net(c.net()), 6, 443));
        }
        assertThat(HexFormat.of().formatHex(Identities.client(net("10.1.0.0/24"), 0, 0).data()))
                .isEqualTo("0a010000ffffff00");
    }

    @Test
    void rangesThatArePrefixesAreAccepted() throws MalformedIsakmp {
        Payload.Identification r4 = new Payload.Identification(7, 0, 0, HexFormat.of().parseHex("0a0100000a0100ff"));
        assertThat(Identities.client(r4).net()).isEqualTo(net("10.1.0.0/24"));
        Payload.Identification host = new Payload.Identification(7, 17, 53,
                HexFormat.of().parseHex("0a0100050a010005"));
        assertThat(Identities.client(host)).isEqualTo(new Identities.ClientId(net("10.1.0.5"), 17, 53));
        byte[] v6 = new byte[32];
        byte[] start = IpAddress.parse("2001:db8::").orElseThrow().octets();
        byte[] end = IpAddress.parse("2001:db8::ffff:ffff").orElseThrow().octets();
        System.arraycopy(start, 0, v6, 0, 16);
        System.arraycopy(end, 0, v6, 16, 16);
        assertThat(Identities.client(new Payload.Identification(8, 0, 0, v6)).net()).isEqualTo(net("2001:db8::/96"));
    }

    @Test
    void otherClientIdsAreMalformed() {
        assertClientField(new Payload.Identification(7, 0, 0, HexFormat.of().parseHex("0a0100010a0100ff")), "id.data");
        assertClientField(new Payload.Identification(7, 0, 0, HexFormat.of().parseHex("0a0100ff0a010000")), "id.data");
        assertClientField(new Payload.Identification(4, 0, 0, HexFormat.of().parseHex("0a010000ff00ff00")), "id.data");
        assertClientField(new Payload.Identification(2, 0, 0, "gw.example.org".getBytes(StandardCharsets.US_ASCII)),
                "id.type");
    }

    private static void assertClientField(Payload.Identification id, String field) {
        assertThatThrownBy(() -> Identities.client(id)).isInstanceOfSatisfying(MalformedIsakmp.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
