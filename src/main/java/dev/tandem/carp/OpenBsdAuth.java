package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.security.SecureRandom;
import java.util.List;

/**
 * OpenBSD's authentication for one vhost: its HMAC, and a random 64-bit
 * "replay cookie" chosen once and sent in every advertisement. The cookie
 * only recognises our own advertisements coming back (a network loop);
 * nothing stops a replay.
 */
final class OpenBsdAuth implements CarpAuth {

    private final OpenBsdHmac hmac;
    private final long cookie;

    OpenBsdAuth(OpenBsdHmac hmac) {
        this(hmac, randomCookie());
    }

    OpenBsdAuth(OpenBsdHmac hmac, long cookie) {
        this.hmac = hmac;
        this.cookie = cookie;
    }

    private static long randomCookie() {
        SecureRandom random = new SecureRandom();
        long c;
        do {
            // OpenBSD draws again while the cookie is zero, its "not chosen yet".
            c = random.nextLong();
        } while (c == 0);
        return c;
    }

    @Override
    public long nextCounter() {
        return cookie;
    }

    @Override
    public CarpAdvertisement sign(CarpAdvertisement unsigned, IpAddress source, List<IpAddress> vips) {
        return unsigned.withMd(hmac.compute(unsigned.vhid(), vips, unsigned.counter()));
    }

    @Override
    public boolean verify(CarpAdvertisement ad, IpAddress source, List<IpAddress> vips) {
        return hmac.verify(ad, vips);
    }

    @Override
    public boolean isOwn(long counter) {
        return counter == cookie;
    }

    @Override
    public boolean acceptCounter(IpAddress source, long counter) {
        return true;
    }

    @Override
    public String toString() {
        return "OpenBSD CARP authentication";
    }
}
