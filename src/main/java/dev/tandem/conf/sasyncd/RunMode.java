package dev.tandem.conf.sasyncd;

/** Where the master/slave role comes from: the "mode master|slave" statement. */
public enum RunMode {
    /** Follow the carp interface's state; the default. */
    CARP,
    /** Always master, whatever CARP says (OpenBSD meant this for debugging). */
    MASTER,
    /** Always slave, whatever CARP says. */
    SLAVE
}
