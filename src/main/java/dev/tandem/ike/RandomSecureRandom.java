package dev.tandem.ike;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The injected random source as the SecureRandom that JCA key generation
 * wants: production injects a SecureRandom, used as it is; the simulator
 * injects a seeded generator so that runs replay.
 */
final class RandomSecureRandom extends SecureRandom {

    private final transient RandomGenerator source;

    private RandomSecureRandom(RandomGenerator source) {
        this.source = source;
    }

    static SecureRandom of(RandomGenerator r) {
        return r instanceof SecureRandom s ? s : new RandomSecureRandom(r);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        source.nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int n) {
        byte[] b = new byte[n];
        source.nextBytes(b);
        return b;
    }
}
