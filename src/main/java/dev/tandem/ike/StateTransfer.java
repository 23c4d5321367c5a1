package dev.tandem.ike;

import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.sadb.SaId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's established state in and out, for cluster replication: the
 * master exports it, a backup imports it, so that after a takeover the
 * peer's DPD, quick modes and DELETEs find an SA they know. Importing sends
 * nothing to the peer and installs nothing in the SADB: the SAs come
 * through SA replication.
 */
final class StateTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(IkeDaemon.class);

    private final IkeDaemon daemon;
    private final Phase1Table phase1s;
    private final Connections connections;

    StateTransfer(IkeDaemon daemon, Phase1Table phase1s, Connections connections) {
        this.daemon = daemon;
        this.phase1s = phase1s;
        this.connections = connections;
    }

    IkeState export() {
        long now = daemon.loop().nanoTime();
        List<Phase1State> p1 = new ArrayList<>();
        for (Phase1Sa sa : phase1s.all()) {
            if (sa.isEstablished()) {
                p1.add(sa.export(now));
            }
        }
        List<ChildState> children = new ArrayList<>();
        for (ChildSaRecord c : connections.children()) {
            if (!c.retiring) {
                children.add(c.export(now));
            }
        }
        return new IkeState(p1, children);
    }

    /** Adds or updates a phase 1 SA; false if its policy is not configured here. */
    boolean upsert(Phase1State s) {
        Phase1Sa sa = phase1s.get(s.initiatorCookie(), s.responderCookie());
        if (sa != null && sa.isEstablished()) {
            sa.update(s);
            return true;
        }
        Phase1Policy policy = daemon.policy().phase1(s.policy()).orElse(null);
        if (policy == null) {
            daemon.warn("replicated phase 1 " + s.cookies() + " with " + s.peer() + ": policy " + s.policy()
                    + " is not configured here; ignored");
            return false;
        }
        if (sa != null) {
            // an exchange of ours under the same cookies cannot be: the master's copy wins
            daemon.phase1Lifecycle().remove(sa);
        }
        daemon.phase1Lifecycle().restored(Phase1Sa.restore(daemon, policy, s), s.ageMillis());
        LOG.info("phase 1 {} with {} replicated from the master", s.cookies(), s.peer());
        return true;
    }

    void remove(long initiatorCookie, long responderCookie) {
        Phase1Sa sa = phase1s.get(initiatorCookie, responderCookie);
        if (sa != null) {
            daemon.phase1Lifecycle().remove(sa);
        }
    }

    /** Adds or updates a child SA pair; false if its SAs are not in the SADB. */
    boolean upsert(ChildState s) {
        if (!connections.restore(s)) {
            daemon.warn("replicated connection " + s.connection() + " SPIs in 0x" + IkeDaemon.hex(s.inbound().spi())
                    + " out 0x" + IkeDaemon.hex(s.outbound().spi()) + ": its SAs are not in the SADB; ignored");
            return false;
        }
        return true;
    }

    void remove(SaId inbound) {
        ChildSaRecord c = connections.childOf(inbound);
        if (c != null && c.sa.inbound().equals(inbound)) {
            connections.forget(c);
        }
    }

    /** Makes the state exactly {@code state}: upserts it, removes what it lacks. */
    void replace(IkeState state) {
        Set<String> keep = new HashSet<>();
        for (Phase1State s : state.phase1s()) {
            if (upsert(s)) {
                keep.add(s.cookies());
            }
        }
        Set<SaId> keepChildren = new HashSet<>();
        for (ChildState c : state.children()) {
            if (upsert(c)) {
                keepChildren.add(c.inbound());
            }
        }
        retain(keep, keepChildren);
    }

    /** Removes the phase 1 SAs (by cookie pair, as {@link Phase1State#cookies()}) and children not named. */
    void retain(Set<String> phase1Cookies, Set<SaId> childInbounds) {
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (!phase1Cookies.contains(sa.cookiesHex())) {
                daemon.phase1Lifecycle().remove(sa);
            }
        }
        for (ChildSaRecord c : List.copyOf(connections.children())) {
            if (!childInbounds.contains(c.sa.inbound())) {
                connections.forget(c);
            }
        }
    }
}
