package dev.tandem.conf;

import dev.tandem.conf.ipsec.AuthAlgorithm;
import dev.tandem.conf.ipsec.EncAlgorithm;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.Host;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.conf.ipsec.SaType;
import dev.tandem.conf.ipsec.TunnelMode;
import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Selector;

/**
 * Turns the flow and SA rules of ipsec.conf into SADB entries, what
 * ipsecctl sends to the kernel over PF_KEY. The data plane carries ESP with
 * AES-CBC or NULL encryption and HMAC-SHA1/SHA2 (OpenBSD refuses AES-GCM
 * with manual keys); other manual SAs are refused with a reason.
 */
public final class ManualKeying {

    private ManualKeying() {
    }

    /** Why a rule cannot be installed. */
    public static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        public Unsupported(String message) {
            super(message);
        }
    }

    public static Flow flow(FlowRule r) {
        Selector sel = new Selector(net(r.src()), net(r.dst()), r.proto(), r.srcPort(), r.dstPort());
        FlowDirection d = r.direction() == dev.tandem.conf.ipsec.Direction.IN ? FlowDirection.IN : FlowDirection.OUT;
        FlowType type = switch (r.type()) {
            case USE -> FlowType.USE;
            case ACQUIRE -> FlowType.ACQUIRE;
            case REQUIRE -> FlowType.REQUIRE;
            case DONTACQ -> FlowType.DONTACQ;
            case BYPASS -> FlowType.BYPASS;
            case DENY -> FlowType.DENY;
        };
        SaProtocol proto = r.saType() == SaType.AH ? SaProtocol.AH : SaProtocol.ESP;
        return new Flow(d, sel, proto, type, r.peer() == null ? null : r.peer().address(),
                r.local() == null ? null : r.local().address(),
                r.ids() == null ? null : r.ids().srcId(), r.ids() == null ? null : r.ids().dstId());
    }

    private static IpNet net(Host h) {
        return new IpNet(h.address(), h.prefix());
    }

    /**
     * @param replayWindow the inbound anti-replay window for the SA
     * @throws Unsupported for SAs the data plane does not carry
     */
    public static SaSpec sa(SaRule r, int replayWindow) throws Unsupported {
        if (r.saType() != SaType.ESP) {
            throw new Unsupported(r.saType().keyword() + " SAs are not supported, only esp");
        }
        if (r.src().prefix() != r.src().address().bits() || r.dst().prefix() != r.dst().address().bits()) {
            throw new Unsupported("an SA needs host addresses, not networks");
        }
        EncAlgorithm enc = r.transforms().enc();
        AuthAlgorithm auth = r.transforms().auth();
        Integrity integrity = switch (auth) {
            case HMAC_SHA1 -> Integrity.HMAC_SHA1_96;
            case HMAC_SHA2_256 -> Integrity.HMAC_SHA2_256_128;
            case HMAC_SHA2_384 -> Integrity.HMAC_SHA2_384_192;
            case HMAC_SHA2_512 -> Integrity.HMAC_SHA2_512_256;
            case null, default -> throw new Unsupported("auth " + (auth == null ? "none" : auth.keyword())
                    + " is not supported; use hmac-sha1 or hmac-sha2-256/384/512");
        };
        byte[] authKey = r.authKey().bytes();
        EspTransform t;
        byte[] encKey = null;
        switch (enc) {
            case AES, AES_128, AES_192, AES_256 -> {
                encKey = r.encKey().bytes();
                if (encKey.length != 16 && encKey.length != 24 && encKey.length != 32) {
                    throw new Unsupported("an AES key must have 128, 192 or 256 bits, not " + encKey.length * 8);
                }
                t = new EspTransform.AesCbcHmac(encKey.length, integrity);
            }
            case NULL -> t = new EspTransform.NullHmac(integrity);
            default -> throw new Unsupported("enc " + enc.keyword() + " is not supported; use aes or null");
        }
        Encapsulation encap = r.udpEncap() == null ? Encapsulation.RAW
                : new Encapsulation.Udp(4500, r.udpEncap().port() == 0 ? 4500 : r.udpEncap().port());
        return new SaSpec(new SaId(r.dst().address(), SaProtocol.ESP, r.spi().value()), r.src().address(),
                r.mode() == TunnelMode.TRANSPORT ? SaMode.TRANSPORT : SaMode.TUNNEL,
                new EspKeys(t, encKey, authKey), encap, false, replayWindow, SaLifetime.NONE, SaLifetime.NONE);
    }
}
