package dev.tandem.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of the control protocol: a verb and named fields, written as
 * lines ("verb", then "key=value" lines, then an empty line). Values escape
 * backslash and newline, so any text fits. Bounded: a message longer than
 * {@link #MAX_BYTES} is refused.
 */
public record Message(String verb, Map<String, String> fields) {

    public static final int MAX_BYTES = 1 << 20;

    public Message {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Message of(String verb) {
        return new Message(verb, Map.of());
    }

    public String get(String key) {
        return fields.get(key);
    }

    public String require(String key) throws BadMessage {
        String v = fields.get(key);
        if (v == null) {
            throw new BadMessage("missing field " + key);
        }
        return v;
    }

    /** A malformed or incomplete request. */
    public static final class BadMessage extends Exception {
        private static final long serialVersionUID = 1L;

        public BadMessage(String message) {
            super(message);
        }
    }

    public void write(Writer w) throws IOException {
        w.write(verb);
        w.write('\n');
        for (Map.Entry<String, String> e : fields.entrySet()) {
            w.write(e.getKey());
            w.write('=');
            w.write(escape(e.getValue()));
            w.write('\n');
        }
        w.write('\n');
        w.flush();
    }

    /** Reads one message; null at end of stream. Never buffers more than {@link #MAX_BYTES}. */
    public static Message read(BufferedReader r) throws IOException, BadMessage {
        int[] budget = {MAX_BYTES};
        String verb = line(r, budget);
        if (verb == null) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String line;
        while ((line = line(r, budget)) != null && !line.isEmpty()) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new BadMessage("not a key=value line: " + line);
            }
            fields.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
        }
        return new Message(verb, fields);
    }

    private static String line(BufferedReader r, int[] budget) throws IOException, BadMessage {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = r.read();
            if (c < 0) {
                return sb.isEmpty() ? null : sb.toString();
            }
            if (--budget[0] < 0) {
                throw new BadMessage("message longer than " + MAX_BYTES + " bytes");
            }
            if (c == '\n') {
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
