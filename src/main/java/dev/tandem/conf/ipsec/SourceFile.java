package dev.tandem.conf.ipsec;

/** A configuration file being read: its bytes, read position, line and error count. */
final class SourceFile {

    static final int EOF = -1;

    final String name;
    final String identity;
    private final byte[] data;
    private int pos;
    int lineno;
    int errors;

    SourceFile(String name, String identity, byte[] data, int firstLine) {
        this.name = name;
        this.identity = identity;
        this.data = data;
        this.lineno = firstLine;
    }

    /** The next byte, or EOF. */
    int getc() {
        return pos < data.length ? data[pos++] & 0xff : EOF;
    }
}
