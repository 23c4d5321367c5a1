package dev.tandem.ike.crypto;

import java.security.PrivateKey;

/**
 * Our half of one Diffie-Hellman exchange: the public value in IKE wire form
 * (the KE payload body) and the private key, which never leaves this package
 * and is never printed.
 */
public final class DhKeyPair {

    private final DhGroup group;
    private final byte[] publicValue;
    private final PrivateKey privateKey;

    DhKeyPair(DhGroup group, byte[] publicValue, PrivateKey privateKey) {
        this.group = group;
        this.publicValue = publicValue.clone();
        this.privateKey = privateKey;
    }

    public DhGroup group() {
        return group;
    }

    /** The KE payload body: exactly {@link DhGroup#publicValueLength()} bytes. */
    public byte[] publicValue() {
        return publicValue.clone();
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "DhKeyPair[" + group + ", private key hidden]";
    }
}
