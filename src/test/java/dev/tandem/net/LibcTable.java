package dev.tandem.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the libc oracle tables under {@code src/test/resources/dev/tandem/net/libc/}.
 * They were produced by {@code src/test/oracle/gen_libc_cases.py} from the C library
 * (glibc inet_pton/inet_ntop/inet_net_pton/strtoul/strtol/strtoll), never from the Java
 * code under test; see that script for the few rows where the OpenBSD value is written instead.
 *
 * <p>Format: UTF-8, one case a line, tab-separated, lines starting with '#' are comments.
 * The first field is escaped ({@code \\ \t \n \r \v \f \\uXXXX}); an empty field is "".
 */
public final class LibcTable {

    /** One row: the decoded input, its escaped spelling (for test names) and the other fields. */
    public record Row(String input, String escaped, List<String> fields) {
        public String field(int i) {
            return fields.get(i);
        }
    }

    private LibcTable() {
    }

    public static List<Row> read(String name) {
        String path = "libc/" + name;
        try (InputStream in = LibcTable.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                rows.add(new Row(unescape(f[0]), f[0], List.of(f).subList(1, f.length)));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\\' -> sb.append('\\');
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'v' -> sb.append('\u000b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return sb.toString();
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
