package dev.tandem.conf.ipsec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ipsec.conf macros. Definitions from the command line ({@code -D}) persist:
 * the file cannot override them. A redefinition moves the macro to the end,
 * which is the order unused macros are reported in.
 */
final class Macros {

    private static final class Sym {
        final String value;
        final boolean persist;
        boolean used;

        Sym(String value, boolean persist) {
            this.value = value;
            this.persist = persist;
        }
    }

    private final Map<String, Sym> symbols = new LinkedHashMap<>();

    void define(String name, String value, boolean persist) {
        Sym old = symbols.get(name);
        if (old != null) {
            if (old.persist) {
                return;
            }
            symbols.remove(name);
        }
        symbols.put(name, new Sym(value, persist));
    }

    /** The value of {@code name}, marking it used, or null when undefined. */
    String get(String name) {
        Sym s = symbols.get(name);
        if (s == null) {
            return null;
        }
        s.used = true;
        return s.value;
    }

    List<String> unused() {
        List<String> out = new ArrayList<>();
        symbols.forEach((n, s) -> {
            if (!s.used) {
                out.add(n);
            }
        });
        return out;
    }
}
