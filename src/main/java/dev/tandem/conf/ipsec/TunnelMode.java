package dev.tandem.conf.ipsec;

/** IPsec encapsulation mode. */
public enum TunnelMode {
    TRANSPORT("transport", "TRANSPORT"), TUNNEL("tunnel", "TUNNEL");

    private final String keyword;
    private final String isakmpdName;

    TunnelMode(String keyword, String isakmpdName) {
        this.keyword = keyword;
        this.isakmpdName = isakmpdName;
    }

    public String keyword() {
        return keyword;
    }

    public String isakmpdName() {
        return isakmpdName;
    }
}
