package dev.tandem.ike.negotiation;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.wire.DataAttribute;
import dev.tandem.ike.wire.Phase1Attribute;
import dev.tandem.ike.wire.Transform;
import java.util.Optional;

/**
 * One received phase 1 transform with its attributes read out as raw
 * numbers (0 = absent), so that unsupported values can still be described.
 */
record Phase1Offer(int number, int transformId, int encryption, int keyBits, int hash, int auth, int group,
                   long lifeSeconds, boolean unknownAttribute) {

    static Phase1Offer read(Transform t) {
        int enc = 0;
        int keyBits = 0;
        int hash = 0;
        int auth = 0;
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
            Phase1Attribute type = Phase1Attribute.of(a.type()).orElse(null);
            switch (type) {
                case ENCRYPTION_ALGORITHM -> enc = (int) Math.min(v, Integer.MAX_VALUE);
                case KEY_LENGTH -> keyBits = (int) Math.min(v, Integer.MAX_VALUE);
                case HASH_ALGORITHM -> hash = (int) Math.min(v, Integer.MAX_VALUE);
                case AUTHENTICATION_METHOD -> auth = (int) Math.min(v, Integer.MAX_VALUE);
                case GROUP_DESCRIPTION -> group = (int) Math.min(v, Integer.MAX_VALUE);
                case LIFE_TYPE -> lifeType = (int) v;
                case LIFE_DURATION -> {
                    // a kilobyte limit may accompany the seconds; we only keep time
                    if (lifeType == IpsecDoi.LIFE_SECONDS) {
                        life = v;
                    } else if (lifeType != IpsecDoi.LIFE_KILOBYTES) {
                        unknown = true;
                    }
                }
                case null, default -> unknown = true;
            }
        }
        return new Phase1Offer(t.number(), t.transformId(), enc, keyBits, hash, auth, group, life, unknown);
    }

    /** The cipher this transform names, with AES's key length; empty when unsupported. */
    Optional<IkeCipher> cipher() {
        return switch (encryption) {
            case IpsecDoi.ENC_AES_CBC -> switch (keyBits) {
                // RFC 3602 wants KEY_LENGTH for AES; a peer leaving it out means the 128-bit default
                case 0, 128 -> Optional.of(IkeCipher.AES_128_CBC);
                case 192 -> Optional.of(IkeCipher.AES_192_CBC);
                case 256 -> Optional.of(IkeCipher.AES_256_CBC);
                default -> Optional.empty();
            };
            case IpsecDoi.ENC_3DES_CBC -> keyBits == 0 || keyBits == 192 ? Optional.of(IkeCipher.TRIPLE_DES_CBC)
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    Optional<Prf> prf() {
        return Optional.ofNullable(switch (hash) {
            case IpsecDoi.HASH_SHA -> Prf.HMAC_SHA1;
            case IpsecDoi.HASH_SHA2_256 -> Prf.HMAC_SHA2_256;
            case IpsecDoi.HASH_SHA2_384 -> Prf.HMAC_SHA2_384;
            case IpsecDoi.HASH_SHA2_512 -> Prf.HMAC_SHA2_512;
            default -> null;
        });
    }

    Optional<DhGroup> dhGroup() {
        return DhGroup.byNumber(group);
    }

    /** Whether this transform is one we can run at all: KEY_IKE, PSK, known cipher, hash and group. */
    boolean usable() {
        return transformId == IpsecDoi.KEY_IKE && !unknownAttribute && auth == IpsecDoi.AUTH_PRE_SHARED
                && cipher().isPresent() && prf().isPresent() && dhGroup().isPresent();
    }

    /** "AES-256/SHA2-256/MODP2048", with numbers for what we do not know. */
    String describe() {
        String c = cipher().map(Phase1Offer::cipherName).orElse("enc" + encryption
                + (keyBits != 0 ? "-" + keyBits : ""));
        String h = prf().map(Phase1Offer::hashName).orElse("hash" + hash);
        String g = dhGroup().map(IpsecDoi::groupName).orElse("group" + group);
        String a = auth == IpsecDoi.AUTH_PRE_SHARED ? "" : "/auth" + auth;
        return c + "/" + h + "/" + g + a;
    }

    static String cipherName(IkeCipher c) {
        return switch (c) {
            case AES_128_CBC -> "AES-128";
            case AES_192_CBC -> "AES-192";
            case AES_256_CBC -> "AES-256";
            case TRIPLE_DES_CBC -> "3DES";
        };
    }

    static String hashName(Prf p) {
        return switch (p) {
            case HMAC_SHA1 -> "SHA1";
            case HMAC_SHA2_256 -> "SHA2-256";
            case HMAC_SHA2_384 -> "SHA2-384";
            case HMAC_SHA2_512 -> "SHA2-512";
        };
    }
}
