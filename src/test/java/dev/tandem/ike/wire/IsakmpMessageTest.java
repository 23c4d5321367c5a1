package dev.tandem.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsakmpMessageTest {

    /** Main mode message 1, written out field by field after RFC 2408 §3.1-§3.6 and §3.16. */
    private static final String MAIN_MODE_1 = String.join("",
            // ISAKMP header: initiator cookie, responder cookie (zero in message 1)
            "0102030405060708", "0000000000000000",
            // next payload SA (1), version 1.0, exchange 2 (identity protection), flags 0
            "01", "10", "02", "00",
            // message id 0, length 28 + 60 + 20 = 108
            "00000000", "0000006c",
            // SA: next payload VID (13), reserved, length 60; DOI 1 (IPsec), situation SIT_IDENTITY_ONLY
            "0d", "00", "003c", "00000001", "00000001",
            // proposal: last (0), reserved, length 48; #1, PROTO_ISAKMP, SPI size 0, 1 transform
            "00", "00", "0030", "01", "01", "00", "01",
            // transform: last (0), reserved, length 40; #1, KEY_IKE, reserved2
            "00", "00", "0028", "01", "01", "0000",
            // TV attributes: encryption AES-CBC (7), key length 128, hash SHA (2), auth pre-shared (1),
            // group 14, life type seconds
            "80010007", "800e0080", "80020002", "80030001", "8004000e", "800b0001",
            // TLV attribute: life duration, 4 octets, 28800
            "000c0004", "00007080",
            // Vendor ID: last (0), reserved, length 20, RFC 3947 NAT-T
            "00", "00", "0014", "4a131c81070358455c5728f20e95452f");

    @Test
    void mainModeOneEncodesToTheKnownAnswer() {
        assertThat(HexFormat.of().formatHex(IsakmpSamples.mainMode1().encode())).isEqualTo(MAIN_MODE_1);
    }

    @Test
    void knownAnswerDecodesToTheFieldsWritten() throws Exception {
        IsakmpMessage m = IsakmpMessage.decode(HexFormat.of().parseHex(MAIN_MODE_1));
        IsakmpHeader h = m.header();
        assertThat(h.initiatorCookie()).isEqualTo(IsakmpSamples.I_COOKIE);
        assertThat(h.responderCookie()).isZero();
        assertThat(h.nextPayload()).isEqualTo(PayloadType.SECURITY_ASSOCIATION.code());
        assertThat(h.majorVersion()).isEqualTo(1);
        assertThat(h.minorVersion()).isZero();
        assertThat(ExchangeType.of(h.exchangeType())).contains(ExchangeType.IDENTITY_PROTECTION);
        assertThat(h.length()).isEqualTo(108);
        assertThat(m.payloads()).hasSize(2);
        Payload.SecurityAssociation sa = (Payload.SecurityAssociation) m.payloads().get(0);
        assertThat(sa.doi()).isEqualTo(1);
        Proposal p = sa.proposals().getFirst();
        assertThat(p.protocolId()).isEqualTo(ProtocolId.ISAKMP.code());
        assertThat(p.spi()).isEmpty();
        Transform t = p.transforms().getFirst();
        assertThat(t.attributes()).hasSize(7);
        DataAttribute life = t.attributes().get(6);
        assertThat(life.basic()).isFalse();
        assertThat(life.type()).isEqualTo(Phase1Attribute.LIFE_DURATION.code());
        assertThat(life.numeric()).hasValue(28800);
        assertThat(t.attributes().get(4)).isEqualTo(DataAttribute.basic(Phase1Attribute.GROUP_DESCRIPTION.code(), 14));
        assertThat(m.payloads().get(1)).isEqualTo(new Payload.VendorId(IsakmpSamples.RFC3947_VID));
        assertThat(m.payloads()).isEqualTo(IsakmpSamples.mainMode1().payloads());
    }

    @Test
    void everySampleRoundTrips() throws Exception {
        for (IsakmpMessage m : IsakmpSamples.plaintext()) {
            byte[] wire = m.encode();
            IsakmpMessage back = IsakmpMessage.decode(wire);
            assertThat(back.payloads()).as("payloads of exchange %d", m.header().exchangeType())
                    .isEqualTo(m.payloads());
            assertThat(back.header()).isEqualTo(m.header().withChain(PayloadChain.firstType(m.payloads()),
                    wire.length));
            assertThat(back.encode()).isEqualTo(wire);
        }
    }

    @Test
    void headerFlagsAndMessageIdSurvive() throws Exception {
        IsakmpHeader h = new IsakmpHeader(-1L, Long.MIN_VALUE, 0, 1, 0, ExchangeType.INFORMATIONAL.code(),
                IsakmpHeader.FLAG_COMMIT | IsakmpHeader.FLAG_AUTH_ONLY | 0x80, 0xffffffffL, 0);
        IsakmpMessage back = IsakmpMessage.decode(new IsakmpMessage(h, List.of()).encode());
        assertThat(back.header()).isEqualTo(h.withChain(0, 28));
        assertThat(back.header().commit()).isTrue();
        assertThat(back.header().authOnly()).isTrue();
        assertThat(back.header().encrypted()).isFalse();
        assertThat(back.payloads()).isEmpty();
    }

    @Test
    void encryptedQuickModeGoesThroughHeaderAndChainSeparately() throws Exception {
        IsakmpMessage q = IsakmpSamples.quick1();
        byte[] chain = PayloadChain.encode(q.payloads());
        // stand-in for the caller's cipher: pad to 16 with the pad length last, as RFC 2409 §5.3 allows
        int pad = 16 - chain.length % 16;
        byte[] padded = Arrays.copyOf(chain, chain.length + pad);
        padded[padded.length - 1] = (byte) (pad - 1);
        byte[] header = IsakmpMessage.encryptedHeader(q.header(), q.payloads(), padded.length);
        byte[] datagram = concat(header, padded);

        IsakmpHeader h = IsakmpMessage.decodeHeader(datagram);
        assertThat(h.encrypted()).isTrue();
        assertThat(h.nextPayload()).isEqualTo(PayloadType.HASH.code());
        assertThat(h.messageId()).isEqualTo(0x9abcdef0L);
        assertThat(h.length()).isEqualTo(datagram.length);
        assertThatThrownBy(() -> IsakmpMessage.decode(datagram)).isInstanceOf(MalformedIsakmp.class)
                .extracting(e -> ((MalformedIsakmp) e).field()).isEqualTo("header.flags");

        byte[] body = Arrays.copyOfRange(datagram, IsakmpHeader.SIZE, datagram.length);
        assertThat(PayloadChain.decodePadded(h.nextPayload(), body)).isEqualTo(q.payloads());
        assertThatThrownBy(() -> PayloadChain.decode(h.nextPayload(), body)).isInstanceOf(MalformedIsakmp.class)
                .extracting(e -> ((MalformedIsakmp) e).field()).isEqualTo("trailing");
        assertThat(PayloadChain.decode(h.nextPayload(), chain)).isEqualTo(q.payloads());
    }

    @Test
    void unknownPayloadTypeIsPreservedInTheChain() throws Exception {
        Payload.Unknown odd = new Payload.Unknown(130, new byte[] {9, 8, 7});
        IsakmpMessage m = new IsakmpMessage(IsakmpSamples.mainMode3().header(),
                List.of(new Payload.Nonce(new byte[] {1}), odd, new Payload.VendorId(new byte[] {2})));
        byte[] wire = m.encode();
        // the nonce announces type 130 and the unknown payload announces the vendor ID
        assertThat(wire[28] & 0xff).isEqualTo(130);
        IsakmpMessage back = IsakmpMessage.decode(wire);
        assertThat(back.payloads()).containsExactly(new Payload.Nonce(new byte[] {1}), odd,
                new Payload.VendorId(new byte[] {2}));
        assertThat(((Payload.Unknown) back.payloads().get(1)).body()).containsExactly(9, 8, 7);
        assertThatThrownBy(() -> new Payload.Unknown(PayloadType.NONCE.code(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownCodesOfEnumsStayRaw() throws Exception {
        Payload.Notification n = new Payload.Notification(0, 77, new byte[0], 40000, new byte[] {1});
        Payload.Identification id = new Payload.Identification(200, 0, 0, new byte[] {1, 2, 3});
        IsakmpMessage m = new IsakmpMessage(IsakmpHeader.of(1, 2, 240, 0, 7), List.of(n, id));
        IsakmpMessage back = IsakmpMessage.decode(m.encode());
        assertThat(back.payloads()).containsExactly(n, id);
        assertThat(ExchangeType.of(back.header().exchangeType())).isEmpty();
        assertThat(NotifyType.of(40000)).isEmpty();
        assertThat(NotifyType.of(36137)).contains(NotifyType.R_U_THERE_ACK);
        assertThat(PayloadType.of(21)).contains(PayloadType.NAT_OA);
    }

    @Test
    void constructorsRefuseWhatCannotBeEncoded() {
        assertThatThrownBy(() -> new Payload.Identification(IdType.IPV4_ADDR.code(), 0, 0, new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payload.NatOriginalAddress(IdType.FQDN.code(), new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payload.Delete(1, 3, 4, List.of(new byte[3])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Proposal(1, 1, new byte[0], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IsakmpMessage(IsakmpSamples.mainMode3().header(),
                List.of(new Payload.KeyExchange(new byte[70000]))).encode())
                .isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
