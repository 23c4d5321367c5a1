package dev.tandem.ike.wire;

/**
 * Bounds-checked big-endian reads over a window of a byte array; every read
 * names its field so a short input is reported where it was found short.
 */
final class Cursor {

    private final byte[] buf;
    private String where;
    private int pos;
    private final int end;

    Cursor(byte[] buf, int from, int end, String where) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
        this.where = where;
    }

    /** Sets the path prefix for fields read next; returns the previous one. */
    String scope(String where) {
        String old = this.where;
        this.where = where;
        return old;
    }

    int remaining() {
        return end - pos;
    }

    String field(String name) {
        return where.isEmpty() ? name : where + "." + name;
    }

    private void need(int n, String name) throws MalformedIsakmp {
        if (end - pos < n) {
            throw new MalformedIsakmp(field(name), "truncated: need " + n + " bytes, " + (end - pos) + " left");
        }
    }

    int u8(String name) throws MalformedIsakmp {
        need(1, name);
        return buf[pos++] & 0xff;
    }

    int u16(String name) throws MalformedIsakmp {
        need(2, name);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32(String name) throws MalformedIsakmp {
        need(4, name);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        pos += 4;
        return v;
    }

    byte[] bytes(int n, String name) throws MalformedIsakmp {
        need(n, name);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    byte[] rest() {
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, end);
        pos = end;
        return out;
    }

    /** Reserved octets are zero on the wire; anything else would not round-trip. */
    void zero(int n, String name) throws MalformedIsakmp {
        need(n, name);
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != 0) {
                throw new MalformedIsakmp(field(name), "reserved, must be zero");
            }
        }
        pos += n;
    }

    /** A sub-window of {@code n} bytes, consumed from this cursor; its fields are named under this one's scope. */
    Cursor sub(int n, String name) throws MalformedIsakmp {
        need(n, name);
        Cursor c = new Cursor(buf, pos, pos + n, where);
        pos += n;
        return c;
    }
}
