package dev.tandem.conf.ipsec;

import java.io.IOException;

/** Keys of manual SAs: hex text, or a file holding hex text, as ipsecctl reads them. */
final class KeyReader {

    private final Reporter reporter;
    private final ConfFiles files;

    KeyReader(Reporter reporter, ConfFiles files) {
        this.reporter = reporter;
        this.files = files;
    }

    private static String strip0x(String s) {
        return s.startsWith("0x") ? s.substring(2) : s;
    }

    /** A key written as hex, with or without "0x". */
    Key hex(String text) {
        String hex = strip0x(text);
        return new Key(hexBytes(hex, hex.length()));
    }

    /** parsekey(): two hex digits a byte; a bad pair is reported and reads as 0xff. */
    private byte[] hexBytes(CharSequence hex, int len) {
        if (len % 2 != 0 && !Ctype.isSpace(hex.charAt(len - 1))) {
            reporter.warn("key has an odd number of hex digits, the last one is ignored");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            char a = hex.charAt(2 * i);
            char b = hex.charAt(2 * i + 1);
            if (!Ctype.isXdigit(a) || !Ctype.isXdigit(b)) {
                reporter.error("keys need to be specified in hex digits");
                out[i] = (byte) 0xff;
            } else {
                out[i] = (byte) (Character.digit(a, 16) << 4 | Character.digit(b, 16));
            }
        }
        return out;
    }

    /** parsekeyfile(): the whole file is the hex key (a trailing newline is the odd byte). */
    Key file(String name) {
        byte[] data;
        try {
            data = files.read(name, 1025);
        } catch (IOException e) {
            reporter.error("cannot read key file " + name + ": " + Errno.describe(e));
            throw Parser.REJECT;
        }
        if (data.length > 1024 || data.length == 0) {
            reporter.error(name + ": key too " + (data.length > 0 ? "large" : "small"));
            throw Parser.REJECT;
        }
        StringBuilder hex = new StringBuilder(data.length);
        for (byte b : data) {
            hex.append((char) (b & 0xff));
        }
        return new Key(hexBytes(hex, hex.length()));
    }
}
