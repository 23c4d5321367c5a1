package dev.tandem.ike.negotiation;

import static dev.tandem.ike.negotiation.Phase1ProposalsTest.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import dev.tandem.ike.wire.PayloadType;
import dev.tandem.ike.wire.Proposal;
import dev.tandem.ike.wire.Transform;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Phase2ProposalsTest {

    private static final int INITIATOR_SPI = 0xc0ffee01;
    private static final int RESPONDER_SPI = 0x8badf00d;
    private static final EspTransform GCM256 = new EspTransform.AesGcm(32);
    private static final EspTransform AES128_SHA1 = new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA1_96);
    private static final EspTransform AES256_SHA256 = new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_256_128);

    private static Phase2Transform t(EspTransform esp, DhGroup pfs) {
        int bits = switch (esp) {
            case EspTransform.AesGcm g -> g.aesKeyLength() * 8;
            case EspTransform.AesCbcHmac c -> c.aesKeyLength() * 8;
            case EspTransform.NullHmac n -> 0;
        };
        return new Phase2Transform(esp, bits, bits, true, pfs, 1200);
    }

    private static List<EspTransform> everyEsp() {
        List<EspTransform> all = new ArrayList<>();
        for (int k : new int[] {16, 24, 32}) {
            all.add(new EspTransform.AesGcm(k));
            for (Integrity i : Integrity.values()) {
                all.add(new EspTransform.AesCbcHmac(k, i));
            }
        }
        for (Integrity i : Integrity.values()) {
            all.add(new EspTransform.NullHmac(i));
        }
        return all;
    }

    private static Payload.SecurityAssociation wire(Payload.SecurityAssociation sa) throws MalformedIsakmp {
        return (Payload.SecurityAssociation) PayloadChain.decode(PayloadType.SECURITY_ASSOCIATION.code(),
                PayloadChain.encode(List.of(sa))).getFirst();
    }

    @Test
    void everyEspTransformModeAndPfsGroupRoundTrips() throws MalformedIsakmp {
        List<DhGroup> groups = new ArrayList<>(List.of(DhGroup.values()));
        groups.add(null);
        for (EspTransform esp : everyEsp()) {
            for (DhGroup pfs : groups) {
                for (boolean tunnel : new boolean[] {true, false}) {
                    for (boolean udp : new boolean[] {true, false}) {
                        Phase2Transform tr = new Phase2Transform(esp, 0, 0, tunnel, pfs, 1200);
                        List<Phase2Transform> policy = List.of(tr);
                        Payload.SecurityAssociation offer = wire(Phase2Proposals.offer(policy, INITIATOR_SPI, udp));
                        Phase2Choice chosen = Phase2Proposals.choose(offer, policy, udp).orElseThrow();
                        assertThat(chosen).isEqualTo(
                                new Phase2Choice(esp, tunnel, udp, pfs, 1200, INITIATOR_SPI, 1, 1));
                        Payload.SecurityAssociation reply = wire(Phase2Proposals.reply(offer, chosen, RESPONDER_SPI));
                        assertThat(Phase2Proposals.accept(reply, policy, udp)).contains(
                                new Phase2Choice(esp, tunnel, udp, pfs, 1200, RESPONDER_SPI, 1, 1));
                    }
                }
            }
        }
    }

    @Test
    void offerUsesTheNumbersOfRfc2407() {
        Payload.SecurityAssociation sa = Phase2Proposals.offer(List.of(t(GCM256, DhGroup.MODP_3072),
                new Phase2Transform(AES128_SHA1, 128, 128, false, null, 100000),
                t(new EspTransform.NullHmac(Integrity.HMAC_SHA2_512_256), null)), INITIATOR_SPI, false);
        assertThat(sa.doi()).isEqualTo(1);
        assertThat(sa.situation()).isEqualTo(1);
        Proposal p = sa.proposals().getFirst();
        assertThat(p.protocolId()).isEqualTo(3);
        assertThat(p.spi()).containsExactly(0xc0, 0xff, 0xee, 0x01);
        assertThat(p.transforms()).extracting(Transform::transformId).containsExactly(20, 12, 11);
        assertThat(p.transforms().get(0).attributes()).containsExactly(DataAttribute.basic(1, 1),
                DataAttribute.basic(2, 1200), DataAttribute.basic(3, 15), DataAttribute.basic(4, 1),
                DataAttribute.basic(6, 256));
        assertThat(p.transforms().get(1).attributes()).containsExactly(DataAttribute.basic(1, 1),
                DataAttribute.variable(2, new byte[] {0, 1, (byte) 0x86, (byte) 0xa0}), DataAttribute.basic(4, 2),
                DataAttribute.basic(5, 2), DataAttribute.basic(6, 128));
        assertThat(p.transforms().get(2).attributes()).containsExactly(DataAttribute.basic(1, 1),
                DataAttribute.basic(2, 1200), DataAttribute.basic(4, 1), DataAttribute.basic(5, 7));
        Payload.SecurityAssociation nat = Phase2Proposals.offer(List.of(t(GCM256, null),
                new Phase2Transform(AES128_SHA1, 128, 128, false, null, 0)), INITIATOR_SPI, true);
        assertThat(nat.proposals().getFirst().transforms().get(0).attributes()).contains(DataAttribute.basic(4, 3));
        assertThat(nat.proposals().getFirst().transforms().get(1).attributes())
                .containsExactly(DataAttribute.basic(4, 4), DataAttribute.basic(5, 2), DataAttribute.basic(6, 128));
    }

    @Test
    void responderTakesThePeersFirstAcceptableTransform() throws MalformedIsakmp {
        Payload.SecurityAssociation offer = Phase2Proposals.offer(List.of(t(AES128_SHA1, null), t(GCM256, null),
                t(AES256_SHA256, null)), INITIATOR_SPI, false);
        Phase2Choice c = Phase2Proposals.choose(offer, List.of(t(AES256_SHA256, null), t(GCM256, null)), false)
                .orElseThrow();
        assertThat(c.esp()).isEqualTo(GCM256);
        assertThat(c.transformNumber()).isEqualTo(2);
        Payload.SecurityAssociation reply = Phase2Proposals.reply(offer, c, RESPONDER_SPI);
        assertThat(reply.proposals().getFirst().transforms()).containsExactly(
                offer.proposals().getFirst().transforms().get(1));
        assertThat(reply.proposals().getFirst().spi()).containsExactly(0x8b, 0xad, 0xf0, 0x0d);
    }

    @Test
    void keyLengthRange() throws MalformedIsakmp {
        Phase2Transform wide = new Phase2Transform(AES256_SHA256, 128, 256, true, null, 1200);
        EspTransform aes128 = new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128);
        Payload.SecurityAssociation offer = Phase2Proposals.offer(List.of(t(aes128, null)), INITIATOR_SPI, false);
        assertThat(Phase2Proposals.choose(offer, List.of(wide), false)).map(Phase2Choice::esp).contains(aes128);
        Payload.SecurityAssociation big = Phase2Proposals.offer(List.of(wide), INITIATOR_SPI, false);
        assertThat(Phase2Proposals.choose(big, List.of(t(aes128, null)), false)).isEmpty();
    }

    @Test
    void mismatchesGiveEmpty() throws MalformedIsakmp {
        Phase2Transform ours = t(AES128_SHA1, DhGroup.MODP_2048);
        List<Phase2Transform> others = List.of(
                t(new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128), DhGroup.MODP_2048),
                t(new EspTransform.AesGcm(16), DhGroup.MODP_2048),
                t(new EspTransform.NullHmac(Integrity.HMAC_SHA1_96), DhGroup.MODP_2048),
                t(AES128_SHA1, DhGroup.MODP_3072),
                t(AES128_SHA1, null),
                new Phase2Transform(AES128_SHA1, 128, 128, false, DhGroup.MODP_2048, 1200));
        for (Phase2Transform other : others) {
            Payload.SecurityAssociation offer = Phase2Proposals.offer(List.of(other), INITIATOR_SPI, false);
            assertThat(Phase2Proposals.choose(offer, List.of(ours), false)).as(other.toString()).isEmpty();
            Phase2Choice theirs = Phase2Proposals.choose(offer, List.of(other), false).orElseThrow();
            assertThat(Phase2Proposals.accept(Phase2Proposals.reply(offer, theirs, RESPONDER_SPI), List.of(ours),
                    false)).as(other.toString()).isEmpty();
        }
        Payload.SecurityAssociation noPfs = Phase2Proposals.offer(List.of(t(AES128_SHA1, null)), 1, false);
        assertThat(Phase2Proposals.choose(noPfs, List.of(ours), false)).isEmpty();
    }

    @Test
    void udpEncapsulationMustMatchNatDetection() throws MalformedIsakmp {
        List<Phase2Transform> ours = List.of(t(GCM256, null));
        Payload.SecurityAssociation plain = Phase2Proposals.offer(ours, INITIATOR_SPI, false);
        Payload.SecurityAssociation udp = Phase2Proposals.offer(ours, INITIATOR_SPI, true);
        assertThat(Phase2Proposals.choose(plain, ours, true)).isEmpty();
        assertThat(Phase2Proposals.choose(udp, ours, false)).isEmpty();
        assertThat(Phase2Proposals.choose(udp, ours, true)).map(Phase2Choice::udpEncapsulated).contains(true);
    }

    @Test
    void draftNatTraversalEncapsulationValuesAreAccepted() throws MalformedIsakmp {
        Phase2Transform tunnel = t(AES128_SHA1, null);
        Phase2Transform transport = new Phase2Transform(AES128_SHA1, 128, 128, false, null, 1200);
        Transform base = Phase2Proposals.offer(List.of(tunnel), INITIATOR_SPI, false).proposals().getFirst()
                .transforms().getFirst();
        Payload.SecurityAssociation draftTunnel = sa(replace(base, 4, 61443));
        Payload.SecurityAssociation draftTransport = sa(replace(base, 4, 61444));
        Phase2Choice c = Phase2Proposals.choose(draftTunnel, List.of(tunnel), true).orElseThrow();
        assertThat(c.tunnel()).isTrue();
        assertThat(c.udpEncapsulated()).isTrue();
        assertThat(Phase2Proposals.choose(draftTunnel, List.of(transport), true)).isEmpty();
        c = Phase2Proposals.choose(draftTransport, List.of(transport), true).orElseThrow();
        assertThat(c.tunnel()).isFalse();
        assertThat(c.udpEncapsulated()).isTrue();
        assertThat(Phase2Proposals.choose(draftTransport, List.of(transport), false)).isEmpty();
        assertThat(Phase2Proposals.choose(sa(replace(base, 4, 61445)), List.of(tunnel), true)).isEmpty();
    }

    @Test
    void absentEncapsulationModeTakesOurs() throws MalformedIsakmp {
        Phase2Transform transport = new Phase2Transform(AES128_SHA1, 128, 128, false, null, 1200);
        Transform base = Phase2Proposals.offer(List.of(transport), INITIATOR_SPI, false).proposals().getFirst()
                .transforms().getFirst();
        Transform noMode = new Transform(1, 12, base.attributes().stream().filter(a -> a.type() != 4).toList());
        Phase2Choice c = Phase2Proposals.choose(sa(noMode), List.of(transport), false).orElseThrow();
        assertThat(c.tunnel()).isFalse();
        assertThat(c.udpEncapsulated()).isFalse();
    }

    @Test
    void lifetimeInKilobytesIsIgnoredAndSecondsKept() throws MalformedIsakmp {
        Phase2Transform ours = t(AES128_SHA1, null);
        Transform base = Phase2Proposals.offer(List.of(new Phase2Transform(AES128_SHA1, 128, 128, true, null, 900)),
                INITIATOR_SPI, false).proposals().getFirst().transforms().getFirst();
        List<DataAttribute> attrs = new ArrayList<>(List.of(DataAttribute.basic(1, 2),
                DataAttribute.variable(2, new byte[] {0, 0x40, 0, 0})));
        attrs.addAll(base.attributes());
        Phase2Choice c = Phase2Proposals.choose(sa(new Transform(1, 12, attrs)), List.of(ours), false).orElseThrow();
        assertThat(c.lifeSeconds()).isEqualTo(900);
        Payload.SecurityAssociation onlyKb = sa(new Transform(1, 12, List.of(DataAttribute.basic(1, 2),
                DataAttribute.basic(2, 5000), DataAttribute.basic(4, 1), DataAttribute.basic(5, 2),
                DataAttribute.basic(6, 128))));
        assertThat(Phase2Proposals.choose(onlyKb, List.of(ours), false)).map(Phase2Choice::lifeSeconds)
                .contains(1200L);
        Phase2Transform longer = new Phase2Transform(AES128_SHA1, 128, 128, true, null, 5000);
        assertThat(Phase2Proposals.choose(Phase2Proposals.offer(List.of(longer), 1, false), List.of(ours), false))
                .map(Phase2Choice::lifeSeconds).contains(1200L);
    }

    @Test
    void otherProtocolsAndBundlesArePassedOver() throws MalformedIsakmp {
        List<Phase2Transform> ours = List.of(t(AES128_SHA1, null));
        Transform esp = Phase2Proposals.offer(ours, INITIATOR_SPI, false).proposals().getFirst().transforms()
                .getFirst();
        Transform ah = new Transform(1, 3, List.of(DataAttribute.basic(5, 2)));
        Proposal ahAlone = new Proposal(1, 2, new byte[4], List.of(ah));
        Proposal espTwo = new Proposal(2, 3, new byte[] {0, 0, 0, 9}, List.of(esp));
        Phase2Choice c = Phase2Proposals.choose(new Payload.SecurityAssociation(1, 1, List.of(ahAlone, espTwo)),
                ours, false).orElseThrow();
        assertThat(c.proposalNumber()).isEqualTo(2);
        assertThat(c.peerSpi()).isEqualTo(9);
        Proposal espOne = new Proposal(1, 3, new byte[4], List.of(esp));
        assertThat(Phase2Proposals.choose(new Payload.SecurityAssociation(1, 1, List.of(espOne, ahAlone)), ours,
                false)).isEmpty();
    }

    @Test
    void malformedSaPayloadsNameTheField() {
        List<Phase2Transform> ours = List.of(t(AES128_SHA1, null));
        Transform esp = Phase2Proposals.offer(ours, INITIATOR_SPI, false).proposals().getFirst().transforms()
                .getFirst();
        assertField(() -> Phase2Proposals.choose(new Payload.SecurityAssociation(4, 1,
                List.of(new Proposal(1, 3, new byte[4], List.of(esp)))), ours, false), "sa.doi");
        assertField(() -> Phase2Proposals.choose(new Payload.SecurityAssociation(1, 4,
                List.of(new Proposal(1, 3, new byte[4], List.of(esp)))), ours, false), "sa.situation");
        assertField(() -> Phase2Proposals.choose(new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, 3, new byte[2], List.of(esp)))), ours, false), "sa.proposal[0].spiSize");
        assertField(() -> Phase2Proposals.choose(new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, 1, new byte[0], List.of(esp)))), ours, false), "sa.proposal[0].protocolId");
        assertField(() -> Phase2Proposals.accept(Phase2Proposals.offer(List.of(t(AES128_SHA1, null),
                t(GCM256, null)), 1, false), ours, false), "sa.proposal[0].transformCount");
        assertField(() -> Phase2Proposals.accept(new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, 2, new byte[4], List.of(esp)))), ours, false), "sa.proposal[0].protocolId");
    }

    @Test
    void describeNamesWhatWasOffered() {
        Payload.SecurityAssociation sa = Phase2Proposals.offer(List.of(t(GCM256, DhGroup.MODP_3072),
                t(AES128_SHA1, null)), 1, true);
        assertThat(Phase2Proposals.describe(sa))
                .isEqualTo("AES-256-GCM/PFS-MODP3072/udp-tunnel, AES-128/HMAC-SHA1/udp-tunnel");
        Payload.SecurityAssociation odd = new Payload.SecurityAssociation(1, 1, List.of(new Proposal(1, 2,
                new byte[4], List.of(new Transform(1, 3, List.of(DataAttribute.basic(5, 2)))))));
        assertThat(Phase2Proposals.describe(odd)).isEqualTo("IPSEC_AH:esp3/auth2");
    }

    private static Transform replace(Transform t, int type, int value) {
        List<DataAttribute> attrs = new ArrayList<>(t.attributes().stream().filter(a -> a.type() != type).toList());
        attrs.add(DataAttribute.basic(type, value));
        return new Transform(t.number(), t.transformId(), attrs);
    }

    private static Payload.SecurityAssociation sa(Transform t) {
        return new Payload.SecurityAssociation(1, 1, List.of(new Proposal(1, 3, new byte[4], List.of(t))));
    }
}
