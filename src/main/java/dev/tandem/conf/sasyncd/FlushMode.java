package dev.tandem.conf.sasyncd;

/** What happens to SADB flushes: the "flushmode" statement. */
public enum FlushMode {
    /** Forward flushes seen on the master (e.g. "ipsecctl -F") to the peers. */
    SYNC,
    /** As SYNC, and flush each peer before sending it a snapshot; the default. */
    STARTUP,
    /** Never forward a flush and never flush a peer before its snapshot. */
    NEVER
}
