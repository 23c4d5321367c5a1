package dev.tandem.sim;

import dev.tandem.carp.AddressManager;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A simulated node's interface addresses: what CARP put on its devices and
 * the announcements it made, with a listener so scenarios can time takeovers.
 */
public final class SimAddresses implements AddressManager {

    /** A change seen by listeners: {@code added} false means removed. */
    public record Change(String device, InterfaceAddress vip, boolean added) { }

    private final Set<String> held = new LinkedHashSet<>();
    private final List<IpAddress> announced = new ArrayList<>();
    private final List<Consumer<Change>> listeners = new ArrayList<>();

    @Override
    public void add(String device, InterfaceAddress vip) {
        if (held.add(device + " " + vip)) {
            listeners.forEach(l -> l.accept(new Change(device, vip, true)));
        }
    }

    @Override
    public void remove(String device, InterfaceAddress vip) {
        if (held.remove(device + " " + vip)) {
            listeners.forEach(l -> l.accept(new Change(device, vip, false)));
        }
    }

    @Override
    public void announce(String device, IpAddress vip) {
        announced.add(vip);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    /** Whether {@code vip} is on any device of this node. */
    public boolean holds(InterfaceAddress vip) {
        return held.stream().anyMatch(h -> h.endsWith(" " + vip));
    }

    public int announcements() {
        return announced.size();
    }

    public void listen(Consumer<Change> l) {
        listeners.add(l);
    }

    /** After a crash the node's addresses are gone with it. */
    public void clear() {
        held.clear();
    }
}
