package dev.tandem.conf.carp;

import java.util.ArrayList;
import java.util.List;

/** Splits a carp.conf line into words: blanks separate, "double quotes" keep blanks, # starts a comment. */
final class Words {

    private Words() {
    }

    static List<String> split(String line) throws CarpConf.Problem {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                } else {
                    w.append(c);
                }
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                quoted = true;
                if (w == null) {
                    w = new StringBuilder();
                }
            } else if (c == ' ' || c == '\t' || c == '\r') {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else if (c < 0x20 || c == 0x7f) {
                throw new CarpConf.Problem("control character 0x" + Integer.toHexString(c) + " in line");
            } else {
                if (w == null) {
                    w = new StringBuilder();
                }
                w.append(c);
            }
        }
        if (quoted) {
            throw new CarpConf.Problem("unterminated quote");
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }
}
