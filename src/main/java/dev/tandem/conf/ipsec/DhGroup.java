package dev.tandem.conf.ipsec;

import java.util.List;
import java.util.Optional;

/** Diffie-Hellman groups of ipsec.conf's "group" transform. */
public enum DhGroup {
    UNKNOWN(null), NONE(null),
    MODP_768("MODP_768"), MODP_1024("MODP_1024"), MODP_1536("MODP_1536"), MODP_2048("MODP_2048"),
    MODP_3072("MODP_3072"), MODP_4096("MODP_4096"), MODP_6144("MODP_6144"), MODP_8192("MODP_8192"),
    ECP_256("ECP_256"), ECP_384("ECP_384"), ECP_521("ECP_521"), ECP_224("ECP_224"),
    BP_224("BP_224"), BP_256("BP_256"), BP_384("BP_384"), BP_512("BP_512");

    private final String isakmpdName;

    DhGroup(String isakmpdName) {
        this.isakmpdName = isakmpdName;
    }

    /** isakmpd's GROUP_DESCRIPTION value, null for none/unknown. */
    public String isakmpdName() {
        return isakmpdName;
    }

    private record Row(String keyword, DhGroup group) { }

    /** ipsecctl's name table: each group under its name and its IKE group number alias. */
    private static final List<Row> TABLE = List.of(
            new Row("unknown", UNKNOWN), new Row("none", NONE),
            new Row("modp768", MODP_768), new Row("grp1", MODP_768),
            new Row("modp1024", MODP_1024), new Row("grp2", MODP_1024),
            new Row("modp1536", MODP_1536), new Row("grp5", MODP_1536),
            new Row("modp2048", MODP_2048), new Row("grp14", MODP_2048),
            new Row("modp3072", MODP_3072), new Row("grp15", MODP_3072),
            new Row("modp4096", MODP_4096), new Row("grp16", MODP_4096),
            new Row("modp6144", MODP_6144), new Row("grp17", MODP_6144),
            new Row("modp8192", MODP_8192), new Row("grp18", MODP_8192),
            new Row("ecp256", ECP_256), new Row("grp19", ECP_256),
            new Row("ecp384", ECP_384), new Row("grp20", ECP_384),
            new Row("ecp521", ECP_521), new Row("grp21", ECP_521),
            new Row("ecp224", ECP_224), new Row("grp26", ECP_224),
            new Row("bp224", BP_224), new Row("grp27", BP_224),
            new Row("bp256", BP_256), new Row("grp28", BP_256),
            new Row("bp384", BP_384), new Row("grp29", BP_384),
            new Row("bp512", BP_512), new Row("grp30", BP_512));

    /** The keyword the table lists first for this group. */
    public String keyword() {
        for (Row r : TABLE) {
            if (r.group == this) {
                return r.keyword;
            }
        }
        throw new AssertionError(this);
    }

    public static Optional<DhGroup> byPrefix(String text) {
        for (Row r : TABLE) {
            if (r.keyword.startsWith(text)) {
                return Optional.of(r.group);
            }
        }
        return Optional.empty();
    }
}
