package dev.tandem.sync;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.conf.sasyncd.ControlTarget;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the IKE daemon may initiate: what sasyncd does to isakmpd -S on
 * OpenBSD. With sasyncd.conf's "control isakmpd" (the default) or "control
 * all", IKE is passive (answers, never starts an exchange, a rekey or a
 * DPD-driven restart) unless this node is the sync master: always in "mode
 * master", never in "mode slave", else while the carp interface is MASTER.
 * Without sasyncd.conf, or with "control iked" or "control none", IKE is
 * always active. Runs on the event loop.
 *
 * <p>A new master turns active only after {@link #SETTLE}: a takeover can
 * be undone an advertisement later (two nodes booting together, a master
 * that lifts its start-up demotion), and an exchange this node started in
 * between would be left half done to the other. Answering the peer,
 * DPD included, goes on meanwhile; only initiating waits.
 */
public final class IkePassiveMode implements Consumer<CarpTransition> {

    private static final Logger LOG = LoggerFactory.getLogger(IkePassiveMode.class);

    /** How long a node must have been master before its IKE initiates. */
    public static final Duration SETTLE = Duration.ofSeconds(1);

    private final SasyncdConf sync;
    private final EventLoop loop;
    private final Consumer<Boolean> passive;
    private Boolean current;
    private Timer settling = Timer.NONE;

    /** @param passive receives each change (true: passive), the first one at {@link #start} */
    public IkePassiveMode(SasyncdConf sync, EventLoop loop, Consumer<Boolean> passive) {
        this.sync = sync;
        this.loop = loop;
        this.passive = passive;
    }

    private boolean controlled() {
        return sync != null && (sync.control() == ControlTarget.ISAKMPD || sync.control() == ControlTarget.ALL);
    }

    /** The carp interface to follow ({@link #accept} its transitions), or null. */
    public String carpInterface() {
        if (!controlled()) {
            return null;
        }
        return switch (sync.mode()) {
            case CARP -> sync.interfaceName();
            case MASTER, SLAVE -> null;
        };
    }

    /**
     * Follows {@code carp} (null without CARP): subscribes to it if sasyncd.conf
     * names one of its interfaces, and sets the first mode from that
     * interface's state.
     */
    public void follow(Carp carp) {
        String iface = carp == null ? null : carpInterface();
        if (iface != null) {
            carp.subscribe(this);
        }
        start(iface == null ? null : carp.state(iface));
    }

    /** Sets the first mode; {@code carpState} is the state of {@link #carpInterface()}, if any. */
    public void start(CarpState carpState) {
        if (!controlled()) {
            set(false, sync == null ? "no sasyncd.conf" : "sasyncd.conf controls " + sync.control());
            return;
        }
        switch (sync.mode()) {
            case MASTER -> set(false, "mode master in sasyncd.conf");
            case SLAVE -> set(true, "mode slave in sasyncd.conf");
            case CARP -> set(carpState != CarpState.MASTER, sync.interfaceName() + " is " + carpState);
        }
    }

    @Override
    public void accept(CarpTransition t) {
        String iface = carpInterface();
        if (iface == null || !iface.equals(t.iface())) {
            return;
        }
        settling.cancel();
        if (t.to() != CarpState.MASTER) {
            set(true, t.toString());
            return;
        }
        settling = loop.schedule(SETTLE, () -> set(false, t + ", master for " + SETTLE.toMillis() + " ms"));
    }

    private void set(boolean next, String why) {
        if (current != null && current == next) {
            return;
        }
        current = next;
        LOG.info("ike: {} ({})", next ? "passive: answering only" : "active", why);
        passive.accept(next);
    }
}
