package dev.tandem.conf.sasyncd;

import java.util.Locale;
import java.util.Optional;

/**
 * The words sasyncd's lexer turns into keywords, matched case-sensitively.
 * A token spelled like one of these is never a value, which is why a
 * shared key or interface named "sync" cannot be written. "interval" is not
 * here: OpenBSD declares the token but has no keyword entry for it.
 */
enum Keyword {
    CONTROL(true),
    FLUSHMODE(true),
    GROUP(true),
    INET(false),
    INET6(false),
    INTERFACE(true),
    LISTEN(true),
    MASTER(false),
    MODE(true),
    NEVER(false),
    ON(false),
    PEER(true),
    PORT(false),
    SHAREDKEY(true),
    SKIPSLAVE(false),
    SLAVE(false),
    STARTUP(false),
    SYNC(false);

    /** Whether a statement starts with this word; recovery after an error resumes at one. */
    final boolean startsStatement;

    Keyword(boolean startsStatement) {
        this.startsStatement = startsStatement;
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Keyword> of(String text) {
        for (Keyword k : values()) {
            if (k.word().equals(text)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The statement words as a list for messages: "control, flushmode, ... or sharedkey". */
    static String statements() {
        StringBuilder sb = new StringBuilder();
        Keyword[] all = values();
        Keyword last = null;
        for (Keyword k : all) {
            if (k.startsStatement) {
                last = k;
            }
        }
        for (Keyword k : all) {
            if (!k.startsStatement) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(k == last ? " or " : ", ");
            }
            sb.append(k.word());
        }
        return sb.toString();
    }
}
