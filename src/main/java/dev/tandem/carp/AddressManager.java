package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Puts virtual addresses on and off a carpdev and announces them. Calls
 * return at once: the Linux implementation performs them in order on its own
 * worker thread (adding an address may take milliseconds), logging and
 * counting failures, so the event loop never blocks.
 */
public interface AddressManager {

    /** Adds {@code vip} (address and prefix) to {@code device}; no effect if it is there already. */
    void add(String device, InterfaceAddress vip);

    /** Removes {@code vip} from {@code device}; no effect if it is absent. */
    void remove(String device, InterfaceAddress vip);

    /**
     * Tells the segment that {@code vip} now lives here: a gratuitous ARP for
     * IPv4 (an unsolicited neighbour advertisement for IPv6 where supported).
     */
    void announce(String device, IpAddress vip);

    /** Completes once every operation asked for before it is done, so shutdown can wait for VIPs to go. */
    CompletableFuture<Void> flush();
}
