package dev.tandem.conf.carp;

/** How advertisements are authenticated. */
public enum CarpAuthMode {
    /** OpenBSD's HMAC-SHA1: wire-compatible, but advbase, advskew and demote are not covered and replays pass. */
    OPENBSD,
    /** Tandem's: every field covered, key derived from the whole passphrase, replayed advertisements rejected. */
    STRICT
}
