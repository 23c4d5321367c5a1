package dev.tandem.conf.ipsec;

import java.util.Map;
import java.util.TreeMap;

/** Tokens of ipsec.conf: the keywords, words, numbers and single characters. */
enum TokenKind {
    ACQUIRE("acquire"), ACTIVE("active"), AGGRESSIVE("aggressive"), AH("ah"), ANY("any"),
    AUTHXF("auth"), AUTHKEY("authkey"), BUNDLE("bundle"), BYPASS("bypass"), COMPXF("comp"),
    DENY("deny"), DONTACQ("dontacq"), DSTID("dstid"), DYNAMIC("dynamic"), ENCXF("enc"),
    ENCKEY("enckey"), ESP("esp"), FILENAME("file"), FLOW("flow"), FROM("from"), GROUP("group"),
    IKE("ike"), IN("in"), INCLUDE("include"), INTERFACE("interface"), IPCOMP("ipcomp"),
    IPIP("ipip"), LIFETIME("lifetime"), LOCAL("local"), MAIN("main"), OUT("out"),
    PASSIVE("passive"), PEER("peer"), PORT("port"), PROTO("proto"), PSK("psk"), QUICK("quick"),
    REQUIRE("require"), RSA("rsa"), SPI("spi"), SRCID("srcid"), TAG("tag"), TCPMD5("tcpmd5"),
    TO("to"), TRANSPORT("transport"), TUNNEL("tunnel"), TYPE("type"), UDPENCAP("udpencap"),
    USE("use"),
    /** A word or quoted string that is not a keyword. */
    STRING(null),
    /** An integer. */
    NUMBER(null),
    /** Any other single character, '\n' included. */
    CHAR(null),
    /** What the lexer returns after reporting an error and skipping the line. */
    ERROR(null),
    EOF(null);

    private final String keyword;

    TokenKind(String keyword) {
        this.keyword = keyword;
    }

    String keyword() {
        return keyword;
    }

    private static final Map<String, TokenKind> KEYWORDS = new TreeMap<>();

    static {
        for (TokenKind k : values()) {
            if (k.keyword != null) {
                KEYWORDS.put(k.keyword, k);
            }
        }
    }

    /** The keyword spelled {@code word}, or STRING. */
    static TokenKind lookup(String word) {
        return KEYWORDS.getOrDefault(word, STRING);
    }
}
