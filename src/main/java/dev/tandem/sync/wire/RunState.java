package dev.tandem.sync.wire;

/**
 * A node's replication role as ROLE messages announce it (sasyncd's
 * RUNSTATE without FAIL, which never goes on the wire: a failed node does
 * not talk).
 */
public enum RunState {
    /** Started, role not known yet (CARP not settled). */
    INIT(1),
    /** CARP backup: receives SAs and flows. */
    BACKUP(2),
    /** CARP master: the source of SAs and flows. */
    MASTER(3);

    private final int code;

    RunState(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static RunState fromCode(int code) throws MalformedSyncMessage {
        for (RunState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new MalformedSyncMessage("state", "code " + code);
    }
}
