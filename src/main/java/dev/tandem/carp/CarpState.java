package dev.tandem.carp;

/** A virtual host's state, as OpenBSD names them. */
public enum CarpState {
    /** Not running: link down, stopped, or not started yet. */
    INIT,
    /** Listening to a master; takes over when it falls silent. */
    BACKUP,
    /** Holds the virtual addresses and advertises. */
    MASTER
}
