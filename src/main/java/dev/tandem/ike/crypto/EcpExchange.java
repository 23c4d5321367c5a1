package dev.tandem.ike.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * A NIST prime curve as an IKE group (RFC 5903): the KE payload is x | y,
 * each padded to the field size, without the 04 prefix of SEC1; the shared
 * secret is the x coordinate of the product point.
 */
record EcpExchange(String curveName, int fieldLength) implements KeyExchange {

    private ECParameterSpec params() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(curveName));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks curve " + curveName, e);
        }
    }

    @Override
    public int publicValueLength() {
        return 2 * fieldLength;
    }

    @Override
    public int sharedSecretLength() {
        return fieldLength;
    }

    @Override
    public DhKeyPair generate(DhGroup group, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curveName), random);
            KeyPair kp = g.generateKeyPair();
            ECPoint w = ((ECPublicKey) kp.getPublic()).getW();
            byte[] wire = Bytes.concat(Bytes.unsigned(w.getAffineX(), fieldLength),
                    Bytes.unsigned(w.getAffineY(), fieldLength));
            return new DhKeyPair(group, wire, kp.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK EC key generation failed for " + group, e);
        }
    }

    @Override
    public byte[] agree(DhKeyPair mine, byte[] peerPublic) throws IkeCryptoException {
        if (peerPublic.length != publicValueLength()) {
            throw new IkeCryptoException("KE public value of " + peerPublic.length + " bytes, "
                    + mine.group() + " needs " + publicValueLength());
        }
        ECParameterSpec spec = params();
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(peerPublic, 0, fieldLength));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(peerPublic, fieldLength, peerPublic.length));
        // Invalid-curve attacks feed points of small order on another curve: check
        // the equation ourselves rather than trusting every provider to do it.
        if (!onCurve(spec, x, y)) {
            throw new IkeCryptoException("KE public value is not a point on " + curveName);
        }
        try {
            var peerKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(mine.privateKey());
            ka.doPhase(peerKey, true);
            return Bytes.leftPad(ka.generateSecret(), fieldLength);
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException("KE public value rejected for " + mine.group() + ": " + e.getMessage(), e);
        }
    }

    /** y^2 = x^3 + ax + b (mod p) with both coordinates reduced; the curves have cofactor 1. */
    static boolean onCurve(ECParameterSpec spec, BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return lhs.equals(rhs);
    }
}
