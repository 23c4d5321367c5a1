package dev.tandem.sync.wire;

/**
 * Bytes that are not a well-formed replication message or HELLO;
 * {@link #field()} names the first field found wrong.
 */
public final class MalformedSyncMessage extends Exception {

    private final String field;

    public MalformedSyncMessage(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The offending field ("type", "sa.spi", "selector.src.prefix", "trailing", ...). */
    public String field() {
        return field;
    }
}
