package dev.tandem.ike.crypto;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import java.util.Arrays;

/**
 * Quick mode (RFC 2409 section 5.5) and informational (section 5.7) hashes
 * and the KEYMAT of the negotiated SAs, from SKEYID_a and SKEYID_d of the
 * phase 1 SA. Never prints key material.
 */
public final class QuickModeKeys {

    /** PROTO_IPSEC_ESP of the IPsec DOI (RFC 2407 section 4.4.1). */
    public static final int PROTO_IPSEC_ESP = 3;

    private final Prf prf;
    private final byte[] skeyidD;
    private final byte[] skeyidA;

    public QuickModeKeys(Prf prf, byte[] skeyidD, byte[] skeyidA) {
        this.prf = prf;
        this.skeyidD = skeyidD.clone();
        this.skeyidA = skeyidA.clone();
    }

    /**
     * HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [ | KE ] [ | IDci | IDcr ]):
     * {@code payloadsAfterHash} is the message from the payload after HASH to
     * the end, generic headers included (the same bytes form the
     * informational HASH(1)).
     */
    public byte[] hash1(int messageId, byte[] payloadsAfterHash) {
        return prf.apply(skeyidA, Bytes.int32(messageId), payloadsAfterHash);
    }

    /** HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [ | KE ] [ | IDci | IDcr ]). */
    public byte[] hash2(int messageId, byte[] niB, byte[] payloadsAfterHash) {
        return prf.apply(skeyidA, Bytes.int32(messageId), niB, payloadsAfterHash);
    }

    /** HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b), the 0 a single octet. */
    public byte[] hash3(int messageId, byte[] niB, byte[] nrB) {
        return prf.apply(skeyidA, new byte[] {0}, Bytes.int32(messageId), niB, nrB);
    }

    /**
     * KEYMAT of the SA with this SPI (the SPI its receiver chose, so each
     * direction differs), {@code length} bytes of K1 | K2 | ... where
     * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b) and
     * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
     *
     * @param pfsSecret g(qm)^xy of the quick mode KE exchange, or null without PFS
     */
    public byte[] keymat(byte[] pfsSecret, int protocol, int spi, byte[] niB, byte[] nrB, int length) {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol);
        }
        if (length < 0) {
            throw new IllegalArgumentException("KEYMAT length " + length);
        }
        byte[] seed = Bytes.concat(pfsSecret == null ? new byte[0] : pfsSecret,
                new byte[] {(byte) protocol}, Bytes.int32(spi), niB, nrB);
        byte[] out = new byte[length];
        byte[] k = new byte[0];
        int o = 0;
        while (o < length) {
            k = prf.apply(skeyidD, k, seed);
            int n = Math.min(k.length, length - o);
            System.arraycopy(k, 0, out, o, n);
            o += n;
        }
        return out;
    }

    /**
     * The ESP keys of one SA: KEYMAT split as the encryption key first, then
     * the authentication key (the order of isakmpd and of RFC 7296 section
     * 2.17); for AES-GCM the encryption material is key | 4-byte salt (RFC 4106
     * section 8.1) and there is no authentication key.
     */
    public EspKeys espKeys(EspTransform transform, byte[] pfsSecret, int spi, byte[] niB, byte[] nrB) {
        int enc = transform.encKeyLength();
        int auth = transform.authKeyLength();
        byte[] km = keymat(pfsSecret, PROTO_IPSEC_ESP, spi, niB, nrB, enc + auth);
        try {
            return new EspKeys(transform, Arrays.copyOfRange(km, 0, enc), Arrays.copyOfRange(km, enc, enc + auth));
        } finally {
            Arrays.fill(km, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "QuickModeKeys[" + prf + ", keys hidden]";
    }
}
