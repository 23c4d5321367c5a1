package dev.tandem.ike.crypto;

import java.security.SecureRandom;

/** How one family of groups (MODP, ECP, Curve25519) maps JCA keys to IKE wire form. */
sealed interface KeyExchange permits ModpExchange, EcpExchange, X25519Exchange {

    int publicValueLength();

    int sharedSecretLength();

    DhKeyPair generate(DhGroup group, SecureRandom random);

    byte[] agree(DhKeyPair mine, byte[] peerPublic) throws IkeCryptoException;
}
