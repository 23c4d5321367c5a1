package dev.tandem.ike.policy;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import java.util.Objects;

/**
 * One phase 1 transform of a policy (isakmpd's phase1-transform section):
 * what an initiator offers and what a responder accepts. {@code cipher} is
 * the offered cipher; a responder also accepts the same algorithm with a key
 * of {@code minKeyBits} to {@code maxKeyBits} (isakmpd's KEY_LENGTH
 * "offer,min:max"; for 3DES both are 192).
 */
public record Phase1Transform(IkeCipher cipher, int minKeyBits, int maxKeyBits, Prf hash, DhGroup group,
                              long lifeSeconds) {

    public Phase1Transform {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(group, "group");
        if (minKeyBits > cipher.keyLength() * 8 || maxKeyBits < cipher.keyLength() * 8) {
            throw new IllegalArgumentException("offered key length outside " + minKeyBits + ":" + maxKeyBits);
        }
        if (lifeSeconds < 0) {
            throw new IllegalArgumentException("negative lifetime");
        }
    }

    /** A transform that accepts only what it offers. */
    public static Phase1Transform exactly(IkeCipher cipher, Prf hash, DhGroup group, long lifeSeconds) {
        return new Phase1Transform(cipher, cipher.keyLength() * 8, cipher.keyLength() * 8, hash, group, lifeSeconds);
    }
}
