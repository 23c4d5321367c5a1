package dev.tandem.carp;

/** A protocol 112 packet that is not a well-formed CARP advertisement; {@link #field()} names what is wrong. */
public final class MalformedAdvertisement extends Exception {

    private final String field;

    public MalformedAdvertisement(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The offending field ("length", "checksum", "version", "type", ...). */
    public String field() {
        return field;
    }
}
