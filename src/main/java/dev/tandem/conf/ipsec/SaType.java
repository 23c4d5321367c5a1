package dev.tandem.conf.ipsec;

/** The security protocol of an SA or flow, with ipsecctl's keyword. */
public enum SaType {
    ESP("esp"), AH("ah"), IPCOMP("ipcomp"), TCPMD5("tcpmd5"), IPIP("ipip");

    private final String keyword;

    SaType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
