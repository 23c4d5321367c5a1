package dev.tandem.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;

/**
 * A MODP group (RFC 2409 section 6, RFC 3526): public values and secrets are
 * big-endian, padded to the prime.
 *
 * @param exponentBits length of the private exponent. A full-length one (the
 *                     JDK's default) makes every exchange several times
 *                     slower for no gain: RFC 3526 section 8 gives the
 *                     exponent sizes that match each group's strength; we use
 *                     its larger estimate
 */
record ModpExchange(BigInteger prime, int exponentBits) implements KeyExchange {

    private static final BigInteger GENERATOR = BigInteger.TWO;

    ModpExchange {
        if (exponentBits < 256 || exponentBits >= prime.bitLength()) {
            throw new IllegalArgumentException("private exponent of " + exponentBits + " bits");
        }
    }

    private DHParameterSpec params() {
        return new DHParameterSpec(prime, GENERATOR, exponentBits);
    }

    @Override
    public int publicValueLength() {
        return (prime.bitLength() + 7) / 8;
    }

    @Override
    public int sharedSecretLength() {
        return publicValueLength();
    }

    @Override
    public DhKeyPair generate(DhGroup group, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(params(), random);
            KeyPair kp = g.generateKeyPair();
            BigInteger y = ((DHPublicKey) kp.getPublic()).getY();
            return new DhKeyPair(group, Bytes.unsigned(y, publicValueLength()), kp.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK DH key generation failed for " + group, e);
        }
    }

    @Override
    public byte[] agree(DhKeyPair mine, byte[] peerPublic) throws IkeCryptoException {
        if (peerPublic.length != publicValueLength()) {
            throw new IkeCryptoException("KE public value of " + peerPublic.length + " bytes, "
                    + mine.group() + " needs " + publicValueLength());
        }
        BigInteger y = new BigInteger(1, peerPublic);
        // 1 and p-1 generate subgroups of order 1 and 2: the secret would be guessable.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(prime.subtract(BigInteger.ONE)) >= 0) {
            throw new IkeCryptoException("KE public value out of range 1 < y < p-1 for " + mine.group());
        }
        try {
            var peerKey = KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, prime, GENERATOR));
            KeyAgreement ka = KeyAgreement.getInstance("DH");
            ka.init(mine.privateKey());
            ka.doPhase(peerKey, true);
            byte[] secret = Bytes.leftPad(ka.generateSecret(), sharedSecretLength());
            if (Bytes.allZero(secret)) {
                throw new IkeCryptoException("degenerate DH shared secret for " + mine.group());
            }
            return secret;
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException("KE public value rejected for " + mine.group() + ": " + e.getMessage(), e);
        }
    }
}
