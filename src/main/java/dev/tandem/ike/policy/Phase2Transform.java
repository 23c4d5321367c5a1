package dev.tandem.ike.policy;

import dev.tandem.esp.EspTransform;
import dev.tandem.ike.crypto.DhGroup;
import java.util.Objects;

/**
 * One quick mode transform (isakmpd's phase2-transform section): the ESP
 * transform offered, the key lengths accepted for the same algorithm
 * ({@code minKeyBits}..{@code maxKeyBits}; 0..0 where the algorithm has no
 * KEY_LENGTH), tunnel or transport, the PFS group (null: no PFS) and the
 * lifetime.
 */
public record Phase2Transform(EspTransform esp, int minKeyBits, int maxKeyBits, boolean tunnel, DhGroup pfs,
                              long lifeSeconds) {

    public Phase2Transform {
        Objects.requireNonNull(esp, "esp");
        if (lifeSeconds < 0) {
            throw new IllegalArgumentException("negative lifetime");
        }
    }
}
