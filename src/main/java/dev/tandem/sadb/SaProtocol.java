package dev.tandem.sadb;

/** The IPsec protocol of an SA, with its IP protocol number. */
public enum SaProtocol {
    ESP(50), AH(51);

    private final int ipProtocol;

    SaProtocol(int ipProtocol) {
        this.ipProtocol = ipProtocol;
    }

    public int ipProtocol() {
        return ipProtocol;
    }
}
