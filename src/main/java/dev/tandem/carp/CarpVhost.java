package dev.tandem.carp;

import dev.tandem.conf.carp.CarpInterfaceConf;
import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One carp interface's virtual host and its state machine (OpenBSD
 * {@code ip_carp.c}, reference §3.5): INIT, BACKUP listening for the master
 * with a master-down timer of 3 x its own interval, MASTER holding the
 * addresses and advertising every interval. Runs on the node's event loop.
 *
 * <p>Departures from OpenBSD, documented: two masters with equal interval
 * and demotion do not both yield; the one with the lower source address
 * does (as VRRP breaks ties), so a tie settles at once. A backup takes over
 * from a master that bows out, is demoted or is preempted after its skew,
 * not at once ({@link #takeOverAfterSkew}). And a backup that
 * follows a master advertising more seldom than itself (it is demoted, or
 * does not preempt) waits 3 x the master's interval, not its own (VRRPv3's
 * Master_Down_Interval): with its own, one lost advertisement would make it
 * take over from a live master. A node that starts demoted (replication's
 * start-up interlock) and hears no master waits {@link #STARTUP_GRACE}
 * longer before it takes over: after a quick restart of the master, the
 * backup, which holds the state, must win.
 */
final class CarpVhost {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tandem.carp");
    /** A tick is 1/256 s, the unit of advskew. */
    private static final long TICK_NANOS = 1_000_000_000L / 256;
    /** Extra wait of a demoted node that has not heard a master yet; see {@link #armMasterDown}. */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(1);
    /** Consecutive send failures (and then successes) that demote (and undemote) the interface. */
    private static final int SEND_ERROR_LIMIT = 3;
    /** Advertisements after becoming master before the second gratuitous ARP. */
    private static final int SECOND_ANNOUNCEMENT_AFTER = 2;

    private final CarpInterfaceConf conf;
    private final EventLoop loop;
    private final CarpLink link;
    private final AddressManager addresses;
    private final CarpAuth auth;
    private final Demotion demotion;
    private final Consumer<CarpTransition> transitions;
    private final List<IpAddress> vipAddresses;
    private final CarpStats stats = new CarpStats();

    private CarpState state = CarpState.INIT;
    private long since;
    private String reason = "not started";
    private IpAddress master;
    /** The interval the followed master advertises, in ticks; 0 when none is known. */
    private int masterTicks;
    private Timer adTimer = Timer.NONE;
    private Timer downTimer = Timer.NONE;
    /** A takeover waiting for this node's skew, NONE when none waits; see {@link #takeOverAfterSkew}. */
    private Timer skewTimer = Timer.NONE;
    private int adsAsMaster;
    private int sendFailures;
    private int sendSuccesses;
    private boolean demotedForSendErrors;
    private boolean demotedForLink;

    CarpVhost(CarpInterfaceConf conf, EventLoop loop, CarpLink link, AddressManager addresses, CarpAuth auth,
              Demotion demotion, Consumer<CarpTransition> transitions) {
        this.conf = conf;
        this.loop = loop;
        this.link = link;
        this.addresses = addresses;
        this.auth = auth;
        this.demotion = demotion;
        this.transitions = transitions;
        this.vipAddresses = conf.vips().stream().map(InterfaceAddress::address).toList();
        this.since = loop.nanoTime();
    }

    CarpInterfaceConf conf() {
        return conf;
    }

    CarpState state() {
        return state;
    }

    CarpStats stats() {
        return stats;
    }

    /** The interval this host advertises, in ticks; OpenBSD uses one tick for 0. */
    int intervalTicks() {
        return Math.max(1, conf.advbase() * 256 + conf.advskew());
    }

    private Duration interval() {
        return Duration.ofNanos(intervalTicks() * TICK_NANOS);
    }

    private Duration masterDown() {
        return Duration.ofNanos(3L * Math.max(intervalTicks(), masterTicks) * TICK_NANOS);
    }

    int demote() {
        return demotion.sum(conf.allGroups());
    }

    /** OpenBSD's setrun: from INIT to BACKUP when the link is up. Any leftover addresses go first. */
    void start() {
        conf.vips().forEach(v -> addresses.remove(conf.carpdev(), v));
        if (!link.linkUp()) {
            linkChanged(false);
            return;
        }
        toBackup("started");
    }

    /** An advertisement for this vhid that passed the link's checks (TTL, form). */
    void received(IpAddress source, IpAddress destination, CarpAdvertisement ad) {
        if (state == CarpState.INIT) {
            return;
        }
        boolean multicast = destination.equals(CarpLink.GROUP);
        if (multicast == (conf.carppeer() != null)) {
            stats.wrongDestination++;
            return;
        }
        if (!auth.verify(ad, source, vipAddresses)) {
            stats.badAuth++;
            LOG.debug("{}: advertisement from {} fails authentication", conf.name(), source);
            return;
        }
        if (auth.isOwn(ad.counter())) {
            stats.own++;
            return;
        }
        if (!auth.acceptCounter(source, ad.counter())) {
            stats.replayed++;
            LOG.debug("{}: replayed advertisement from {}", conf.name(), source);
            return;
        }
        stats.accepted++;
        int rx = ad.intervalTicks();
        int own = intervalTicks();
        int rxDemote = ad.demote();
        int myDemote = demote();
        if (state == CarpState.MASTER) {
            boolean yield = rxDemote < myDemote
                    || rxDemote == myDemote && (rx < own || rx == own && losesTie(source));
            if (yield) {
                master = source;
                masterTicks = rx;
                toBackup("advertisement from " + source + " (interval " + rx + "/256 s, demote " + rxDemote
                        + ") beats ours (" + own + "/256 s, demote " + myDemote + ")");
            }
            return;
        }
        if (!source.equals(master)) {
            LOG.info("{}: master is {}", conf.name(), source);
        }
        master = source;
        masterTicks = rx;
        if (ad.bowOut()) {
            // gone: only the skew wait decides now
            downTimer.cancel();
            takeOverAfterSkew("master " + source + " is leaving", false);
        } else if (conf.preempt() && own < rx && rxDemote >= myDemote) {
            armMasterDown();
            takeOverAfterSkew("preempting " + source + ", which advertises every " + rx + "/256 s, we every " + own,
                    true);
        } else if (myDemote < rxDemote) {
            armMasterDown();
            takeOverAfterSkew("master " + source + " is demoted " + rxDemote + ", we " + myDemote, true);
        } else if (conf.advbase() != 0 && rx > 3 * conf.advbase() * 256 + conf.advskew()) {
            // OpenBSD's test, own skew included: such a master would time out anyway
            toMaster("master " + source + " advertises too seldom to be followed (" + rx + "/256 s)", true);
        } else {
            // a master this node follows (another backup took over first): a takeover it was waiting for is off
            cancelSkewWait();
            armMasterDown();
        }
    }

    /** VRRP's rule: of two equal masters the higher source address stays. */
    private boolean losesTie(IpAddress other) {
        IpAddress mine = link.source();
        if (mine == null || other.family() != mine.family()) {
            return true;
        }
        return java.util.Arrays.compareUnsigned(other.octets(), mine.octets()) > 0;
    }

    /** The carpdev lost or regained its link: down demotes every group and stops the host. */
    void linkChanged(boolean up) {
        if (!up) {
            if (state != CarpState.INIT) {
                toInit("link of " + conf.carpdev() + " is down");
            }
            if (!demotedForLink) {
                demotedForLink = true;
                conf.allGroups().forEach(g -> demotion.adjust(g, 1));
            }
        } else {
            if (demotedForLink) {
                demotedForLink = false;
                conf.allGroups().forEach(g -> demotion.adjust(g, -1));
            }
            if (state == CarpState.INIT) {
                toBackup("link of " + conf.carpdev() + " is up");
            }
        }
    }

    /** A group of this interface changed its counter: a master says so at once. */
    void demotionChanged() {
        if (state == CarpState.MASTER) {
            advertise();
        }
    }

    /** Leaving: a master bows out so a backup takes over at once, and the addresses go. */
    void stop() {
        if (state == CarpState.MASTER) {
            send(CarpAdvertisement.BOW_OUT, CarpAdvertisement.BOW_OUT);
        }
        if (state != CarpState.INIT) {
            toInit("stopping");
        }
        conf.vips().forEach(v -> addresses.remove(conf.carpdev(), v));
    }

    /**
     * Takes over after this node's skew: advskew/256 s, and 1 s more while
     * demoted. OpenBSD takes over at once here (the master bows out, is
     * demoted or is preempted), and so does every backup of a cluster of
     * three or more: for a moment several nodes are master, and two of them
     * send on the same SAs with the same sequence numbers. Waiting in order
     * of skew (VRRPv3's Skew_Time) lets the best backup go first; the others
     * hear its advertisement before their own wait ends, follow it and stop
     * waiting. A master that is demoted or preempted keeps forwarding
     * meanwhile; one that bows out leaves a gap of the skew.
     */
    private void takeOverAfterSkew(String why, boolean contested) {
        if (skewTimer != Timer.NONE) {
            // the leaving or slower master's further advertisements do not push the takeover back
            return;
        }
        long ticks = conf.advskew() + (demote() > 0 ? 256 : 0);
        if (ticks == 0) {
            toMaster(why, contested);
            return;
        }
        Duration skew = Duration.ofNanos(ticks * TICK_NANOS);
        skewTimer = loop.schedule(skew, () -> {
            skewTimer = Timer.NONE;
            if (state == CarpState.BACKUP) {
                toMaster(why + ", after our skew of " + skew.toMillis() + " ms", contested);
            }
        });
    }

    private void cancelSkewWait() {
        skewTimer.cancel();
        skewTimer = Timer.NONE;
    }

    // ---- transitions ------------------------------------------------------

    private void toMaster(String why, boolean contested) {
        CarpState from = state;
        downTimer.cancel();
        cancelSkewWait();
        state = CarpState.MASTER;
        stats.becameMaster++;
        master = link.source();
        masterTicks = 0;
        adsAsMaster = 0;
        advertise();
        conf.vips().forEach(v -> addresses.add(conf.carpdev(), v));
        announce();
        changed(from, why, contested);
    }

    private void toBackup(String why) {
        CarpState from = state;
        adTimer.cancel();
        if (from == CarpState.MASTER) {
            conf.vips().forEach(v -> addresses.remove(conf.carpdev(), v));
        }
        state = CarpState.BACKUP;
        stats.becameBackup++;
        armMasterDown();
        changed(from, why);
    }

    private void toInit(String why) {
        CarpState from = state;
        adTimer.cancel();
        downTimer.cancel();
        cancelSkewWait();
        if (from == CarpState.MASTER) {
            conf.vips().forEach(v -> addresses.remove(conf.carpdev(), v));
        }
        state = CarpState.INIT;
        master = null;
        masterTicks = 0;
        changed(from, why);
    }

    private void changed(CarpState from, String why) {
        changed(from, why, false);
    }

    private void changed(CarpState from, String why, boolean contested) {
        since = loop.nanoTime();
        reason = why;
        if (from == state) {
            return;
        }
        CarpTransition t = new CarpTransition(conf.name(), conf.vhid(), from, state, why, since, conf.vips(),
                contested);
        if (state == CarpState.MASTER || from == CarpState.MASTER) {
            LOG.warn("{}", t);
        } else {
            LOG.info("{}", t);
        }
        transitions.accept(t);
    }

    // ---- timers and sending ---------------------------------------------

    private void armMasterDown() {
        downTimer.cancel();
        // a demoted node that has heard no master since it started (a restart, waiting for its first
        // snapshot) gives a live backup, whose timer already runs, time to take over and advertise first
        Duration wait = master == null && demote() > 0 ? masterDown().plus(STARTUP_GRACE) : masterDown();
        downTimer = loop.schedule(wait, () -> {
            if (state == CarpState.BACKUP) {
                toMaster("no advertisement for " + wait.toMillis() + " ms"
                        + (master == null ? "" : " from " + master), false);
            }
        });
    }

    private void advertise() {
        adTimer.cancel();
        send(conf.advbase(), conf.advskew());
        adsAsMaster++;
        if (adsAsMaster == SECOND_ANNOUNCEMENT_AFTER + 1) {
            // a switch or host that missed the first announcement learns the move now
            announce();
        }
        adTimer = loop.schedule(interval(), () -> {
            if (state == CarpState.MASTER) {
                advertise();
            }
        });
    }

    private void announce() {
        vipAddresses.forEach(a -> addresses.announce(conf.carpdev(), a));
    }

    private void send(int advbase, int advskew) {
        CarpAdvertisement unsigned = new CarpAdvertisement(conf.vhid(), advskew, demote(), advbase,
                auth.nextCounter(), new byte[CarpAdvertisement.MD_LENGTH]);
        byte[] packet = auth.sign(unsigned, link.source(), vipAddresses).encode();
        IpAddress to = conf.carppeer() != null ? conf.carppeer() : CarpLink.GROUP;
        try {
            link.send(to, packet);
            stats.sent++;
            sendFailures = 0;
            if (demotedForSendErrors && ++sendSuccesses >= SEND_ERROR_LIMIT) {
                demotedForSendErrors = false;
                LOG.info("{}: advertisements go out again, demotion lifted", conf.name());
                conf.allGroups().forEach(g -> demotion.adjust(g, -1));
            }
        } catch (IOException e) {
            stats.sendErrors++;
            sendSuccesses = 0;
            if (++sendFailures >= SEND_ERROR_LIMIT && !demotedForSendErrors) {
                demotedForSendErrors = true;
                LOG.warn("{}: {} advertisements in a row failed ({}), demoting", conf.name(), sendFailures,
                        e.getMessage());
                conf.allGroups().forEach(g -> demotion.adjust(g, 1));
            }
        }
    }

    CarpVhostStatus status() {
        return new CarpVhostStatus(conf.name(), conf.vhid(), conf.carpdev(), state, conf.advbase(), conf.advskew(),
                demote(), conf.preempt(), conf.auth(), conf.carppeer(), conf.vips(), master, since, reason,
                stats.snapshot());
    }
}
