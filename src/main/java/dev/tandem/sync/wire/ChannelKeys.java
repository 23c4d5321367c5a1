package dev.tandem.sync.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * The two AES-256-GCM keys of one connection, one per direction:
 * HKDF-SHA256 (RFC 5869) of the shared key, salted with both HELLO nonces
 * (initiator's first) so every connection has keys of its own, expanded
 * with an info string naming the direction.
 */
final class ChannelKeys {

    static final int KEY_LENGTH = 32;

    private final SecretKey initiatorToResponder;
    private final SecretKey responderToInitiator;

    private ChannelKeys(SecretKey i2r, SecretKey r2i) {
        this.initiatorToResponder = i2r;
        this.responderToInitiator = r2i;
    }

    static ChannelKeys derive(SyncKey key, byte[] initiatorNonce, byte[] responderNonce) {
        byte[] salt = new byte[initiatorNonce.length + responderNonce.length];
        System.arraycopy(initiatorNonce, 0, salt, 0, initiatorNonce.length);
        System.arraycopy(responderNonce, 0, salt, initiatorNonce.length, responderNonce.length);
        byte[] ikm = key.bytes();
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return new ChannelKeys(expand(hkdf, ikm, salt, Side.INFO_I2R), expand(hkdf, ikm, salt, Side.INFO_R2I));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable", e);
        } finally {
            java.util.Arrays.fill(ikm, (byte) 0);
        }
    }

    private static SecretKey expand(KDF hkdf, byte[] ikm, byte[] salt, String info) throws GeneralSecurityException {
        return hkdf.deriveKey("AES", HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt)
                .thenExpand(info.getBytes(StandardCharsets.US_ASCII), KEY_LENGTH));
    }

    SecretKey initiatorToResponder() {
        return initiatorToResponder;
    }

    SecretKey responderToInitiator() {
        return responderToInitiator;
    }

    SecretKey sending(Side side) {
        return side == Side.INITIATOR ? initiatorToResponder : responderToInitiator;
    }

    SecretKey receiving(Side side) {
        return side == Side.INITIATOR ? responderToInitiator : initiatorToResponder;
    }

    @Override
    public String toString() {
        return "ChannelKeys[AES-256-GCM x2]";
    }
}
