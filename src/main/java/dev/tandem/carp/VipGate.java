package dev.tandem.carp;

import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.InterfaceAddress;
import dev.tandem.sadb.Sadb;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Only the master sends from a VIP (OpenBSD's carp_output refuses on a
 * backup): every VIP is on standby in the SADB until its carp interface is
 * MASTER. After a contested takeover the old master may send a moment
 * longer, until it hears us; its sequence numbers are behind ours, and the
 * peer would drop whatever of ours it then sent as replays. So a contested
 * takeover waits {@link #HOLD_OFF} before sending; an uncontested one (the
 * master is silent or leaving) sends at once.
 */
public final class VipGate implements Consumer<CarpTransition> {

    /** Far longer than an advertisement takes to reach the old master on one segment. */
    public static final Duration HOLD_OFF = Duration.ofMillis(50);

    private final Sadb sadb;
    private final EventLoop loop;
    private final Map<String, Timer> pending = new HashMap<>();

    public VipGate(Sadb sadb, EventLoop loop) {
        this.sadb = sadb;
        this.loop = loop;
    }

    /** Puts every VIP of {@code carp}'s interfaces on standby; call before its interfaces start. */
    public static VipGate install(Carp carp, Sadb sadb, EventLoop loop, Iterable<InterfaceAddress> vips) {
        VipGate g = new VipGate(sadb, loop);
        vips.forEach(v -> sadb.standby(v.address(), true));
        carp.subscribe(g);
        return g;
    }

    @Override
    public void accept(CarpTransition t) {
        Timer old = pending.remove(t.iface());
        if (old != null) {
            old.cancel();
        }
        if (t.to() != CarpState.MASTER) {
            t.vips().forEach(v -> sadb.standby(v.address(), true));
            return;
        }
        if (!t.contested()) {
            t.vips().forEach(v -> sadb.standby(v.address(), false));
            return;
        }
        pending.put(t.iface(), loop.schedule(HOLD_OFF, () -> {
            pending.remove(t.iface());
            t.vips().forEach(v -> sadb.standby(v.address(), false));
        }));
    }
}
