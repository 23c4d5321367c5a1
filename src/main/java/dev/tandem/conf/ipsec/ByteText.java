package dev.tandem.conf.ipsec;

import java.nio.charset.StandardCharsets;

/**
 * The parser treats configuration text as bytes, as ipsecctl does: each char
 * of a parser string is one byte (ISO-8859-1). These convert between that
 * form and ordinary Java strings (UTF-8 on the host) at the edges: command
 * line arguments in, file names out.
 */
public final class ByteText {

    private ByteText() {
    }

    /** A Java string (e.g. a command line argument) as the parser's byte text. */
    public static String fromJava(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Parser byte text (e.g. an include file name) as a Java string. */
    public static String toJava(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** The bytes to write for parser text. */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
