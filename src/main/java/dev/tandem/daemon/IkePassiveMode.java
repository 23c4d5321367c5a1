package dev.tandem.daemon;

import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.conf.sasyncd.ControlTarget;
import dev.tandem.conf.sasyncd.SasyncdConf;
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
 */
final class IkePassiveMode implements Consumer<CarpTransition> {

    private static final Logger LOG = LoggerFactory.getLogger(IkePassiveMode.class);

    private final SasyncdConf sync;
    private final Consumer<Boolean> passive;
    private Boolean current;

    /** @param passive receives each change (true: passive), the first one at {@link #start} */
    IkePassiveMode(SasyncdConf sync, Consumer<Boolean> passive) {
        this.sync = sync;
        this.passive = passive;
    }

    private boolean controlled() {
        return sync != null && (sync.control() == ControlTarget.ISAKMPD || sync.control() == ControlTarget.ALL);
    }

    /** The carp interface to follow ({@link #accept} its transitions), or null. */
    String carpInterface() {
        if (!controlled()) {
            return null;
        }
        return switch (sync.mode()) {
            case CARP -> sync.interfaceName();
            case MASTER, SLAVE -> null;
        };
    }

    /** Sets the first mode; {@code carpState} is the state of {@link #carpInterface()}, if any. */
    void start(CarpState carpState) {
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
        if (iface != null && iface.equals(t.iface())) {
            set(t.to() != CarpState.MASTER, t.toString());
        }
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
