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

    /** What a cluster backup needs to know of this pair (its SAs replicate on their own). */
    ChildState export(long now) {
        long ckyI = Long.parseUnsignedLong(phase1Cookies, 0, 16, 16);
        long ckyR = Long.parseUnsignedLong(phase1Cookies, 17, 33, 16);
        return new ChildState(spec.connection(), ckyI, ckyR, sa.inbound(), sa.outbound(), spec.local(), spec.peer(),
                spec.peerNatPort(), spec.choice(), spec.localNet(), spec.remoteNet(), spec.protocol(),
                spec.localPort(), spec.remotePort(), Math.max(0, (now - createdNanos) / 1_000_000));
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
