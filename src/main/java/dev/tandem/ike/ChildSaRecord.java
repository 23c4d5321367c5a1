package dev.tandem.ike;

import dev.tandem.ike.negotiation.ChildSa;
import dev.tandem.ike.negotiation.ChildSaSpec;
import dev.tandem.net.IpAddress;

/**
 * A negotiated pair of ESP SAs as the daemon remembers it: what to rekey,
 * delete and show. In IKEv1 the pair outlives the phase 1 it came from.
 */
final class ChildSaRecord {

    final ChildSa sa;
    final ChildSaSpec spec;
    final String phase1Cookies;
    final String transform;
    final long createdNanos;
    /** A rekey was started (or the pair is on its way out): never a second one. */
    boolean rekeying;
    /** Its soft lifetime passed: renegotiate as soon as a phase 1 allows. */
    boolean rekeyWanted;
    /** Deleted or being deleted: no longer counts as the connection's SA. */
    boolean retiring;

    ChildSaRecord(ChildSa sa, ChildSaSpec spec, String phase1Cookies, String transform, long createdNanos) {
        this.sa = sa;
        this.spec = spec;
        this.phase1Cookies = phase1Cookies;
        this.transform = transform;
        this.createdNanos = createdNanos;
    }

    String connection() {
        return spec.connection();
    }

    IpAddress peer() {
        return spec.peer();
    }

    int inboundSpi() {
        return sa.inbound().spi();
    }

    int outboundSpi() {
        return sa.outbound().spi();
    }
}
