package dev.tandem.sync;

import dev.tandem.sadb.SaId;
import java.util.HashMap;
import java.util.Map;

/**
 * How fast each SA's outbound sequence number moved, as the master's counter
 * updates showed it; sizes the jump a new master makes so that the peer never
 * sees a sequence number twice (pfsync's 16384, but measured, §4 and §7
 * item 14 of the reference).
 */
final class SequenceRates {

    /** OpenBSD's fixed jump (pfsync), the least we ever add. */
    static final long MINIMUM_MARGIN = 16_384;

    /** Per SA: the last sample and the highest rate seen recently, in packets per second. */
    private record Sample(long nanos, long sequence, double peakPerSecond) { }

    private final Map<SaId, Sample> samples = new HashMap<>();

    /** Records that {@code id} had sent up to {@code sequence} at {@code nanos}. */
    void observe(SaId id, long sequence, long nanos) {
        Sample s = samples.get(id);
        if (s == null) {
            samples.put(id, new Sample(nanos, sequence, 0));
            return;
        }
        long dt = nanos - s.nanos;
        if (dt <= 0 || sequence < s.sequence) {
            return;
        }
        double rate = (sequence - s.sequence) * 1e9 / dt;
        // the peak decays by half each sample without traffic, so an old burst does not cost forever
        double peak = Math.max(rate, s.peakPerSecond / 2);
        samples.put(id, new Sample(nanos, sequence, peak));
    }

    /**
     * A first estimate for an SA seen for the first time with a history: its
     * average rate since establishment (jumps of earlier takeovers inflate it,
     * the safe direction). Later samples refine it.
     */
    void seed(SaId id, long sequence, long ageNanos, long nanos) {
        if (samples.containsKey(id) || ageNanos <= 0) {
            return;
        }
        samples.put(id, new Sample(nanos - ageNanos, 0, 0));
        observe(id, sequence, nanos);
    }

    double peakPerSecond(SaId id) {
        Sample s = samples.get(id);
        return s == null ? 0 : s.peakPerSecond;
    }

    /**
     * The jump for {@code id}: twice what the old master can have sent since the
     * last update that reached us (its peak rate over {@code exposureNanos}, plus
     * the packets it sends before it reports them), never less than OpenBSD's.
     */
    long margin(SaId id, long exposureNanos, long packetsBetweenReports) {
        double unseen = peakPerSecond(id) * exposureNanos / 1e9 + packetsBetweenReports;
        return Math.max(MINIMUM_MARGIN, (long) Math.ceil(2 * unseen));
    }

    void forget(SaId id) {
        samples.remove(id);
    }

    void clear() {
        samples.clear();
    }
}
