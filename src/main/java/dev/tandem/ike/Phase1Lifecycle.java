package dev.tandem.ike;

import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.net.IpAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a phase 1 SA between its start and its removal:
 * established (lifetime timers, initial contact), renewed near its soft
 * expiry, deleted at its hard expiry, failed, or dropped when it stops
 * answering.
 */
final class Phase1Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(IkeDaemon.class);
    private static final long DEFAULT_PHASE1_LIFE = 3600;

    private final IkeDaemon daemon;
    private final Phase1Table phase1s;

    Phase1Lifecycle(IkeDaemon daemon, Phase1Table phase1s) {
        this.daemon = daemon;
        this.phase1s = phase1s;
    }

    /** Phase 1 SAs keep running under the new policy of their name; the others go (unless passive). */
    void configure(IkePolicy newPolicy) {
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            var p = newPolicy.phase1(sa.policy.name());
            if (p.isPresent()) {
                sa.policy = p.get();
            } else if (!daemon.passive()) {
                if (sa.isEstablished()) {
                    daemon.info().sendPhase1Delete(sa);
                }
                remove(sa);
            }
        }
    }

    void start(Phase1Policy p) {
        Phase1Sa sa = Phase1Sa.initiate(daemon, p);
        phase1s.addInitiator(sa);
        LOG.info("phase 1 with {}: {} mode started", sa.peer, p.mode() == ExchangeMode.MAIN ? "main" : "aggressive");
    }

    void established(Phase1Sa sa) {
        phase1s.authenticated(sa);
        daemon.count(IkeCounters.PHASE1_ESTABLISHED);
        LOG.info("phase 1 with {} established: {} mode as {}, {}, cookies {}, peer id {}{}", sa.peer,
                sa.mode == ExchangeMode.MAIN ? "main" : "aggressive", sa.initiator ? "initiator" : "responder",
                TransformNames.of(sa.choice), sa.cookiesHex(), sa.remoteId, sa.natT ? ", NAT-T" : "");
        startTimers(sa, 0);
        daemon.stateChanged(new IkeStateEvent.Phase1Upserted(sa.export(daemon.loop().nanoTime())));
    }

    /**
     * What follows once the peer has (or is sent) our last message of phase
     * 1: stale SAs go on INITIAL-CONTACT, waiting connections start their
     * quick modes. Not earlier: the peer would drop what comes over a phase 1
     * it does not have yet.
     */
    void completed(Phase1Sa sa) {
        if (sa.initialContactReceived && !daemon.passive()) {
            initialContact(sa);
        }
        daemon.connections().checkConnections();
    }

    /** A phase 1 SA another node of the cluster negotiated: its lifetime runs on from its age there. */
    void restored(Phase1Sa sa, long ageMillis) {
        phase1s.restore(sa);
        startTimers(sa, ageMillis);
        daemon.stateChanged(new IkeStateEvent.Phase1Upserted(sa.export(daemon.loop().nanoTime())));
    }

    private void startTimers(Phase1Sa sa, long ageMillis) {
        long life = life(sa) * 1000;
        long soft = life * (85 + daemon.random().nextInt(11)) / 100;
        sa.softTimer = daemon.loop().schedule(Duration.ofMillis(Math.max(0, soft - ageMillis)), () -> soft(sa));
        sa.hardTimer = daemon.loop().schedule(Duration.ofMillis(Math.max(0, life - ageMillis)), () -> hard(sa));
    }

    /** Passive mode ended (a takeover): renew what came near its end meanwhile. */
    void activated() {
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (sa.softDue) {
                soft(sa);
            }
        }
    }

    /**
     * INITIAL-CONTACT: the peer rebooted when it began this exchange, so what
     * was established with it before then is stale. Exchanges still running
     * and SAs completed since (both ends initiating at once) are kept.
     */
    private void initialContact(Phase1Sa fresh) {
        IpAddress peer = fresh.peer.address();
        int removed = 0;
        for (Phase1Sa sa : List.copyOf(phase1s.all())) {
            if (sa != fresh && sa.isEstablished() && sa.peer.address().equals(peer)
                    && sa.establishedNanos < fresh.createdNanos) {
                remove(sa);
                removed++;
            }
        }
        Connections connections = daemon.connections();
        for (ChildSaRecord c : List.copyOf(connections.children())) {
            if (c.peer().equals(peer) && c.createdNanos < fresh.createdNanos) {
                connections.removeChild(c);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("phase 1 with {}: initial contact, {} older SAs of this peer removed", fresh.peer, removed);
        }
    }

    /** The negotiated lifetime in seconds, isakmpd's default when the proposal had none. */
    static long life(Phase1Sa sa) {
        return sa.choice.lifeSeconds() > 0 ? sa.choice.lifeSeconds() : DEFAULT_PHASE1_LIFE;
    }

    private void soft(Phase1Sa sa) {
        if (daemon.passive()) {
            sa.softDue = true;
            return;
        }
        sa.softDue = false;
        if (daemon.closed() || !sa.isEstablished() || sa.policy.peer() == null || sa.replaced) {
            return;
        }
        boolean used = daemon.policy().phase2().stream()
                .anyMatch(c -> c.active() && c.phase1().equals(sa.policy.name()));
        if (used && !phase1s.initiating(sa.policy.peer())) {
            sa.replaced = true;
            LOG.info("phase 1 {} with {} nears its end: negotiating a new one", sa.cookiesHex(), sa.peer);
            start(sa.policy);
        }
    }

    private void hard(Phase1Sa sa) {
        if (!phase1s.contains(sa)) {
            return;
        }
        LOG.info("phase 1 {} with {} expired", sa.cookiesHex(), sa.peer);
        daemon.info().sendPhase1Delete(sa);
        remove(sa);
    }

    /**
     * Our quick mode over this phase 1 went unanswered: the peer has probably
     * lost it (its last message never reached it, or it rebooted). Without DPD
     * nothing else would notice, so start over with a fresh phase 1.
     */
    void unresponsive(Phase1Sa sa) {
        if (!phase1s.contains(sa)) {
            return;
        }
        daemon.warn("phase 1 " + sa.cookiesHex() + " with " + sa.peer + ": quick mode unanswered, dropping it");
        remove(sa);
        daemon.connections().checkConnections();
    }

    void failed(Phase1Sa sa, String reason) {
        daemon.count(IkeCounters.PHASE1_FAILED);
        daemon.connections().phase1Failed(sa.policy.name());
        if (reason != null) {
            daemon.warn("phase 1 with " + sa.peer + ": " + reason);
        }
        remove(sa);
    }

    void remove(Phase1Sa sa) {
        boolean wasEstablished = sa.isEstablished() && phase1s.contains(sa);
        phase1s.remove(sa);
        stopTimers(sa);
        sa.state = Phase1Sa.State.DEAD;
        if (wasEstablished) {
            daemon.stateChanged(new IkeStateEvent.Phase1Removed(sa.ckyI, sa.ckyR));
        }
    }

    static void stopTimers(Phase1Sa sa) {
        sa.resender.stop();
        sa.softTimer.cancel();
        sa.hardTimer.cancel();
        for (QuickMode qm : sa.quickModes.values()) {
            qm.stop();
        }
    }
}
