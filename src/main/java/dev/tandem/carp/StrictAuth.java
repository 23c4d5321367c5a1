package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.util.List;

/**
 * Tandem's strict authentication for one vhost (see {@link StrictMac},
 * {@link StrictCounter}, {@link ReplayGuard}). Our own advertisements are
 * recognised by the last few counters we handed out, since the counter
 * changes with every advertisement.
 */
final class StrictAuth implements CarpAuth {

    /** Counters remembered for loop detection: a looped advertisement comes back within milliseconds. */
    static final int OWN_REMEMBERED = 8;

    private final StrictMac mac;
    private final StrictCounter counter;
    private final ReplayGuard guard;
    private final long[] sent = new long[OWN_REMEMBERED];
    private int sentCount;
    private int sentNext;

    StrictAuth(StrictMac mac, StrictCounter counter, ReplayGuard guard) {
        this.mac = mac;
        this.counter = counter;
        this.guard = guard;
    }

    @Override
    public long nextCounter() {
        long c = counter.next();
        sent[sentNext] = c;
        sentNext = (sentNext + 1) % OWN_REMEMBERED;
        sentCount = Math.min(sentCount + 1, OWN_REMEMBERED);
        return c;
    }

    @Override
    public CarpAdvertisement sign(CarpAdvertisement unsigned, IpAddress source, List<IpAddress> vips) {
        return unsigned.withMd(mac.compute(unsigned, source, vips));
    }

    @Override
    public boolean verify(CarpAdvertisement ad, IpAddress source, List<IpAddress> vips) {
        return mac.verify(ad, source, vips);
    }

    @Override
    public boolean isOwn(long c) {
        for (int i = 0; i < sentCount; i++) {
            if (sent[i] == c) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean acceptCounter(IpAddress source, long c) {
        return guard.accept(source, c);
    }

    @Override
    public String toString() {
        return "strict CARP authentication";
    }
}
