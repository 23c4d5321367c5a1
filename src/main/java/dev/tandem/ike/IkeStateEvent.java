package dev.tandem.ike;

import dev.tandem.sadb.SaId;

/**
 * A change of the daemon's IKE state that a cluster backup must follow,
 * fired on the loop (see {@link IkeDaemon#onStateChange}).
 */
public sealed interface IkeStateEvent {

    /** A phase 1 SA was established, or its replicated state changed (DPD sequence, peer address). */
    record Phase1Upserted(Phase1State state) implements IkeStateEvent { }

    /** A phase 1 SA that was established is gone. */
    record Phase1Removed(long initiatorCookie, long responderCookie) implements IkeStateEvent { }

    /** A pair of ESP SAs was negotiated. */
    record ChildUpserted(ChildState state) implements IkeStateEvent { }

    /** The pair whose inbound SA this is no longer belongs to the daemon. */
    record ChildRemoved(SaId inbound) implements IkeStateEvent { }
}
