package dev.tandem.ike;

import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The phase 1 SAs and exchanges by cookie pair, with the bound on responder
 * exchanges that have not yet authenticated the peer: a flood of first
 * messages from many cookies evicts the oldest and stays in fixed memory.
 */
final class Phase1Table {

    private record Cookies(long initiator, long responder) { }

    private final Map<Cookies, Phase1Sa> sas = new HashMap<>();
    /** Responder exchanges before the peer authenticated, oldest first, by initiator cookie. */
    private final LinkedHashMap<Long, Phase1Sa> halfOpen = new LinkedHashMap<>();
    /** Every responder SA by initiator cookie: a late copy of a first message must not open another. */
    private final Map<Long, Phase1Sa> responders = new HashMap<>();

    Phase1Sa get(long initiatorCookie, long responderCookie) {
        return sas.get(new Cookies(initiatorCookie, responderCookie));
    }

    /** Our exchange whose first answer (naming a responder cookie still unknown to us) this is, or null. */
    Phase1Sa awaitingResponderCookie(long initiatorCookie) {
        Phase1Sa sa = sas.get(new Cookies(initiatorCookie, 0));
        return sa != null && sa.initiator && !sa.isEstablished() ? sa : null;
    }

    Phase1Sa responder(long initiatorCookie) {
        return responders.get(initiatorCookie);
    }

    void addInitiator(Phase1Sa sa) {
        sas.put(new Cookies(sa.ckyI, 0), sa);
    }

    /** Adds a new half-open responder; returns those evicted to stay within {@code maxHalfOpen}. */
    List<Phase1Sa> addResponder(Phase1Sa sa, int maxHalfOpen) {
        List<Phase1Sa> evicted = new ArrayList<>();
        while (halfOpen.size() >= maxHalfOpen) {
            Iterator<Phase1Sa> oldest = halfOpen.values().iterator();
            Phase1Sa victim = oldest.next();
            oldest.remove();
            remove(victim);
            evicted.add(victim);
        }
        halfOpen.put(sa.ckyI, sa);
        responders.put(sa.ckyI, sa);
        sas.put(new Cookies(sa.ckyI, sa.ckyR), sa);
        return evicted;
    }

    /** An established SA copied from another node of the cluster. */
    void restore(Phase1Sa sa) {
        sas.put(new Cookies(sa.ckyI, sa.ckyR), sa);
        if (!sa.initiator) {
            responders.put(sa.ckyI, sa);
        }
    }

    /** The peer authenticated: no longer half-open. */
    void authenticated(Phase1Sa sa) {
        halfOpen.remove(sa.ckyI, sa);
    }

    void responderCookieLearned(Phase1Sa sa, long responderCookie) {
        sas.remove(new Cookies(sa.ckyI, 0), sa);
        sa.ckyR = responderCookie;
        sas.put(new Cookies(sa.ckyI, responderCookie), sa);
    }

    void remove(Phase1Sa sa) {
        sas.remove(new Cookies(sa.ckyI, sa.ckyR), sa);
        sas.remove(new Cookies(sa.ckyI, 0), sa);
        halfOpen.remove(sa.ckyI, sa);
        responders.remove(sa.ckyI, sa);
    }

    boolean contains(Phase1Sa sa) {
        return sas.get(new Cookies(sa.ckyI, sa.ckyR)) == sa || sas.get(new Cookies(sa.ckyI, 0)) == sa;
    }

    Collection<Phase1Sa> all() {
        return sas.values();
    }

    /** The established SA with this peer that quick modes and informational messages use: the newest. */
    Phase1Sa newest(IpAddress peer) {
        Phase1Sa best = null;
        for (Phase1Sa sa : sas.values()) {
            if (sa.isEstablished() && sa.peer.address().equals(peer)
                    && (best == null || sa.establishedNanos > best.establishedNanos)) {
                best = sa;
            }
        }
        return best;
    }

    /** Whether we are negotiating a phase 1 with this peer as initiator. */
    boolean initiating(IpAddress peer) {
        return sas.values().stream().anyMatch(sa -> sa.initiator && !sa.isEstablished()
                && sa.peer.address().equals(peer));
    }

    /** Whether another established SA with the peer of {@code sa} exists (else we send INITIAL-CONTACT). */
    boolean hasOther(Phase1Sa sa) {
        return sas.values().stream().anyMatch(o -> o != sa && o.isEstablished()
                && o.peer.address().equals(sa.peer.address()));
    }

    /** Whether a fresh cookie is unused as ours or as a peer's. */
    boolean unused(long cookie) {
        return cookie != 0 && !responders.containsKey(cookie) && !sas.containsKey(new Cookies(cookie, 0));
    }
}
