package dev.tandem.conf.sasyncd;

/** Which keying daemons are told to turn active or passive: the "control" statement. */
public enum ControlTarget {
    /** The default. */
    ISAKMPD,
    IKED,
    ALL,
    NONE
}
