package dev.tandem.ike.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import dev.tandem.ike.wire.PayloadType;
import dev.tandem.ike.wire.Proposal;
import dev.tandem.ike.wire.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Phase1ProposalsTest {

    private static Phase1Transform t(IkeCipher c, Prf h, DhGroup g) {
        return Phase1Transform.exactly(c, h, g, 3600);
    }

    /** Encodes and decodes, as the SA travels on the wire. */
    private static Payload.SecurityAssociation wire(Payload.SecurityAssociation sa) throws MalformedIsakmp {
        return (Payload.SecurityAssociation) PayloadChain.decode(PayloadType.SECURITY_ASSOCIATION.code(),
                PayloadChain.encode(List.of(sa))).getFirst();
    }

    @Test
    void everyCipherHashAndGroupRoundTrips() throws MalformedIsakmp {
        for (IkeCipher c : IkeCipher.values()) {
            for (Prf h : Prf.values()) {
                for (DhGroup g : DhGroup.values()) {
                    List<Phase1Transform> policy = List.of(t(c, h, g));
                    Payload.SecurityAssociation offer = wire(Phase1Proposals.offer(policy));
                    Phase1Choice chosen = Phase1Proposals.choose(offer, policy).orElseThrow();
                    assertThat(chosen).isEqualTo(new Phase1Choice(c, h, g, 3600, 1));
                    Payload.SecurityAssociation reply = wire(Phase1Proposals.reply(offer, chosen));
                    assertThat(Phase1Proposals.accept(reply, policy)).contains(chosen);
                }
            }
        }
    }

    @Test
    void offerUsesTheNumbersOfRfc2409AppendixA() {
        Payload.SecurityAssociation sa = Phase1Proposals.offer(List.of(
                new Phase1Transform(IkeCipher.AES_256_CBC, 128, 256, Prf.HMAC_SHA2_256, DhGroup.MODP_2048, 86400),
                Phase1Transform.exactly(IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024, 0)));
        assertThat(sa.doi()).isEqualTo(1);
        assertThat(sa.situation()).isEqualTo(1);
        Proposal p = sa.proposals().getFirst();
        assertThat(p.number()).isEqualTo(1);
        assertThat(p.protocolId()).isEqualTo(1);
        assertThat(p.spi()).isEmpty();
        assertThat(p.transforms()).extracting(Transform::number).containsExactly(1, 2);
        assertThat(p.transforms()).extracting(Transform::transformId).containsExactly(1, 1);
        assertThat(p.transforms().get(0).attributes()).containsExactly(
                DataAttribute.basic(1, 7), DataAttribute.basic(2, 4), DataAttribute.basic(3, 1),
                DataAttribute.basic(4, 14), DataAttribute.basic(11, 1),
                DataAttribute.variable(12, new byte[] {0, 1, 0x51, (byte) 0x80}), DataAttribute.basic(14, 256));
        assertThat(p.transforms().get(1).attributes()).containsExactly(
                DataAttribute.basic(1, 5), DataAttribute.basic(2, 2), DataAttribute.basic(3, 1),
                DataAttribute.basic(4, 2));
    }

    @Test
    void responderTakesThePeersFirstAcceptableTransform() throws MalformedIsakmp {
        Phase1Transform a = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_3072);
        Phase1Transform b = t(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_2048);
        Phase1Transform c = t(IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024);
        Payload.SecurityAssociation offer = Phase1Proposals.offer(List.of(c, b, a));
        Phase1Choice chosen = Phase1Proposals.choose(offer, List.of(a, b)).orElseThrow();
        assertThat(chosen.cipher()).isEqualTo(IkeCipher.AES_256_CBC);
        assertThat(chosen.transformNumber()).isEqualTo(2);
        Payload.SecurityAssociation reply = Phase1Proposals.reply(offer, chosen);
        assertThat(reply.proposals().getFirst().transforms()).containsExactly(
                offer.proposals().getFirst().transforms().get(1));
        assertThat(Phase1Proposals.accept(reply, List.of(c, b, a))).contains(chosen);
    }

    @Test
    void keyLengthRangeAcceptsShorterAesAndNotLonger() throws MalformedIsakmp {
        Phase1Transform ours = new Phase1Transform(IkeCipher.AES_256_CBC, 128, 256, Prf.HMAC_SHA1,
                DhGroup.MODP_2048, 3600);
        Payload.SecurityAssociation aes128 = Phase1Proposals.offer(List.of(
                t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048)));
        assertThat(Phase1Proposals.choose(aes128, List.of(ours))).map(Phase1Choice::cipher)
                .contains(IkeCipher.AES_128_CBC);
        Phase1Transform only128 = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048);
        Payload.SecurityAssociation aes256 = Phase1Proposals.offer(List.of(ours));
        assertThat(Phase1Proposals.choose(aes256, List.of(only128))).isEmpty();
    }

    @Test
    void mismatchesGiveEmpty() throws MalformedIsakmp {
        Phase1Transform ours = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048);
        for (Phase1Transform other : List.of(
                t(IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048),
                t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_2048),
                t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024))) {
            Payload.SecurityAssociation offer = Phase1Proposals.offer(List.of(other));
            assertThat(Phase1Proposals.choose(offer, List.of(ours))).as(other.toString()).isEmpty();
            Payload.SecurityAssociation reply = Phase1Proposals.reply(offer,
                    Phase1Proposals.choose(offer, List.of(other)).orElseThrow());
            assertThat(Phase1Proposals.accept(reply, List.of(ours))).as(other.toString()).isEmpty();
        }
    }

    @Test
    void nonPskAuthenticationAndUnknownAttributesAreNotAccepted() throws MalformedIsakmp {
        Phase1Transform ours = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048);
        Transform good = Phase1Proposals.offer(List.of(ours)).proposals().getFirst().transforms().getFirst();
        assertThat(Phase1Proposals.choose(sa(withAttribute(good, 3, 3)), List.of(ours))).isEmpty();
        assertThat(Phase1Proposals.choose(sa(withAttribute(good, 13, 1)), List.of(ours))).isEmpty();
        assertThat(Phase1Proposals.choose(sa(withAttribute(good, 1, 1)), List.of(ours))).isEmpty();
        assertThat(Phase1Proposals.choose(sa(new Transform(1, 2, good.attributes())), List.of(ours))).isEmpty();
        assertThat(Phase1Proposals.choose(sa(good), List.of(ours))).isPresent();
    }

    @Test
    void lifetimeIsTheShorterOfOfferedAndOurs() throws MalformedIsakmp {
        Phase1Transform ours = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048);
        Phase1Transform shorter = Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048,
                600);
        Phase1Transform longer = Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048,
                100000);
        Phase1Transform none = Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048, 0);
        assertThat(life(shorter, ours)).isEqualTo(600);
        assertThat(life(longer, ours)).isEqualTo(3600);
        assertThat(life(none, ours)).isEqualTo(3600);
        assertThat(life(longer, none)).isEqualTo(100000);
    }

    private static long life(Phase1Transform offered, Phase1Transform ours) throws MalformedIsakmp {
        return Phase1Proposals.choose(Phase1Proposals.offer(List.of(offered)), List.of(ours)).orElseThrow()
                .lifeSeconds();
    }

    @Test
    void kilobyteLifetimeBesideSecondsIsIgnored() throws MalformedIsakmp {
        Phase1Transform ours = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048);
        Transform good = Phase1Proposals.offer(List.of(Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1,
                DhGroup.MODP_2048, 900))).proposals().getFirst().transforms().getFirst();
        List<DataAttribute> attrs = new ArrayList<>(good.attributes());
        attrs.add(DataAttribute.basic(11, 2));
        attrs.add(DataAttribute.basic(12, 1000));
        assertThat(Phase1Proposals.choose(sa(new Transform(1, 1, attrs)), List.of(ours)))
                .map(Phase1Choice::lifeSeconds).contains(900L);
    }

    @Test
    void aesWithoutKeyLengthMeans128Bits() throws MalformedIsakmp {
        Phase1Transform ours = t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048);
        Transform good = Phase1Proposals.offer(List.of(ours)).proposals().getFirst().transforms().getFirst();
        List<DataAttribute> attrs = good.attributes().stream().filter(a -> a.type() != 14).toList();
        assertThat(Phase1Proposals.choose(sa(new Transform(1, 1, attrs)), List.of(ours)))
                .map(Phase1Choice::cipher).contains(IkeCipher.AES_128_CBC);
    }

    @Test
    void malformedSaPayloadsNameTheField() {
        Transform good = Phase1Proposals.offer(List.of(t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048)))
                .proposals().getFirst().transforms().getFirst();
        List<Phase1Transform> ours = List.of(t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048));
        assertField(() -> Phase1Proposals.choose(new Payload.SecurityAssociation(2, 1,
                List.of(new Proposal(1, 1, new byte[0], List.of(good)))), ours), "sa.doi");
        assertField(() -> Phase1Proposals.choose(new Payload.SecurityAssociation(1, 2,
                List.of(new Proposal(1, 1, new byte[0], List.of(good)))), ours), "sa.situation");
        assertField(() -> Phase1Proposals.choose(new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, 3, new byte[4], List.of(good)))), ours), "sa.proposal[0].protocolId");
        assertField(() -> Phase1Proposals.choose(new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, 1, new byte[3], List.of(good)))), ours), "sa.proposal[0].spiSize");
        Payload.SecurityAssociation two = Phase1Proposals.offer(List.of(
                t(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048),
                t(IkeCipher.AES_256_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048)));
        assertField(() -> Phase1Proposals.accept(two, ours), "sa.proposal[0].transformCount");
        assertField(() -> Phase1Proposals.accept(new Payload.SecurityAssociation(1, 1, List.of(
                new Proposal(1, 1, new byte[0], List.of(good)), new Proposal(2, 1, new byte[0], List.of(good)))),
                ours), "sa.proposals");
    }

    @Test
    void describeNamesWhatWasOffered() {
        Payload.SecurityAssociation sa = Phase1Proposals.offer(List.of(
                t(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_2048),
                t(IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA1, DhGroup.MODP_1024)));
        assertThat(Phase1Proposals.describe(sa)).isEqualTo("AES-256/SHA2-256/MODP2048, 3DES/SHA1/MODP1024");
        Transform odd = new Transform(1, 1, List.of(DataAttribute.basic(1, 1), DataAttribute.basic(2, 1),
                DataAttribute.basic(3, 3), DataAttribute.basic(4, 99)));
        assertThat(Phase1Proposals.describe(sa(odd))).isEqualTo("enc1/hash1/group99/auth3");
    }

    private static Transform withAttribute(Transform t, int type, int value) {
        List<DataAttribute> attrs = new ArrayList<>(t.attributes().stream().filter(a -> a.type() != type).toList());
        attrs.add(DataAttribute.basic(type, value));
        return new Transform(t.number(), t.transformId(), attrs);
    }

    private static Payload.SecurityAssociation sa(Transform t) {
        return new Payload.SecurityAssociation(1, 1, List.of(new Proposal(1, 1, new byte[0], List.of(t))));
    }

    interface Call {
        Optional<?> run() throws MalformedIsakmp;
    }

    static void assertField(Call c, String field) {
        assertThatThrownBy(c::run).isInstanceOfSatisfying(MalformedIsakmp.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
