package dev.tandem.ike.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A transform payload inside a proposal (RFC 2408 §3.6): its number, the
 * DOI's transform id (KEY_IKE for phase 1, ESP_AES_CBC etc. for phase 2) and
 * the SA attributes, which must fill the payload exactly.
 */
public record Transform(int number, int transformId, List<DataAttribute> attributes) {

    /** Bound on attributes per transform; real ones carry fewer than 16. */
    public static final int MAX_ATTRIBUTES = 64;
    static final int FIXED = 8;

    public Transform {
        if (number < 0 || number > 0xff || transformId < 0 || transformId > 0xff) {
            throw new IllegalArgumentException("transform number or id out of range");
        }
        attributes = List.copyOf(attributes);
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("too many attributes: " + attributes.size());
        }
    }

    int encodedLength() {
        int n = FIXED;
        for (DataAttribute a : attributes) {
            n += a.encodedLength();
        }
        return n;
    }

    void write(Writer w, boolean last) {
        int len = encodedLength();
        if (len > 0xffff) {
            throw new IllegalArgumentException("transform longer than 65535 octets");
        }
        w.u8(last ? PayloadType.NONE.code() : PayloadType.TRANSFORM.code());
        w.u8(0);
        w.u16(len);
        w.u8(number);
        w.u8(transformId);
        w.u16(0);
        for (DataAttribute a : attributes) {
            a.write(w);
        }
    }

    /**
     * Reads one transform payload, generic header included, from a proposal's
     * body; {@code next[0]} receives its next-payload code.
     */
    static Transform read(Cursor c, String where, int[] next) throws MalformedIsakmp {
        c.scope(where);
        next[0] = c.u8("nextPayload");
        if (next[0] != PayloadType.NONE.code() && next[0] != PayloadType.TRANSFORM.code()) {
            throw new MalformedIsakmp(c.field("nextPayload"), "must be 3 (transform) or 0, was " + next[0]);
        }
        c.zero(1, "reserved");
        int len = c.u16("length");
        if (len < FIXED) {
            throw new MalformedIsakmp(c.field("length"), len + " is below the transform minimum of " + FIXED);
        }
        if (len - 4 > c.remaining()) {
            throw new MalformedIsakmp(c.field("length"), len + " overruns the proposal, " + (c.remaining() + 4)
                    + " left");
        }
        Cursor body = c.sub(len - 4, "length");
        int number = body.u8("number");
        int id = body.u8("transformId");
        body.zero(2, "reserved2");
        List<DataAttribute> attrs = new ArrayList<>();
        while (body.remaining() > 0) {
            if (attrs.size() == MAX_ATTRIBUTES) {
                throw new MalformedIsakmp(where + ".attributes", "more than " + MAX_ATTRIBUTES);
            }
            body.scope(where + ".attribute[" + attrs.size() + "]");
            attrs.add(DataAttribute.read(body));
        }
        return new Transform(number, id, attrs);
    }
}
