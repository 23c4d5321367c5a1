package dev.tandem.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 as IKE group 31 (RFC 8031): the KE payload is the 32-byte
 * little-endian u coordinate and the secret the 32-byte X25519 output, which
 * must not be all zero (a low-order peer point).
 */
record X25519Exchange() implements KeyExchange {

    private static final int LENGTH = 32;
    /** DER of SubjectPublicKeyInfo for X25519 (RFC 8410) up to the raw key. */
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    @Override
    public int publicValueLength() {
        return LENGTH;
    }

    @Override
    public int sharedSecretLength() {
        return LENGTH;
    }

    @Override
    public DhKeyPair generate(DhGroup group, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(255, random);
            KeyPair kp = g.generateKeyPair();
            BigInteger u = ((XECPublicKey) kp.getPublic()).getU();
            return new DhKeyPair(group, littleEndian(u), kp.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 key generation failed", e);
        }
    }

    @Override
    public byte[] agree(DhKeyPair mine, byte[] peerPublic) throws IkeCryptoException {
        if (peerPublic.length != LENGTH) {
            throw new IkeCryptoException("KE public value of " + peerPublic.length + " bytes, "
                    + mine.group() + " needs " + LENGTH);
        }
        byte[] secret;
        try {
            var peerKey = KeyFactory.getInstance("X25519")
                    .generatePublic(new X509EncodedKeySpec(Bytes.concat(SPKI_PREFIX, peerPublic)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(mine.privateKey());
            ka.doPhase(peerKey, true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException e) {
            // The JDK itself refuses an all-zero output with this exception.
            throw new IkeCryptoException("X25519 public value rejected: " + e.getMessage(), e);
        }
        if (secret.length != LENGTH || Bytes.allZero(secret)) {
            throw new IkeCryptoException("X25519 shared secret is all zero: peer sent a low-order point");
        }
        return secret;
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] be = Bytes.unsigned(u, LENGTH);
        byte[] le = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            le[i] = be[LENGTH - 1 - i];
        }
        return le;
    }
}
