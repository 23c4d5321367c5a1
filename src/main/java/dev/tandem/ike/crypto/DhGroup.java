package dev.tandem.ike.crypto;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The Diffie-Hellman groups of IKE by their group number (IANA "Group
 * Description"), with public values and shared secrets in IKE wire form.
 */
public enum DhGroup {
    MODP_768(1, new ModpExchange(ModpPrimes.MODP_768, 256)),
    MODP_1024(2, new ModpExchange(ModpPrimes.MODP_1024, 256)),
    MODP_1536(5, new ModpExchange(ModpPrimes.MODP_1536, 320)),
    MODP_2048(14, new ModpExchange(ModpPrimes.MODP_2048, 320)),
    MODP_3072(15, new ModpExchange(ModpPrimes.MODP_3072, 420)),
    MODP_4096(16, new ModpExchange(ModpPrimes.MODP_4096, 480)),
    MODP_6144(17, new ModpExchange(ModpPrimes.MODP_6144, 540)),
    MODP_8192(18, new ModpExchange(ModpPrimes.MODP_8192, 620)),
    ECP_256(19, new EcpExchange("secp256r1", 32)),
    ECP_384(20, new EcpExchange("secp384r1", 48)),
    CURVE25519(31, new X25519Exchange());

    private final int number;
    private final KeyExchange exchange;

    DhGroup(int number, KeyExchange exchange) {
        this.number = number;
        this.exchange = exchange;
    }

    /** The IKE group number. */
    public int number() {
        return number;
    }

    public static Optional<DhGroup> byNumber(int number) {
        for (DhGroup g : values()) {
            if (g.number == number) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Bytes of the KE payload body. */
    public int publicValueLength() {
        return exchange.publicValueLength();
    }

    /** Bytes of g^xy as it enters SKEYID_d and KEYMAT. */
    public int sharedSecretLength() {
        return exchange.sharedSecretLength();
    }

    public DhKeyPair generate(SecureRandom random) {
        return exchange.generate(this, random);
    }

    /**
     * g^xy from our key pair and the peer's KE payload body, after checking the
     * peer's value (length, range or curve membership, non-degenerate result).
     */
    public byte[] agree(DhKeyPair mine, byte[] peerPublic) throws IkeCryptoException {
        if (mine.group() != this) {
            throw new IllegalArgumentException("key pair of " + mine.group() + " used with " + this);
        }
        if (peerPublic == null) {
            throw new IkeCryptoException("KE public value missing for " + this);
        }
        return exchange.agree(mine, peerPublic);
    }
}
