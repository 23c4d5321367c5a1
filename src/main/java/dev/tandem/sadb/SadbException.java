package dev.tandem.sadb;

/** A refused SADB change, with the reason an admin can act on (like PF_KEY's errno). */
public final class SadbException extends Exception {

    private static final long serialVersionUID = 1L;

    public SadbException(String message) {
        super(message);
    }
}
