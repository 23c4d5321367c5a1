package dev.tandem.ike;

import dev.tandem.ike.negotiation.ChildSa;
import dev.tandem.ike.negotiation.ChildSaInstaller;
import dev.tandem.ike.negotiation.ChildSaSpec;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.wire.NotifyType;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sadb.SadbException;
import dev.tandem.sadb.SecurityAssociation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phase 2 side of the daemon: the configured connections and the child
 * SAs negotiated for them. Starts what active (or acquired) connections lack,
 * rekeys on soft expiry, installs what quick mode agreed and follows the SADB.
 */
final class Connections {

    private static final Logger LOG = LoggerFactory.getLogger(IkeDaemon.class);
    /** Old SAs of a rekey stay this long after their DELETE, so packets in flight still decrypt. */
    private static final Duration REKEY_OVERLAP = Duration.ofSeconds(5);

    private final IkeDaemon daemon;
    private final Sadb sadb;
    private final ChildSaInstaller installer;
    private final Phase1Table phase1s;
    private final List<ChildSaRecord> children = new ArrayList<>();
    /** Passive connections that traffic asked for (Acquire): started like active ones until they have SAs. */
    private final Set<String> acquired = new HashSet<>();

    Connections(IkeDaemon daemon, Sadb sadb, ChildSaInstaller installer, Phase1Table phase1s) {
        this.daemon = daemon;
        this.sadb = sadb;
        this.installer = installer;
        this.phase1s = phase1s;
    }

    List<ChildSaRecord> children() {
        return children;
    }

    /** Connections that disappeared from {@code newPolicy} are torn down (unless passive). */
    void configure(IkePolicy newPolicy) {
        for (ChildSaRecord c : List.copyOf(children)) {
            if (!daemon.passive() && newPolicy.phase2().stream().noneMatch(p -> p.name().equals(c.connection()))) {
                LOG.info("connection {} removed from the configuration: deleting SPIs 0x{}/0x{}", c.connection(),
                        IkeDaemon.hex(c.inboundSpi()), IkeDaemon.hex(c.outboundSpi()));
                daemon.info().sendDelete(c);
                removeChild(c);
                installer.removeFlows(c.spec);
            }
        }
    }

    /** A require/acquire flow has no SA: negotiate the connection whose selectors cover it (unless passive). */
    void acquire(Flow flow) {
        if (daemon.passive() || daemon.closed()) {
            return;
        }
        for (Phase2Policy c : daemon.policy().phase2()) {
            if (covers(c.localNet(), flow.selector().src()) && covers(c.remoteNet(), flow.selector().dst())) {
                acquired.add(c.name());
                startConnection(c, null);
                return;
            }
        }
    }

    /** Phase 1 {@code phase1} failed: an acquire is not retried forever, the next packet of the flow asks again. */
    void phase1Failed(String phase1) {
        daemon.policy().phase2().stream().filter(c -> c.phase1().equals(phase1))
                .forEach(c -> acquired.remove(c.name()));
    }

    /**
     * ipsecctl -d: delete the connection's phase 2 SAs, telling the peer
     * (DELETE) unless passive. Returns whether anything existed.
     */
    boolean teardown(String connection) {
        boolean any = false;
        for (ChildSaRecord c : List.copyOf(children)) {
            if (c.connection().equals(connection)) {
                daemon.info().sendDelete(c);
                removeChild(c);
                any = true;
            }
        }
        return any;
    }

    /** Starts what active connections lack: a quick mode, or first its phase 1. */
    void checkConnections() {
        if (daemon.passive() || daemon.closed()) {
            return;
        }
        for (Phase2Policy c : daemon.policy().phase2()) {
            if (c.active() || acquired.contains(c.name())) {
                startConnection(c, null);
            }
        }
        for (ChildSaRecord c : List.copyOf(children)) {
            if (c.rekeyWanted && !c.rekeying) {
                activeConnection(c.connection()).ifPresent(p -> startConnection(p, c));
            }
        }
    }

    private Optional<Phase2Policy> activeConnection(String name) {
        return daemon.policy().phase2().stream().filter(p -> p.name().equals(name) && p.active()).findFirst();
    }

    private void startConnection(Phase2Policy c, ChildSaRecord replaces) {
        if (daemon.passive() || daemon.closed() || (replaces == null && hasLiveChild(c.name()))
                || quickModeRunning(c.name())) {
            return;
        }
        Phase1Policy p1 = daemon.policy().phase1(c.phase1()).orElse(null);
        if (p1 == null || p1.peer() == null) {
            return;
        }
        Phase1Sa sa = phase1s.newest(p1.peer());
        if (sa != null) {
            long mid = daemon.newMessageId(sa);
            if (replaces != null) {
                replaces.rekeying = true;
            }
            sa.quickModes.put(mid, QuickMode.initiate(sa, mid, c, replaces));
        } else if (!phase1s.initiating(p1.peer())) {
            daemon.phase1Lifecycle().start(p1);
        }
    }

    boolean hasLiveChild(String connection) {
        return children.stream().anyMatch(c -> c.connection().equals(connection) && !c.retiring
                && sadb.get(c.sa.inbound()) != null && sadb.get(c.sa.outbound()) != null);
    }

    private boolean quickModeRunning(String connection) {
        for (Phase1Sa sa : phase1s.all()) {
            for (QuickMode qm : sa.quickModes.values()) {
                if (qm.state != QuickMode.State.DONE && qm.policy.name().equals(connection)) {
                    return true;
                }
            }
        }
        return false;
    }

    void removeChild(ChildSaRecord c) {
        forget(c);
        installer.remove(c.sa);
    }

    /** The record goes; its SAs are left to whoever removes them (the SADB itself, or SA replication). */
    void forget(ChildSaRecord c) {
        if (children.remove(c)) {
            daemon.stateChanged(new IkeStateEvent.ChildRemoved(c.sa.inbound()));
        }
        c.retiring = true;
    }

    /**
     * A pair of SAs another node of the cluster negotiated. The SAs themselves
     * come through SA replication, ahead of this: their keys are taken from
     * the SADB, and nothing is installed. False if they are not there.
     */
    boolean restore(ChildState s) {
        SecurityAssociation in = sadb.get(s.inbound());
        SecurityAssociation out = sadb.get(s.outbound());
        if (in == null || out == null) {
            return false;
        }
        ChildSaRecord old = childOf(s.inbound());
        if (old != null) {
            children.remove(old);
        }
        ChildSaSpec spec = new ChildSaSpec(s.connection(), s.local(), s.peer(), s.peerNatPort(), s.choice(),
                s.inbound().spi(), in.spec().keys(), out.spec().keys(), s.localNet(), s.remoteNet(), s.protocol(),
                s.localPort(), s.remotePort());
        long now = daemon.loop().nanoTime();
        ChildSaRecord rec = new ChildSaRecord(new ChildSa(s.inbound(), s.outbound(), s.connection()), spec,
                s.phase1Cookies(), TransformNames.of(s.choice()), now - s.ageMillis() * 1_000_000);
        children.add(rec);
        daemon.stateChanged(new IkeStateEvent.ChildUpserted(rec.export(now)));
        return true;
    }

    private static boolean covers(IpNet net, IpNet part) {
        return net.family() == part.family() && net.prefix() <= part.prefix() && net.contains(part.address());
    }

    /** Packets received so far on the live inbound SAs negotiated with {@code peer}. */
    long inboundPackets(IpAddress peer) {
        long n = 0;
        for (ChildSaRecord c : children) {
            if (c.peer().equals(peer)) {
                SecurityAssociation in = sadb.get(c.sa.inbound());
                if (in != null) {
                    n += in.packets();
                }
            }
        }
        return n;
    }

    // ---- quick mode results ---------------------------------------------------

    /** The connection of a peer's quick mode: our side's and its side's selectors as it proposed them. */
    Phase2Policy connectionFor(Phase1Sa sa, IpNet ourNet, IpNet theirNet, int protocol, int ourPort, int theirPort) {
        for (Phase2Policy c : daemon.policy().phase2()) {
            if (c.phase1().equals(sa.policy.name()) && c.localNet().equals(ourNet) && c.remoteNet().equals(theirNet)
                    && c.protocol() == protocol && c.localPort() == ourPort && c.remotePort() == theirPort) {
                return c;
            }
        }
        return null;
    }

    /** Installs what a quick mode negotiated; false (and counted as failed) if the SADB refused it. */
    boolean phase2Established(QuickMode qm, ChildSaSpec spec) {
        ChildSa child;
        try {
            child = qm.earlyInbound() != null ? installer.complete(spec, daemon.random())
                    : installer.install(spec, daemon.random());
        } catch (SadbException | RuntimeException e) {
            phase2Failed(qm, "the SADB refused the SAs: " + e.getMessage());
            return false;
        }
        ChildSaRecord rec = new ChildSaRecord(child, spec, qm.sa.cookiesHex(), TransformNames.of(qm.choice()),
                daemon.loop().nanoTime());
        children.add(rec);
        daemon.stateChanged(new IkeStateEvent.ChildUpserted(rec.export(rec.createdNanos)));
        acquired.remove(spec.connection());
        daemon.count(IkeCounters.PHASE2_ESTABLISHED);
        LOG.info("quick mode with {} established: connection {}, {}, SPIs in 0x{} out 0x{}{}{}", qm.sa.peer,
                spec.connection(), rec.transform, IkeDaemon.hex(rec.inboundSpi()), IkeDaemon.hex(rec.outboundSpi()),
                spec.peerNatPort() != 0 ? ", NAT-T" : "", qm.replaces != null ? ", rekey" : "");
        ChildSaRecord old = qm.replaces;
        if (old != null && children.contains(old)) {
            daemon.info().sendDelete(old);
            daemon.loop().schedule(REKEY_OVERLAP, () -> {
                if (children.contains(old)) {
                    removeChild(old);
                }
            });
        }
        return true;
    }

    ChildSaInstaller installer() {
        return installer;
    }

    void phase2Failed(QuickMode qm, String reason) {
        daemon.count(IkeCounters.PHASE2_FAILED);
        daemon.warn("quick mode with " + qm.sa.peer + " for " + qm.policy.name() + " failed: " + reason);
        if (qm.replaces != null) {
            qm.replaces.rekeying = false;
        }
    }

    void phase2Refused(Phase1Sa sa, NotifyType notify, String reason) {
        daemon.count(IkeCounters.PHASE2_FAILED);
        daemon.warn(reason);
        daemon.info().sendNotify(sa, notify);
    }

    /** Our inbound SPI: random, above the reserved range, unused in the SADB. */
    int allocateSpi() {
        while (true) {
            int spi = daemon.random().nextInt();
            if (Integer.toUnsignedLong(spi) >= 256 && sadb.inbound(SaProtocol.ESP, spi) == null) {
                return spi;
            }
        }
    }

    // ---- SADB events ------------------------------------------------------------

    void sadbEvent(SadbEvent e) {
        if (daemon.closed()) {
            return;
        }
        switch (e) {
            case SadbEvent.Expired x when !x.hard() -> softExpired(x.id());
            case SadbEvent.Expired x -> gone(x.id());
            case SadbEvent.Deleted d -> gone(d.id());
            case SadbEvent.Acquire a -> acquire(a.flow());
            case SadbEvent.Flushed f -> List.copyOf(children).forEach(this::forget);
            default -> { }
        }
    }

    ChildSaRecord childOf(SaId id) {
        for (ChildSaRecord c : children) {
            if (c.sa.inbound().equals(id) || c.sa.outbound().equals(id)) {
                return c;
            }
        }
        return null;
    }

    private void softExpired(SaId id) {
        ChildSaRecord c = childOf(id);
        if (c == null || c.rekeying || c.retiring) {
            return;
        }
        // a backup's copy too: should it take over, the rekey is overdue (checkConnections starts it)
        c.rekeyWanted = true;
        if (daemon.passive()) {
            return;
        }
        activeConnection(c.connection()).ifPresent(p -> {
            LOG.info("connection {}: SPI 0x{} soft expired, rekeying", c.connection(), IkeDaemon.hex(id.spi()));
            startConnection(p, c);
        });
    }

    private void gone(SaId id) {
        ChildSaRecord c = childOf(id);
        if (c != null) {
            forget(c);
            checkConnections();
        }
    }
}
