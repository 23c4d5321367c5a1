package dev.tandem.ike.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The expected values of the tests, computed with plain JCA rather than the code under test. */
final class Hmac {

    private Hmac() {
    }

    static byte[] mac(String alg, byte[] key, byte[]... parts) {
        try {
            Mac m = Mac.getInstance(alg);
            m.init(new SecretKeySpec(key, alg));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] sha1(byte[]... parts) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] fill(int length, int start) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }
}
