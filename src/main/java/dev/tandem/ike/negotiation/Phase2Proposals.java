package dev.tandem.ike.negotiation;

import dev.tandem.esp.EspTransform;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.Phase2Attribute;
import dev.tandem.ike.wire.Proposal;
import dev.tandem.ike.wire.ProtocolId;
import dev.tandem.ike.wire.Transform;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Quick mode SA payloads (RFC 2407 §4.4-4.5, encapsulation modes of RFC
 * 3947 §5): what an initiator offers, which ESP transform a responder picks,
 * and checking the responder's pick. ESP only; AH and IPComp proposals are
 * passed over.
 */
public final class Phase2Proposals {

    private Phase2Proposals() {
    }

    /**
     * Initiator's SA payload: one ESP proposal with our inbound SPI and one
     * transform per policy transform, numbered from 1.
     *
     * @param udpEncap a NAT was detected: ask for the UDP-encapsulated modes
     */
    public static Payload.SecurityAssociation offer(List<Phase2Transform> transforms, int ourSpi, boolean udpEncap) {
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("nothing to offer");
        }
        List<Transform> ts = new ArrayList<>();
        for (Phase2Transform t : transforms) {
            ts.add(new Transform(ts.size() + 1, transformId(t.esp()), attributes(t, udpEncap)));
        }
        return new Payload.SecurityAssociation(IpsecDoi.DOI_IPSEC, IpsecDoi.SIT_IDENTITY_ONLY,
                List.of(new Proposal(1, ProtocolId.IPSEC_ESP.code(), spi(ourSpi), ts)));
    }

    private static int transformId(EspTransform e) {
        return switch (e) {
            case EspTransform.AesGcm g -> IpsecDoi.ESP_AES_GCM_16;
            case EspTransform.AesCbcHmac c -> IpsecDoi.ESP_AES;
            case EspTransform.NullHmac n -> IpsecDoi.ESP_NULL;
        };
    }

    private static List<DataAttribute> attributes(Phase2Transform t, boolean udpEncap) {
        List<DataAttribute> a = new ArrayList<>();
        if (t.lifeSeconds() > 0) {
            a.add(DataAttribute.basic(Phase2Attribute.SA_LIFE_TYPE.code(), IpsecDoi.LIFE_SECONDS));
            a.add(IpsecDoi.duration(Phase2Attribute.SA_LIFE_DURATION.code(), t.lifeSeconds()));
        }
        if (t.pfs() != null) {
            a.add(DataAttribute.basic(Phase2Attribute.GROUP_DESCRIPTION.code(), t.pfs().number()));
        }
        int mode = t.tunnel() ? (udpEncap ? IpsecDoi.ENCAP_UDP_TUNNEL : IpsecDoi.ENCAP_TUNNEL)
                : (udpEncap ? IpsecDoi.ENCAP_UDP_TRANSPORT : IpsecDoi.ENCAP_TRANSPORT);
        a.add(DataAttribute.basic(Phase2Attribute.ENCAPSULATION_MODE.code(), mode));
        switch (t.esp()) {
            case EspTransform.AesGcm g ->
                    a.add(DataAttribute.basic(Phase2Attribute.KEY_LENGTH.code(), g.aesKeyLength() * 8));
            case EspTransform.AesCbcHmac c -> {
                a.add(DataAttribute.basic(Phase2Attribute.AUTHENTICATION_ALGORITHM.code(),
                        Phase2Offer.authId(c.integrity())));
                a.add(DataAttribute.basic(Phase2Attribute.KEY_LENGTH.code(), c.aesKeyLength() * 8));
            }
            case EspTransform.NullHmac n -> a.add(DataAttribute.basic(
                    Phase2Attribute.AUTHENTICATION_ALGORITHM.code(), Phase2Offer.authId(n.integrity())));
        }
        return a;
    }

    /**
     * Responder: the first offered ESP transform, in the peer's order, that
     * one of ours accepts: same algorithms with the key length in our range,
     * same mode, the same PFS group (none when we have none), UDP
     * encapsulation exactly when a NAT was detected. The lifetime is the
     * offered one when present and not longer than ours, else ours.
     *
     * @throws MalformedIsakmp for an SA payload no quick mode can come from
     */
    public static Optional<Phase2Choice> choose(Payload.SecurityAssociation offered, List<Phase2Transform> ours,
                                                boolean udpEncap) throws MalformedIsakmp {
        List<Proposal> ps = checked(offered);
        for (Proposal p : ps) {
            if (p.protocolId() != ProtocolId.IPSEC_ESP.code() || bundled(ps, p)) {
                continue;
            }
            for (Transform t : p.transforms()) {
                Phase2Offer o = Phase2Offer.read(t);
                for (Phase2Transform mine : ours) {
                    Optional<EspTransform> esp = accepts(mine, o, udpEncap);
                    if (esp.isPresent()) {
                        return Optional.of(new Phase2Choice(esp.get(), mine.tunnel(), udpEncap, mine.pfs(),
                                IpsecDoi.shorterLife(o.lifeSeconds(), mine.lifeSeconds()), spiOf(p),
                                p.number(), t.number()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Proposals sharing a number are a bundle (RFC 2408 §4.2, e.g. ESP and AH together), which we do not run. */
    private static boolean bundled(List<Proposal> ps, Proposal p) {
        return ps.stream().filter(q -> q.number() == p.number()).count() > 1;
    }

    /** The ESP transform to use when {@code mine} accepts the offer, with the offered key length. */
    private static Optional<EspTransform> accepts(Phase2Transform mine, Phase2Offer o, boolean udpEncap) {
        Optional<EspTransform> esp = o.esp();
        if (esp.isEmpty() || !o.pfsKnown() || !Objects.equals(o.pfs().orElse(null), mine.pfs())) {
            return Optional.empty();
        }
        if (o.encapsulation() != 0
                && (o.tunnel().isEmpty() || o.tunnel().get() != mine.tunnel() || o.udp() != udpEncap)) {
            return Optional.empty();
        }
        EspTransform e = esp.get();
        boolean same = switch (mine.esp()) {
            case EspTransform.AesGcm g -> e instanceof EspTransform.AesGcm x
                    && keyOk(mine, g.aesKeyLength(), x.aesKeyLength());
            case EspTransform.AesCbcHmac c -> e instanceof EspTransform.AesCbcHmac x
                    && x.integrity() == c.integrity() && keyOk(mine, c.aesKeyLength(), x.aesKeyLength());
            case EspTransform.NullHmac n -> e.equals(n);
        };
        return same ? esp : Optional.empty();
    }

    private static boolean keyOk(Phase2Transform mine, int ourBytes, int offeredBytes) {
        int bits = offeredBytes * 8;
        return offeredBytes == ourBytes || (bits >= mine.minKeyBits() && bits <= mine.maxKeyBits());
    }

    /** Responder's SA payload: the chosen proposal with only the chosen transform and our inbound SPI. */
    public static Payload.SecurityAssociation reply(Payload.SecurityAssociation offered, Phase2Choice choice,
                                                    int ourSpi) {
        for (Proposal p : offered.proposals()) {
            if (p.number() != choice.proposalNumber() || p.protocolId() != ProtocolId.IPSEC_ESP.code()) {
                continue;
            }
            for (Transform t : p.transforms()) {
                if (t.number() == choice.transformNumber()) {
                    return new Payload.SecurityAssociation(offered.doi(), offered.situation(),
                            List.of(new Proposal(p.number(), p.protocolId(), spi(ourSpi), List.of(t))));
                }
            }
        }
        throw new IllegalArgumentException("proposal " + choice.proposalNumber() + " transform "
                + choice.transformNumber() + " is not in the offer");
    }

    /**
     * Initiator: the reply's single ESP transform must be one we offered;
     * {@code peerSpi} is the SPI of the reply. Empty when it is not ours.
     *
     * @throws MalformedIsakmp for a reply that is not a single ESP choice
     */
    public static Optional<Phase2Choice> accept(Payload.SecurityAssociation reply, List<Phase2Transform> offered,
                                                boolean udpEncap) throws MalformedIsakmp {
        List<Proposal> ps = checked(reply);
        if (ps.size() != 1) {
            throw new MalformedIsakmp("sa.proposals", "a reply carries one proposal, not " + ps.size());
        }
        Proposal p = ps.getFirst();
        if (p.protocolId() != ProtocolId.IPSEC_ESP.code()) {
            throw new MalformedIsakmp("sa.proposal[0].protocolId", "protocol " + p.protocolId()
                    + ", we offered ESP (3)");
        }
        if (p.transforms().size() != 1) {
            throw new MalformedIsakmp("sa.proposal[0].transformCount", "a reply carries one transform, not "
                    + p.transforms().size());
        }
        Transform t = p.transforms().getFirst();
        Phase2Offer o = Phase2Offer.read(t);
        for (Phase2Transform mine : offered) {
            Optional<EspTransform> esp = accepts(mine, o, udpEncap);
            if (esp.isPresent() && esp.get().equals(mine.esp())) {
                return Optional.of(new Phase2Choice(mine.esp(), mine.tunnel(), udpEncap, mine.pfs(),
                        IpsecDoi.shorterLife(o.lifeSeconds(), mine.lifeSeconds()), spiOf(p), p.number(),
                        t.number()));
            }
        }
        return Optional.empty();
    }

    /** What an SA payload offers: "AES-256-GCM/PFS-MODP3072/tunnel, AES-128/HMAC-SHA1/tunnel". */
    public static String describe(Payload.SecurityAssociation sa) {
        StringJoiner j = new StringJoiner(", ");
        for (Proposal p : sa.proposals()) {
            String prefix = p.protocolId() == ProtocolId.IPSEC_ESP.code() ? ""
                    : ProtocolId.of(p.protocolId()).map(Enum::name).orElse("protocol" + p.protocolId()) + ":";
            for (Transform t : p.transforms()) {
                j.add(prefix + Phase2Offer.read(t).describe());
            }
        }
        return j.toString();
    }

    private static List<Proposal> checked(Payload.SecurityAssociation sa) throws MalformedIsakmp {
        IpsecDoi.checkSituation(sa);
        List<Proposal> ps = sa.proposals();
        for (int i = 0; i < ps.size(); i++) {
            Proposal p = ps.get(i);
            if (p.protocolId() == ProtocolId.ISAKMP.code()) {
                throw new MalformedIsakmp("sa.proposal[" + i + "].protocolId", "PROTO_ISAKMP in a quick mode");
            }
            if (p.protocolId() == ProtocolId.IPSEC_ESP.code() && p.spi().length != 4) {
                throw new MalformedIsakmp("sa.proposal[" + i + "].spiSize", p.spi().length
                        + " octets, an ESP SPI has 4");
            }
        }
        return ps;
    }

    private static int spiOf(Proposal p) {
        return ByteBuffer.wrap(p.spi()).getInt();
    }

    private static byte[] spi(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }
}
