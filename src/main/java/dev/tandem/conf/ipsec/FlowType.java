package dev.tandem.conf.ipsec;

/** What a flow does with matching packets (ipsec.conf "type"). */
public enum FlowType {
    USE("use"), ACQUIRE("acquire"), REQUIRE("require"), DENY("deny"), BYPASS("bypass"), DONTACQ("dontacq");

    private final String keyword;

    FlowType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
