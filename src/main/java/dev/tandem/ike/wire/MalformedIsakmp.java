package dev.tandem.ike.wire;

/**
 * Bytes that are not a well-formed ISAKMP message or payload chain;
 * {@link #field()} names the first field found wrong, with its path
 * ("header.length", "payload[1].sa.proposal[0].transform[2].attribute[0].length").
 */
public final class MalformedIsakmp extends Exception {

    private final String field;

    public MalformedIsakmp(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** Path of the offending field. */
    public String field() {
        return field;
    }
}
