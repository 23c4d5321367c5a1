package dev.tandem.ike;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The IKE daemon's counters; the names are shown to admins and stay stable. */
final class IkeCounters {

    static final String RECEIVED = "received";
    static final String SENT = "sent";
    static final String RETRANSMITS = "retransmits";
    static final String MALFORMED = "malformed";
    static final String UNAUTHENTICATED = "unauthenticated";
    static final String UNKNOWN_SA = "unknown-sa";
    static final String HALF_OPEN_EVICTED = "half-open-evicted";
    static final String NO_PROPOSAL_CHOSEN = "no-proposal-chosen";
    static final String PHASE1_ESTABLISHED = "phase1-established";
    static final String PHASE2_ESTABLISHED = "phase2-established";
    static final String PHASE1_FAILED = "phase1-failed";
    static final String PHASE2_FAILED = "phase2-failed";
    static final String DPD_SENT = "dpd-sent";
    static final String DPD_ANSWERED = "dpd-answered";
    /** The peer's R-U-THERE answered by us (what shows that a new master carries the peer's DPD). */
    static final String DPD_REQUESTS_ANSWERED = "dpd-requests-answered";
    static final String DELETES_RECEIVED = "deletes-received";
    static final String DELETES_SENT = "deletes-sent";

    private final Map<String, Long> values = new LinkedHashMap<>();

    IkeCounters() {
        for (String n : new String[] {RECEIVED, SENT, RETRANSMITS, MALFORMED, UNAUTHENTICATED, UNKNOWN_SA,
                HALF_OPEN_EVICTED, NO_PROPOSAL_CHOSEN, PHASE1_ESTABLISHED, PHASE2_ESTABLISHED, PHASE1_FAILED,
                PHASE2_FAILED, DPD_SENT, DPD_ANSWERED, DPD_REQUESTS_ANSWERED, DELETES_RECEIVED, DELETES_SENT}) {
            values.put(n, 0L);
        }
    }

    void inc(String name) {
        values.merge(name, 1L, Long::sum);
    }

    Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
