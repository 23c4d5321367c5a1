package dev.tandem.ike.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * One SA data attribute (RFC 2408 §3.3): either the basic TV form, a 16-bit
 * value in the header (AF bit set), or the variable TLV form with up to
 * 65535 octets. The form is kept as received so that a decoded attribute
 * encodes back to the same octets; the type is any 15-bit value, known or not.
 */
public record DataAttribute(int type, boolean basic, int basicValue, byte[] variableValue) {

    public DataAttribute {
        if (type < 0 || type > 0x7fff) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        if (basic) {
            if (basicValue < 0 || basicValue > 0xffff || variableValue != null) {
                throw new IllegalArgumentException("basic attribute value out of range: " + basicValue);
            }
        } else {
            if (variableValue == null || variableValue.length > 0xffff || basicValue != 0) {
                throw new IllegalArgumentException("variable attribute needs 0..65535 octets");
            }
            variableValue = variableValue.clone();
        }
    }

    /** TV form: type and a 16-bit value. */
    public static DataAttribute basic(int type, int value) {
        return new DataAttribute(type, true, value, null);
    }

    /** TLV form: type, length and value octets. */
    public static DataAttribute variable(int type, byte[] value) {
        return new DataAttribute(type, false, 0, value);
    }

    @Override
    public byte[] variableValue() {
        return variableValue == null ? null : variableValue.clone();
    }

    /**
     * The value as an unsigned number: the basic value, or a variable value
     * of 1..8 octets (life durations are often sent as 4-octet TLVs).
     */
    public OptionalLong numeric() {
        if (basic) {
            return OptionalLong.of(basicValue);
        }
        if (variableValue.length == 0 || variableValue.length > 8
                || (variableValue.length == 8 && variableValue[0] < 0)) {
            return OptionalLong.empty();
        }
        long v = 0;
        for (byte b : variableValue) {
            v = (v << 8) | (b & 0xff);
        }
        return OptionalLong.of(v);
    }

    int encodedLength() {
        return basic ? 4 : 4 + variableValue.length;
    }

    void write(Writer w) {
        if (basic) {
            w.u16(0x8000 | type);
            w.u16(basicValue);
        } else {
            w.u16(type);
            w.u16(variableValue.length);
            w.bytes(variableValue);
        }
    }

    /**
     * A run of attributes filling {@code data}, as notification data carries
     * them (RESPONDER-LIFETIME, RFC 2407 section 4.6.3.1).
     */
    public static java.util.List<DataAttribute> decodeAll(byte[] data, String where) throws MalformedIsakmp {
        Cursor c = new Cursor(data, 0, data.length, where);
        java.util.List<DataAttribute> out = new java.util.ArrayList<>();
        while (c.remaining() > 0) {
            out.add(read(c));
        }
        return out;
    }

    static DataAttribute read(Cursor c) throws MalformedIsakmp {
        int t = c.u16("type");
        int v = c.u16("length");
        if ((t & 0x8000) != 0) {
            return basic(t & 0x7fff, v);
        }
        if (v > c.remaining()) {
            throw new MalformedIsakmp(c.field("length"), "value of " + v + " octets overruns the transform, "
                    + c.remaining() + " left");
        }
        return variable(t, c.bytes(v, "value"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataAttribute a && a.type == type && a.basic == basic && a.basicValue == basicValue
                && Arrays.equals(a.variableValue, variableValue);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + basicValue) + Arrays.hashCode(variableValue);
    }

    @Override
    public String toString() {
        return basic ? "DataAttribute[" + type + "=" + basicValue + "]"
                : "DataAttribute[" + type + "=0x" + HexFormat.of().formatHex(variableValue) + "]";
    }
}
