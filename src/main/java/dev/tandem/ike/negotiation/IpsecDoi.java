package dev.tandem.ike.negotiation;

/**
 * Numbers of the IPsec DOI (RFC 2407) and of IKE's phase 1 attribute values
 * (RFC 2409 Appendix A) that the proposal code writes and matches. The
 * attribute types themselves are {@link dev.tandem.ike.wire.Phase1Attribute}
 * and {@link dev.tandem.ike.wire.Phase2Attribute}.
 */
final class IpsecDoi {

    static final long DOI_IPSEC = 1;
    static final long SIT_IDENTITY_ONLY = 1;

    /** Phase 1 transform ID (RFC 2407 §4.4.2). */
    static final int KEY_IKE = 1;

    // phase 1 attribute values (RFC 2409 Appendix A)
    static final int ENC_3DES_CBC = 5;
    static final int ENC_AES_CBC = 7;
    static final int HASH_SHA = 2;
    static final int HASH_SHA2_256 = 4;
    static final int HASH_SHA2_384 = 5;
    static final int HASH_SHA2_512 = 6;
    static final int AUTH_PRE_SHARED = 1;
    static final int LIFE_SECONDS = 1;
    static final int LIFE_KILOBYTES = 2;

    // ESP transform IDs (RFC 2407 §4.4.4, RFC 3602, RFC 4106)
    static final int ESP_NULL = 11;
    static final int ESP_AES = 12;
    static final int ESP_AES_GCM_16 = 20;

    // phase 2 attribute values (RFC 2407 §4.5, RFC 4868, RFC 3947 §5)
    static final int AUTH_HMAC_SHA = 2;
    static final int AUTH_HMAC_SHA2_256 = 5;
    static final int AUTH_HMAC_SHA2_384 = 6;
    static final int AUTH_HMAC_SHA2_512 = 7;
    static final int ENCAP_TUNNEL = 1;
    static final int ENCAP_TRANSPORT = 2;
    static final int ENCAP_UDP_TUNNEL = 3;
    static final int ENCAP_UDP_TRANSPORT = 4;
    /** The values of draft-ietf-ipsec-nat-t-ike before RFC 3947, still sent by old peers. */
    static final int ENCAP_UDP_TUNNEL_DRAFT = 61443;
    static final int ENCAP_UDP_TRANSPORT_DRAFT = 61444;

    private IpsecDoi() {
    }

    /** A duration as isakmpd writes it: basic when it fits 16 bits, else a 4-octet variable value. */
    static dev.tandem.ike.wire.DataAttribute duration(int type, long life) {
        long seconds = Math.min(life, 0xffffffffL);
        if (seconds <= 0xffff) {
            return dev.tandem.ike.wire.DataAttribute.basic(type, (int) seconds);
        }
        return dev.tandem.ike.wire.DataAttribute.variable(type, new byte[] {
            (byte) (seconds >>> 24), (byte) (seconds >>> 16), (byte) (seconds >>> 8), (byte) seconds});
    }

    /** The lifetime a negotiation settles on: the peer's when it is shorter than ours (0 = none). */
    static long shorterLife(long offered, long ours) {
        if (offered <= 0) {
            return ours;
        }
        return ours <= 0 || offered <= ours ? offered : ours;
    }

    /** DH group name for logs: "MODP2048", "ECP256", "CURVE25519". */
    static String groupName(dev.tandem.ike.crypto.DhGroup g) {
        return g.name().replace("_", "");
    }

    /** Both phases speak only the IPsec DOI with SIT_IDENTITY_ONLY; anything else makes the SA payload unusable. */
    static void checkSituation(dev.tandem.ike.wire.Payload.SecurityAssociation sa)
            throws dev.tandem.ike.wire.MalformedIsakmp {
        if (sa.doi() != DOI_IPSEC) {
            throw new dev.tandem.ike.wire.MalformedIsakmp("sa.doi", "DOI " + sa.doi() + ", only the IPsec DOI 1 is supported");
        }
        if (sa.situation() != SIT_IDENTITY_ONLY) {
            throw new dev.tandem.ike.wire.MalformedIsakmp("sa.situation", "situation " + sa.situation()
                    + ", only SIT_IDENTITY_ONLY (1) is supported");
        }
    }
}
