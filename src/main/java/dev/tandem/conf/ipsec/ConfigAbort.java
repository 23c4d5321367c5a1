package dev.tandem.conf.ipsec;

/**
 * A condition on which ipsecctl gives up at once (its errx() calls): the
 * message is printed as "ipsecctl: message" and nothing is loaded.
 */
public final class ConfigAbort extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigAbort(String message) {
        super(message, null, false, false);
    }
}
