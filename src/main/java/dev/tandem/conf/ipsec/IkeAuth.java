package dev.tandem.conf.ipsec;

/**
 * Phase 1 authentication of an ike rule: a pre-shared key, or RSA signatures
 * when {@code psk} is null. The key never appears in toString().
 */
public record IkeAuth(String psk) {

    public static final IkeAuth RSA = new IkeAuth(null);

    public boolean isPsk() {
        return psk != null;
    }

    @Override
    public String toString() {
        return psk == null ? "IkeAuth[rsa]" : "IkeAuth[psk]";
    }
}
