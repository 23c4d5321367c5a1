package dev.tandem.esp;

/**
 * The cryptographic transform of an ESP SA: how the payload is encrypted and
 * authenticated, and so the sizes of IV, padding block and ICV.
 */
public sealed interface EspTransform {

    /** Bytes of explicit IV after the sequence number. */
    int ivLength();

    /** Bytes of integrity check value at the end. */
    int icvLength();

    /** The payload, padding, pad length and next header together are a multiple of this. */
    int blockSize();

    /** Bytes of encryption key material (with the salt of GCM). */
    int encKeyLength();

    /** Bytes of authentication key, 0 for AEAD. */
    int authKeyLength();

    /** AES-GCM with a 16-byte ICV (RFC 4106); the key material ends with a 4-byte salt. */
    record AesGcm(int aesKeyLength) implements EspTransform {
        public AesGcm {
            if (aesKeyLength != 16 && aesKeyLength != 24 && aesKeyLength != 32) {
                throw new IllegalArgumentException("AES key of " + aesKeyLength + " bytes");
            }
        }

        @Override public int ivLength() { return 8; }
        @Override public int icvLength() { return 16; }
        @Override public int blockSize() { return 4; }
        @Override public int encKeyLength() { return aesKeyLength + 4; }
        @Override public int authKeyLength() { return 0; }
    }

    /** AES-CBC (RFC 3602) with an HMAC (RFC 2404, RFC 4868). */
    record AesCbcHmac(int aesKeyLength, Integrity integrity) implements EspTransform {
        public AesCbcHmac {
            if (aesKeyLength != 16 && aesKeyLength != 24 && aesKeyLength != 32) {
                throw new IllegalArgumentException("AES key of " + aesKeyLength + " bytes");
            }
        }

        @Override public int ivLength() { return 16; }
        @Override public int icvLength() { return integrity.icvLength(); }
        @Override public int blockSize() { return 16; }
        @Override public int encKeyLength() { return aesKeyLength; }
        @Override public int authKeyLength() { return integrity.keyLength(); }
    }

    /** NULL encryption (RFC 2410) with an HMAC: integrity only. */
    record NullHmac(Integrity integrity) implements EspTransform {
        @Override public int ivLength() { return 0; }
        @Override public int icvLength() { return integrity.icvLength(); }
        @Override public int blockSize() { return 4; }
        @Override public int encKeyLength() { return 0; }
        @Override public int authKeyLength() { return integrity.keyLength(); }
    }
}
