package dev.tandem.ike.negotiation;

import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.Phase1Attribute;
import dev.tandem.ike.wire.Proposal;
import dev.tandem.ike.wire.ProtocolId;
import dev.tandem.ike.wire.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Phase 1 SA payloads (RFC 2409 §5, attributes of Appendix A): what an
 * initiator offers, which transform a responder picks, and checking the
 * responder's pick. Pre-shared key authentication only.
 */
public final class Phase1Proposals {

    private Phase1Proposals() {
    }

    /**
     * SA payload an initiator sends: one ISAKMP proposal without SPI, one
     * KEY_IKE transform per policy transform, numbered from 1.
     */
    public static Payload.SecurityAssociation offer(List<Phase1Transform> transforms) {
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("nothing to offer");
        }
        List<Transform> ts = new ArrayList<>();
        for (Phase1Transform t : transforms) {
            ts.add(new Transform(ts.size() + 1, IpsecDoi.KEY_IKE, attributes(t)));
        }
        return new Payload.SecurityAssociation(IpsecDoi.DOI_IPSEC, IpsecDoi.SIT_IDENTITY_ONLY,
                List.of(new Proposal(1, ProtocolId.ISAKMP.code(), new byte[0], ts)));
    }

    private static List<DataAttribute> attributes(Phase1Transform t) {
        List<DataAttribute> a = new ArrayList<>();
        boolean aes = t.cipher() != IkeCipher.TRIPLE_DES_CBC;
        a.add(DataAttribute.basic(Phase1Attribute.ENCRYPTION_ALGORITHM.code(),
                aes ? IpsecDoi.ENC_AES_CBC : IpsecDoi.ENC_3DES_CBC));
        a.add(DataAttribute.basic(Phase1Attribute.HASH_ALGORITHM.code(), hashId(t.hash())));
        a.add(DataAttribute.basic(Phase1Attribute.AUTHENTICATION_METHOD.code(), IpsecDoi.AUTH_PRE_SHARED));
        a.add(DataAttribute.basic(Phase1Attribute.GROUP_DESCRIPTION.code(), t.group().number()));
        if (t.lifeSeconds() > 0) {
            a.add(DataAttribute.basic(Phase1Attribute.LIFE_TYPE.code(), IpsecDoi.LIFE_SECONDS));
            a.add(IpsecDoi.duration(Phase1Attribute.LIFE_DURATION.code(), t.lifeSeconds()));
        }
        if (aes) {
            a.add(DataAttribute.basic(Phase1Attribute.KEY_LENGTH.code(), t.cipher().keyLength() * 8));
        }
        return a;
    }

    private static int hashId(dev.tandem.ike.crypto.Prf p) {
        return switch (p) {
            case HMAC_SHA1 -> IpsecDoi.HASH_SHA;
            case HMAC_SHA2_256 -> IpsecDoi.HASH_SHA2_256;
            case HMAC_SHA2_384 -> IpsecDoi.HASH_SHA2_384;
            case HMAC_SHA2_512 -> IpsecDoi.HASH_SHA2_512;
        };
    }

    /**
     * Responder: the first offered transform, in the peer's order, that one
     * of ours accepts. The lifetime is the offered one when present and not
     * longer than ours, else ours. Empty when nothing matches.
     *
     * @throws MalformedIsakmp for an SA payload no phase 1 can come from
     */
    public static Optional<Phase1Choice> choose(Payload.SecurityAssociation offered, List<Phase1Transform> ours)
            throws MalformedIsakmp {
        for (Proposal p : proposals(offered)) {
            for (Transform t : p.transforms()) {
                Phase1Offer o = Phase1Offer.read(t);
                if (!o.usable()) {
                    continue;
                }
                for (Phase1Transform mine : ours) {
                    if (accepts(mine, o)) {
                        return Optional.of(new Phase1Choice(o.cipher().orElseThrow(), mine.hash(), mine.group(),
                                IpsecDoi.shorterLife(o.lifeSeconds(), mine.lifeSeconds()), t.number()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean accepts(Phase1Transform mine, Phase1Offer o) {
        IkeCipher c = o.cipher().orElseThrow();
        boolean sameFamily = (c == IkeCipher.TRIPLE_DES_CBC) == (mine.cipher() == IkeCipher.TRIPLE_DES_CBC);
        int bits = c.keyLength() * 8;
        return sameFamily && bits >= mine.minKeyBits() && bits <= mine.maxKeyBits()
                && o.prf().orElseThrow() == mine.hash() && o.dhGroup().orElseThrow() == mine.group();
    }

    /** The responder's SA payload: the offered proposal with only the chosen transform, attributes as offered. */
    public static Payload.SecurityAssociation reply(Payload.SecurityAssociation offered, Phase1Choice choice) {
        for (Proposal p : offered.proposals()) {
            if (p.protocolId() != ProtocolId.ISAKMP.code()) {
                continue;
            }
            for (Transform t : p.transforms()) {
                if (t.number() == choice.transformNumber() && names(Phase1Offer.read(t), choice)) {
                    return new Payload.SecurityAssociation(offered.doi(), offered.situation(),
                            List.of(new Proposal(p.number(), p.protocolId(), p.spi(), List.of(t))));
                }
            }
        }
        throw new IllegalArgumentException("transform " + choice.transformNumber() + " is not in the offer");
    }

    private static boolean names(Phase1Offer o, Phase1Choice c) {
        return o.usable() && o.cipher().orElseThrow() == c.cipher() && o.prf().orElseThrow() == c.hash()
                && o.dhGroup().orElseThrow() == c.group();
    }

    /**
     * Initiator: the reply must carry exactly one proposal with one
     * transform, which must be one we offered (same cipher, hash and group).
     * Empty when it is not.
     *
     * @throws MalformedIsakmp for a reply that is not a single choice
     */
    public static Optional<Phase1Choice> accept(Payload.SecurityAssociation reply, List<Phase1Transform> offered)
            throws MalformedIsakmp {
        List<Proposal> ps = proposals(reply);
        if (ps.size() != 1) {
            throw new MalformedIsakmp("sa.proposals", "a reply carries one proposal, not " + ps.size());
        }
        List<Transform> ts = ps.getFirst().transforms();
        if (ts.size() != 1) {
            throw new MalformedIsakmp("sa.proposal[0].transformCount", "a reply carries one transform, not "
                    + ts.size());
        }
        Phase1Offer o = Phase1Offer.read(ts.getFirst());
        if (!o.usable()) {
            return Optional.empty();
        }
        for (Phase1Transform mine : offered) {
            if (o.cipher().orElseThrow() == mine.cipher() && o.prf().orElseThrow() == mine.hash()
                    && o.dhGroup().orElseThrow() == mine.group()) {
                return Optional.of(new Phase1Choice(mine.cipher(), mine.hash(), mine.group(),
                        IpsecDoi.shorterLife(o.lifeSeconds(), mine.lifeSeconds()), ts.getFirst().number()));
            }
        }
        return Optional.empty();
    }

    /** What an SA payload offers, one transform after another: "AES-256/SHA2-256/MODP2048, 3DES/SHA1/MODP1024". */
    public static String describe(Payload.SecurityAssociation sa) {
        StringJoiner j = new StringJoiner(", ");
        for (Proposal p : sa.proposals()) {
            for (Transform t : p.transforms()) {
                j.add(Phase1Offer.read(t).describe());
            }
        }
        return j.toString();
    }

    /** The ISAKMP proposals of a phase 1 SA, after checking what makes it unusable as a whole. */
    private static List<Proposal> proposals(Payload.SecurityAssociation sa) throws MalformedIsakmp {
        IpsecDoi.checkSituation(sa);
        List<Proposal> ps = sa.proposals();
        for (int i = 0; i < ps.size(); i++) {
            Proposal p = ps.get(i);
            if (p.protocolId() != ProtocolId.ISAKMP.code()) {
                throw new MalformedIsakmp("sa.proposal[" + i + "].protocolId", "protocol " + p.protocolId()
                        + " in phase 1, must be PROTO_ISAKMP (1)");
            }
            // RFC 2408 §2.4: an ISAKMP SA's proposal may carry no SPI or the cookies (isakmpd sends none)
            if (p.spi().length != 0 && p.spi().length != 16) {
                throw new MalformedIsakmp("sa.proposal[" + i + "].spiSize", p.spi().length
                        + " octets, phase 1 takes 0 or 16");
            }
        }
        return ps;
    }
}
