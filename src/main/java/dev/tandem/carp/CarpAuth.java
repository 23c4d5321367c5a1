package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How one vhost authenticates its advertisements. Sending:
 * {@link #nextCounter()}, build the advertisement with it, {@link #sign}.
 * Receiving, in this order: {@link #verify}, then drop it if {@link #isOwn}
 * (our own advertisement looped back), then drop it unless
 * {@link #acceptCounter} (a replay). Not thread-safe: used from the node's
 * event loop.
 */
public interface CarpAuth {

    /**
     * OpenBSD's scheme, compatible with OpenBSD and (for a single IPv4 address)
     * ucarp: HMAC-SHA1 over vhid, addresses and counter; the counter is a random
     * cookie fixed for the life of the vhost and there is no replay protection.
     */
    static CarpAuth openBsd(CarpKey key) {
        return new OpenBsdAuth(new OpenBsdHmac(key));
    }

    /**
     * Tandem's strict scheme (not understood by OpenBSD or ucarp): the MAC covers
     * every header field, the key comes from the whole passphrase, and the counter
     * is a timestamp that receivers require to increase. Needs clocks within
     * {@link ReplayGuard#WINDOW_MICROS} of each other.
     */
    static CarpAuth strict(String passphrase, int vhid) {
        return strict(passphrase, vhid, CarpAuth::wallClockMicros);
    }

    /** {@link #strict(String, int)} with the given clock, in microseconds since the epoch. */
    static CarpAuth strict(String passphrase, int vhid, LongSupplier wallClockMicros) {
        return new StrictAuth(new StrictMac(passphrase, vhid), new StrictCounter(wallClockMicros),
                new ReplayGuard(wallClockMicros));
    }

    /** Microseconds since the epoch from the system clock. */
    static long wallClockMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The counter of the next advertisement this vhost sends. */
    long nextCounter();

    /**
     * {@code unsigned} (whatever its md) with the MAC over it, {@code vips} and,
     * in strict mode, the IP source address it leaves from in its md field.
     */
    CarpAdvertisement sign(CarpAdvertisement unsigned, IpAddress source, List<IpAddress> vips);

    /**
     * Whether {@code ad}, received from {@code source}, carries a valid MAC for our
     * key and {@code vips}; constant time. Strict mode covers the source too, so an
     * advertisement replayed from another address fails here.
     */
    boolean verify(CarpAdvertisement ad, IpAddress source, List<IpAddress> vips);

    /** Whether an authenticated advertisement with this counter is one we sent. */
    boolean isOwn(long counter);

    /**
     * Whether an authenticated advertisement from {@code source} with this
     * counter may be acted on; remembers it. Always true in OpenBSD mode.
     */
    boolean acceptCounter(IpAddress source, long counter);
}
