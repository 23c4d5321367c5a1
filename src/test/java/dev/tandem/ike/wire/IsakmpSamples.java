package dev.tandem.ike.wire;

import java.util.HexFormat;
import java.util.List;

/** Realistic IKEv1 messages built by hand after the RFC layouts, shared by the tests and the fuzzer. */
final class IsakmpSamples {

    static final long I_COOKIE = 0x0102030405060708L;
    static final long R_COOKIE = 0x1112131415161718L;
    static final byte[] RFC3947_VID = HexFormat.of().parseHex("4a131c81070358455c5728f20e95452f");

    private IsakmpSamples() {
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + 7 * i);
        }
        return b;
    }

    /** KEY_IKE with AES-128-CBC, SHA-1, pre-shared key, MODP group 14, 28800 s as a 4-octet TLV. */
    static Transform ikeTransform() {
        return new Transform(1, 1, List.of(
                DataAttribute.basic(Phase1Attribute.ENCRYPTION_ALGORITHM.code(), 7),
                DataAttribute.basic(Phase1Attribute.KEY_LENGTH.code(), 128),
                DataAttribute.basic(Phase1Attribute.HASH_ALGORITHM.code(), 2),
                DataAttribute.basic(Phase1Attribute.AUTHENTICATION_METHOD.code(), 1),
                DataAttribute.basic(Phase1Attribute.GROUP_DESCRIPTION.code(), 14),
                DataAttribute.basic(Phase1Attribute.LIFE_TYPE.code(), 1),
                DataAttribute.variable(Phase1Attribute.LIFE_DURATION.code(), new byte[] {0, 0, 0x70, (byte) 0x80})));
    }

    static Payload.SecurityAssociation phase1Sa() {
        return new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, ProtocolId.ISAKMP.code(), new byte[0], List.of(ikeTransform()))));
    }

    /** Main mode, message 1: SA and the NAT-T vendor ID; the known answer of the tests. */
    static IsakmpMessage mainMode1() {
        return new IsakmpMessage(IsakmpHeader.of(I_COOKIE, 0, ExchangeType.IDENTITY_PROTECTION.code(), 0, 0),
                List.of(phase1Sa(), new Payload.VendorId(RFC3947_VID)));
    }

    /** Main mode, message 3: KE, nonce and two NAT-D hashes. */
    static IsakmpMessage mainMode3() {
        return new IsakmpMessage(IsakmpHeader.of(I_COOKIE, R_COOKIE, ExchangeType.IDENTITY_PROTECTION.code(), 0, 0),
                List.of(new Payload.KeyExchange(bytes(256, 1)), new Payload.Nonce(bytes(32, 2)),
                        new Payload.NatDiscovery(bytes(20, 3)), new Payload.NatDiscovery(bytes(20, 4))));
    }

    /** Aggressive mode, message 1: two proposals, KE, nonce, FQDN identity, vendor IDs. */
    static IsakmpMessage aggressive1() {
        Transform t2 = new Transform(2, 1, List.of(
                DataAttribute.basic(Phase1Attribute.ENCRYPTION_ALGORITHM.code(), 5),
                DataAttribute.basic(Phase1Attribute.HASH_ALGORITHM.code(), 1),
                DataAttribute.basic(Phase1Attribute.AUTHENTICATION_METHOD.code(), 1),
                DataAttribute.basic(Phase1Attribute.GROUP_DESCRIPTION.code(), 2)));
        Payload.SecurityAssociation sa = new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, ProtocolId.ISAKMP.code(), new byte[0], List.of(ikeTransform(), t2))));
        return new IsakmpMessage(IsakmpHeader.of(I_COOKIE, 0, ExchangeType.AGGRESSIVE.code(), 0, 0),
                List.of(sa, new Payload.KeyExchange(bytes(128, 5)), new Payload.Nonce(bytes(16, 6)),
                        new Payload.Identification(IdType.FQDN.code(), 17, 500, "gw.example.org".getBytes()),
                        new Payload.VendorId(RFC3947_VID), new Payload.VendorId(bytes(16, 7))));
    }

    /** Quick mode, message 1 (the chain that gets encrypted): hash, ESP SA, nonce, KE, IDci/IDcr, NAT-OA. */
    static IsakmpMessage quick1() {
        Transform esp = new Transform(1, 12, List.of(
                DataAttribute.basic(Phase2Attribute.SA_LIFE_TYPE.code(), 1),
                DataAttribute.variable(Phase2Attribute.SA_LIFE_DURATION.code(), new byte[] {0, 0, 0x0e, 0x10}),
                DataAttribute.basic(Phase2Attribute.ENCAPSULATION_MODE.code(), 3),
                DataAttribute.basic(Phase2Attribute.AUTHENTICATION_ALGORITHM.code(), 2),
                DataAttribute.basic(Phase2Attribute.KEY_LENGTH.code(), 256),
                DataAttribute.basic(Phase2Attribute.GROUP_DESCRIPTION.code(), 14)));
        Payload.SecurityAssociation sa = new Payload.SecurityAssociation(1, 1, List.of(
                new Proposal(1, ProtocolId.IPSEC_ESP.code(), new byte[] {(byte) 0xc0, 1, 2, 3}, List.of(esp))));
        return new IsakmpMessage(IsakmpHeader.of(I_COOKIE, R_COOKIE, ExchangeType.QUICK_MODE.code(),
                IsakmpHeader.FLAG_ENCRYPTION, 0x9abcdef0L),
                List.of(new Payload.Hash(bytes(20, 8)), sa, new Payload.Nonce(bytes(16, 9)),
                        new Payload.KeyExchange(bytes(256, 10)),
                        new Payload.Identification(IdType.IPV4_ADDR_SUBNET.code(), 0, 0,
                                new byte[] {10, 1, 0, 0, (byte) 255, (byte) 255, 0, 0}),
                        new Payload.Identification(IdType.IPV6_ADDR.code(), 6, 443, bytes(16, 11)),
                        new Payload.NatOriginalAddress(IdType.IPV4_ADDR.code(), new byte[] {(byte) 192, (byte) 168, 1, 2})));
    }

    /** Informational (plaintext here): hash, R-U-THERE with its sequence number, delete of two ESP SPIs. */
    static IsakmpMessage informational() {
        byte[] cookies = HexFormat.of().parseHex("01020304050607081112131415161718");
        return new IsakmpMessage(IsakmpHeader.of(I_COOKIE, R_COOKIE, ExchangeType.INFORMATIONAL.code(), 0, 0x01020304L),
                List.of(new Payload.Hash(bytes(20, 12)),
                        new Payload.Notification(1, ProtocolId.ISAKMP.code(), cookies, NotifyType.R_U_THERE.code(),
                                new byte[] {0, 0, 0, 42}),
                        new Payload.Notification(1, ProtocolId.IPSEC_ESP.code(), new byte[] {1, 2, 3, 4},
                                NotifyType.INITIAL_CONTACT.code(), new byte[0]),
                        new Payload.Delete(1, ProtocolId.IPSEC_ESP.code(), 4,
                                List.of(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8}))));
    }

    /** Plaintext samples (quick mode with its E flag cleared so that {@link IsakmpMessage#decode} takes it). */
    static List<IsakmpMessage> plaintext() {
        IsakmpMessage q = quick1();
        IsakmpHeader h = q.header();
        IsakmpMessage clearQuick = new IsakmpMessage(IsakmpHeader.of(h.initiatorCookie(), h.responderCookie(),
                h.exchangeType(), 0, h.messageId()), q.payloads());
        return List.of(mainMode1(), mainMode3(), aggressive1(), clearQuick, informational());
    }
}
