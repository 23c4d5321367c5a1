package dev.tandem.ike.negotiation;

import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.Phase2Attribute;
import dev.tandem.ike.wire.Transform;
import java.util.Optional;

/**
 * One received ESP transform with its attributes read out as raw numbers
 * (0 = absent), so that unsupported values can still be described.
 */
record Phase2Offer(int number, int transformId, int keyBits, int auth, int encapsulation, int group,
                   long lifeSeconds, boolean unknownAttribute) {

    static Phase2Offer read(Transform t) {
        int keyBits = 0;
        int auth = 0;
        int encap = 0;
        int group = 0;
        long life = 0;
        int lifeType = 0;
        boolean unknown = false;
        for (DataAttribute a : t.attributes()) {
            long v = a.numeric().orElse(-1);
            if (v < 0) {
                unknown = true;
                continue;
            }
            int n = (int) Math.min(v, Integer.MAX_VALUE);
            switch (Phase2Attribute.of(a.type()).orElse(null)) {
                case KEY_LENGTH -> keyBits = n;
                case AUTHENTICATION_ALGORITHM -> auth = n;
                case ENCAPSULATION_MODE -> encap = n;
                case GROUP_DESCRIPTION -> group = n;
                case SA_LIFE_TYPE -> lifeType = n;
                case SA_LIFE_DURATION -> {
                    // a kilobyte limit beside the seconds is ignored: our SAs have no byte limit
                    if (lifeType == IpsecDoi.LIFE_SECONDS) {
                        life = v;
                    } else if (lifeType != IpsecDoi.LIFE_KILOBYTES) {
                        unknown = true;
                    }
                }
                case null, default -> unknown = true;
            }
        }
        return new Phase2Offer(t.number(), t.transformId(), keyBits, auth, encap, group, life, unknown);
    }

    /** The ESP transform named, empty when unsupported. */
    Optional<EspTransform> esp() {
        if (unknownAttribute) {
            return Optional.empty();
        }
        Integrity integrity = integrity(auth);
        return Optional.ofNullable(switch (transformId) {
            case IpsecDoi.ESP_AES_GCM_16 -> auth == 0 && aesBytes() > 0 ? new EspTransform.AesGcm(aesBytes()) : null;
            case IpsecDoi.ESP_AES -> integrity != null && aesBytes() > 0
                    ? new EspTransform.AesCbcHmac(aesBytes(), integrity) : null;
            case IpsecDoi.ESP_NULL -> integrity != null && keyBits == 0 ? new EspTransform.NullHmac(integrity) : null;
            default -> null;
        });
    }

    private int aesBytes() {
        return switch (keyBits) {
            // RFC 3602 §5.3: AES without KEY_LENGTH is 128 bits
            case 0, 128 -> 16;
            case 192 -> 24;
            case 256 -> 32;
            default -> 0;
        };
    }

    static Integrity integrity(int auth) {
        return switch (auth) {
            case IpsecDoi.AUTH_HMAC_SHA -> Integrity.HMAC_SHA1_96;
            case IpsecDoi.AUTH_HMAC_SHA2_256 -> Integrity.HMAC_SHA2_256_128;
            case IpsecDoi.AUTH_HMAC_SHA2_384 -> Integrity.HMAC_SHA2_384_192;
            case IpsecDoi.AUTH_HMAC_SHA2_512 -> Integrity.HMAC_SHA2_512_256;
            default -> null;
        };
    }

    static int authId(Integrity i) {
        return switch (i) {
            case HMAC_SHA1_96 -> IpsecDoi.AUTH_HMAC_SHA;
            case HMAC_SHA2_256_128 -> IpsecDoi.AUTH_HMAC_SHA2_256;
            case HMAC_SHA2_384_192 -> IpsecDoi.AUTH_HMAC_SHA2_384;
            case HMAC_SHA2_512_256 -> IpsecDoi.AUTH_HMAC_SHA2_512;
        };
    }

    /** Tunnel mode, or empty when ENCAPSULATION_MODE is absent or unknown. */
    Optional<Boolean> tunnel() {
        return switch (encapsulation) {
            case IpsecDoi.ENCAP_TUNNEL, IpsecDoi.ENCAP_UDP_TUNNEL, IpsecDoi.ENCAP_UDP_TUNNEL_DRAFT -> Optional.of(true);
            case IpsecDoi.ENCAP_TRANSPORT, IpsecDoi.ENCAP_UDP_TRANSPORT, IpsecDoi.ENCAP_UDP_TRANSPORT_DRAFT ->
                    Optional.of(false);
            default -> Optional.empty();
        };
    }

    boolean udp() {
        return encapsulation == IpsecDoi.ENCAP_UDP_TUNNEL || encapsulation == IpsecDoi.ENCAP_UDP_TRANSPORT
                || encapsulation == IpsecDoi.ENCAP_UDP_TUNNEL_DRAFT
                || encapsulation == IpsecDoi.ENCAP_UDP_TRANSPORT_DRAFT;
    }

    /** The PFS group; empty for none, and for an unknown number, which {@link #pfsKnown} tells apart. */
    Optional<DhGroup> pfs() {
        return DhGroup.byNumber(group);
    }

    boolean pfsKnown() {
        return group == 0 || pfs().isPresent();
    }

    /** "AES-256-GCM/PFS-MODP3072/tunnel", with numbers for what we do not know. */
    String describe() {
        String e = esp().map(Phase2Offer::espName).orElse("esp" + transformId
                + (keyBits != 0 ? "-" + keyBits : "") + (auth != 0 ? "/auth" + auth : ""));
        String g = group == 0 ? "" : "/PFS-" + pfs().map(IpsecDoi::groupName).orElse("group" + group);
        String m = switch (encapsulation) {
            case 0 -> "";
            case IpsecDoi.ENCAP_TUNNEL -> "/tunnel";
            case IpsecDoi.ENCAP_TRANSPORT -> "/transport";
            case IpsecDoi.ENCAP_UDP_TUNNEL, IpsecDoi.ENCAP_UDP_TUNNEL_DRAFT -> "/udp-tunnel";
            case IpsecDoi.ENCAP_UDP_TRANSPORT, IpsecDoi.ENCAP_UDP_TRANSPORT_DRAFT -> "/udp-transport";
            default -> "/encap" + encapsulation;
        };
        return e + g + m;
    }

    static String espName(EspTransform t) {
        return switch (t) {
            case EspTransform.AesGcm g -> "AES-" + g.aesKeyLength() * 8 + "-GCM";
            case EspTransform.AesCbcHmac c -> "AES-" + c.aesKeyLength() * 8 + "/" + integrityName(c.integrity());
            case EspTransform.NullHmac n -> "NULL/" + integrityName(n.integrity());
        };
    }

    private static String integrityName(Integrity i) {
        return switch (i) {
            case HMAC_SHA1_96 -> "HMAC-SHA1";
            case HMAC_SHA2_256_128 -> "HMAC-SHA2-256";
            case HMAC_SHA2_384_192 -> "HMAC-SHA2-384";
            case HMAC_SHA2_512_256 -> "HMAC-SHA2-512";
        };
    }
}
