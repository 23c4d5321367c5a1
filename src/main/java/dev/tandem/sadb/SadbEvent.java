package dev.tandem.sadb;

/**
 * What the SADB announces, like PF_KEY messages. IKE and replication learn
 * everything they know about SAs and flows from these events.
 */
public sealed interface SadbEvent {

    record Added(SaSpec sa) implements SadbEvent { }

    record Updated(SaSpec sa) implements SadbEvent { }

    record Deleted(SaId id) implements SadbEvent { }

    /** A lifetime was reached; a hard expiry also deletes the SA. */
    record Expired(SaId id, boolean hard) implements SadbEvent { }

    /** A require/acquire flow matched a packet and no SA exists: keying is wanted. */
    record Acquire(Flow flow) implements SadbEvent { }

    record FlowAdded(Flow flow) implements SadbEvent { }

    record FlowDeleted(Flow flow) implements SadbEvent { }

    /** Everything was removed (ipsecctl -F). */
    record Flushed() implements SadbEvent { }
}
