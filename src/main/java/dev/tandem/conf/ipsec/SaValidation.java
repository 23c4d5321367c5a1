package dev.tandem.conf.ipsec;

/**
 * ipsecctl's validate_sa(): checks a manual SA and fills in the default
 * transforms (esp: aes with hmac-sha2-256; ah: hmac-sha2-256; ipcomp:
 * deflate). Reports the first problem and returns null.
 */
final class SaValidation {

    private SaValidation() {
    }

    static Transforms validate(Reporter r, long spi, SaType type, Transforms xfs, Key authKey, Key encKey) {
        if (spi == 0) {
            r.error("no SPI specified");
            return null;
        }
        switch (type) {
            case AH -> {
                if (xfs.auth() == null) {
                    xfs = xfs.withAuth(AuthAlgorithm.HMAC_SHA2_256);
                }
                if (xfs.enc() != null) {
                    r.error("ah does not provide encryption");
                    return null;
                }
                if (xfs.comp() != null) {
                    r.error("ah does not provide compression");
                    return null;
                }
            }
            case ESP -> {
                if (xfs.comp() != null) {
                    r.error("esp does not provide compression");
                    return null;
                }
                if (xfs.enc() == null) {
                    xfs = xfs.withEnc(EncAlgorithm.AES);
                }
                if (xfs.enc().noStaticKeys()) {
                    r.error(xfs.enc().keyword() + " is disallowed with static keys");
                    return null;
                }
                if (xfs.enc().aead() && xfs.auth() != null) {
                    r.error("authentication is implicit for " + xfs.enc().keyword());
                    return null;
                } else if (!xfs.enc().aead() && xfs.auth() == null) {
                    xfs = xfs.withAuth(AuthAlgorithm.HMAC_SHA2_256);
                }
            }
            case IPCOMP -> {
                if (xfs.auth() != null || xfs.enc() != null) {
                    r.error("no encryption or authentication with ipcomp");
                    return null;
                }
                if (xfs.comp() == null) {
                    xfs = xfs.withComp(CompAlgorithm.DEFLATE);
                }
            }
            case IPIP -> {
                if (xfs.auth() != null || xfs.enc() != null || xfs.comp() != null) {
                    r.error("no encryption, authentication or compression with ipip");
                    return null;
                }
            }
            case TCPMD5 -> {
                // tcpmd5 SAs carry no transforms; OpenBSD does not insist on a key either
                return xfs;
            }
            default -> throw new AssertionError(type);
        }
        if (xfs.auth() != null) {
            if (authKey == null && xfs.auth() != AuthAlgorithm.NONE) {
                r.error("no authentication key specified");
                return null;
            }
            if (authKey != null && authKey.length() != xfs.auth().keyBytes()) {
                r.error("wrong authentication key length, needs to be " + xfs.auth().keyBytes() * 8 + " bits");
                return null;
            }
        }
        if (xfs.enc() != null) {
            if (encKey == null && xfs.enc() != EncAlgorithm.NULL) {
                r.error("no encryption key specified");
                return null;
            }
            if (encKey != null) {
                if (encKey.length() < xfs.enc().keyMin()) {
                    r.error("encryption key too short (" + encKey.length() * 8 + " bits), minimum "
                            + xfs.enc().keyMin() * 8 + " bits");
                    return null;
                }
                if (xfs.enc().keyMax() < encKey.length()) {
                    r.error("encryption key too long (" + encKey.length() * 8 + " bits), maximum "
                            + xfs.enc().keyMax() * 8 + " bits");
                    return null;
                }
            }
        }
        return xfs;
    }
}
