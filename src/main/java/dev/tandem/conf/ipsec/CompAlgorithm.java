package dev.tandem.conf.ipsec;

import java.util.Optional;

/** The "comp" transforms of ipsec.conf in ipsecctl's table order. */
public enum CompAlgorithm {
    UNKNOWN("unknown"), DEFLATE("deflate");

    private final String keyword;

    CompAlgorithm(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<CompAlgorithm> byPrefix(String text) {
        for (CompAlgorithm a : values()) {
            if (a.keyword.startsWith(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
