package dev.tandem.ike;

import dev.tandem.esp.EspTransform;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.negotiation.Phase1Choice;
import dev.tandem.ike.negotiation.Phase2Choice;

/** The short algorithm names of logs and status ("AES-256/SHA2-256/MODP2048"). */
final class TransformNames {

    private TransformNames() {
    }

    static String of(Phase1Choice c) {
        return cipher(c.cipher()) + "/" + hash(c.hash()) + "/" + group(c.group());
    }

    static String of(Phase2Choice c) {
        String esp = switch (c.esp()) {
            case EspTransform.AesGcm g -> "AES-GCM-" + g.aesKeyLength() * 8;
            case EspTransform.AesCbcHmac a -> "AES-" + a.aesKeyLength() * 8 + "/" + a.integrity();
            case EspTransform.NullHmac n -> "NULL/" + n.integrity();
        };
        return c.pfs() == null ? esp : esp + "/" + group(c.pfs());
    }

    static String cipher(IkeCipher c) {
        return c == IkeCipher.TRIPLE_DES_CBC ? "3DES" : "AES-" + c.keyLength() * 8;
    }

    static String hash(Prf p) {
        return switch (p) {
            case HMAC_SHA1 -> "SHA1";
            case HMAC_SHA2_256 -> "SHA2-256";
            case HMAC_SHA2_384 -> "SHA2-384";
            case HMAC_SHA2_512 -> "SHA2-512";
        };
    }

    static String group(DhGroup g) {
        return g.name().replace("_", "");
    }
}
