package dev.tandem.conf.ipsec;

/** Receives what the parser produces, in order, as ipsecctl prints it with -v. */
public interface RuleSink {

    /** A rule has been added (ipsecctl_add_rule). */
    void rule(IpsecRule rule);

    /** A macro has been defined in the file. */
    default void macro(String name, String value) {
    }
}
