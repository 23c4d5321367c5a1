package dev.tandem.conf.ipsec;

/** The srcid/dstid pair of a rule; either may be null. */
public record Ids(String srcId, String dstId) {

    public static final Ids NONE = new Ids(null, null);

    public IdType srcType() {
        return srcId == null ? null : IdType.of(srcId);
    }

    public IdType dstType() {
        return dstId == null ? null : IdType.of(dstId);
    }
}
