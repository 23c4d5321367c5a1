package dev.tandem.ike.negotiation;

import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;

/**
 * The phase 1 transform both ends agreed on (authentication is always a
 * pre-shared key).
 *
 * @param lifeSeconds     the IKE SA lifetime this end enforces, 0 for none
 * @param transformNumber the number of the transform in the offer
 */
public record Phase1Choice(IkeCipher cipher, Prf hash, DhGroup group, long lifeSeconds, int transformNumber) { }
