package dev.tandem.ike.crypto;

/**
 * The keys of an IKEv1 SA authenticated with a pre-shared key (RFC 2409
 * section 5): SKEYID and its three children, the encryption key and the
 * HASH_I / HASH_R of main mode. Never prints key material.
 */
public final class Phase1Keys {

    private static final int COOKIE_LENGTH = 8;

    private final Prf prf;
    private final IkeCipher cipher;
    private final byte[] skeyid;
    private final byte[] skeyidD;
    private final byte[] skeyidA;
    private final byte[] skeyidE;
    private final byte[] encryptionKey;

    private Phase1Keys(Prf prf, IkeCipher cipher, byte[] skeyid, byte[] d, byte[] a, byte[] e) {
        this.prf = prf;
        this.cipher = cipher;
        this.skeyid = skeyid;
        this.skeyidD = d;
        this.skeyidA = a;
        this.skeyidE = e;
        this.encryptionKey = encryptionKey(prf, e, cipher.keyLength());
    }

    /**
     * SKEYID = prf(pre-shared-key, Ni_b | Nr_b), then
     * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0),
     * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1),
     * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2).
     * Nonces are payload bodies; g^xy is as {@link DhGroup#agree} returns it.
     */
    public static Phase1Keys preSharedKey(Prf prf, IkeCipher cipher, byte[] preSharedKey,
            byte[] niB, byte[] nrB, byte[] gxy, byte[] ckyI, byte[] ckyR) {
        checkCookies(ckyI, ckyR);
        byte[] skeyid = prf.apply(preSharedKey, niB, nrB);
        byte[] d = prf.apply(skeyid, gxy, ckyI, ckyR, new byte[] {0});
        byte[] a = prf.apply(skeyid, d, gxy, ckyI, ckyR, new byte[] {1});
        byte[] e = prf.apply(skeyid, a, gxy, ckyI, ckyR, new byte[] {2});
        return new Phase1Keys(prf, cipher, skeyid, d, a, e);
    }

    /**
     * The keys of an established SA as another node derived them (cluster
     * replication): SKEYID itself is not needed after phase 1 and does not
     * travel, so {@link #hashI} and {@link #hashR} refuse to work.
     */
    public static Phase1Keys established(Prf prf, IkeCipher cipher, byte[] skeyidD, byte[] skeyidA,
            byte[] skeyidE) {
        if (skeyidD.length != prf.length() || skeyidA.length != prf.length() || skeyidE.length != prf.length()) {
            throw new IllegalArgumentException("SKEYID_d/a/e must be " + prf.length() + " bytes for " + prf);
        }
        return new Phase1Keys(prf, cipher, null, skeyidD.clone(), skeyidA.clone(), skeyidE.clone());
    }

    /**
     * The cipher key from SKEYID_e (Appendix B): its first bytes when long
     * enough, else the first bytes of K1 | K2 | ... with K1 = prf(SKEYID_e, 0)
     * and Kn = prf(SKEYID_e, Kn-1).
     */
    public static byte[] encryptionKey(Prf prf, byte[] skeyidE, int length) {
        if (skeyidE.length >= length) {
            return Bytes.prefix(skeyidE, length);
        }
        byte[] out = new byte[length];
        byte[] k = prf.apply(skeyidE, new byte[] {0});
        int o = 0;
        while (true) {
            int n = Math.min(k.length, length - o);
            System.arraycopy(k, 0, out, o, n);
            o += n;
            if (o == length) {
                return out;
            }
            k = prf.apply(skeyidE, k);
        }
    }

    /** HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b). */
    public byte[] hashI(byte[] gxi, byte[] gxr, byte[] ckyI, byte[] ckyR, byte[] saiB, byte[] idiiB) {
        checkCookies(ckyI, ckyR);
        checkSkeyid();
        return prf.apply(skeyid, gxi, gxr, ckyI, ckyR, saiB, idiiB);
    }

    /** HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b). */
    public byte[] hashR(byte[] gxi, byte[] gxr, byte[] ckyI, byte[] ckyR, byte[] saiB, byte[] idirB) {
        checkCookies(ckyI, ckyR);
        checkSkeyid();
        return prf.apply(skeyid, gxr, gxi, ckyR, ckyI, saiB, idirB);
    }

    /** For quick mode and informational exchanges protected by this SA. */
    public QuickModeKeys quickMode() {
        return new QuickModeKeys(prf, skeyidD, skeyidA);
    }

    public Prf prf() {
        return prf;
    }

    public IkeCipher cipher() {
        return cipher;
    }

    public byte[] skeyid() {
        checkSkeyid();
        return skeyid.clone();
    }

    public byte[] skeyidD() {
        return skeyidD.clone();
    }

    public byte[] skeyidA() {
        return skeyidA.clone();
    }

    public byte[] skeyidE() {
        return skeyidE.clone();
    }

    /** The key of {@link #cipher()}, exactly its key length. */
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    private void checkSkeyid() {
        if (skeyid == null) {
            throw new IllegalStateException("SKEYID of a replicated SA is unknown: phase 1 is over");
        }
    }

    private static void checkCookies(byte[] ckyI, byte[] ckyR) {
        if (ckyI.length != COOKIE_LENGTH || ckyR.length != COOKIE_LENGTH) {
            throw new IllegalArgumentException("cookies must be " + COOKIE_LENGTH + " bytes");
        }
    }

    @Override
    public String toString() {
        return "Phase1Keys[" + prf + ", " + cipher + ", keys hidden]";
    }
}
