package dev.tandem.conf.ipsec;

/** Direction of a flow. A rule without one yields an out flow and its reverse in flow. */
public enum Direction {
    IN("in"), OUT("out");

    private final String keyword;

    Direction(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public Direction reverse() {
        return this == IN ? OUT : IN;
    }
}
