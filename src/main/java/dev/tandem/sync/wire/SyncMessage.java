package dev.tandem.sync.wire;

import dev.tandem.ike.ChildState;
import dev.tandem.ike.Phase1State;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaSpec;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What travels inside the encrypted frames of a replication channel: a type
 * byte, then the message's fields, big-endian with explicit lengths.
 * {@link #decode} accepts exactly the bytes {@link #encode()} makes: every
 * length and code is checked before use, and trailing bytes are an error.
 */
public sealed interface SyncMessage {

    /** Message types with their wire codes. */
    enum Type {
        AUTH(1), HEARTBEAT(2), ROLE(3), SNAPSHOT_BEGIN(4), SA_UPSERT(5), SA_DELETE(6),
        FLOW_ADD(7), FLOW_DELETE(8), SNAPSHOT_END(9), ACK(10), COUNTERS(11), BYE(12),
        IKE_PHASE1_UPSERT(13), IKE_PHASE1_DELETE(14), IKE_CHILD_UPSERT(15), IKE_CHILD_DELETE(16);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    Type type();

    /** The plaintext of a frame: type code, then the fields. */
    default byte[] encode() {
        return MessageCodec.encode(this);
    }

    /** Reads one message that fills {@code b} exactly. */
    static SyncMessage decode(byte[] b) throws MalformedSyncMessage {
        return MessageCodec.decode(b, 0, b.length);
    }

    static SyncMessage decode(byte[] b, int off, int len) throws MalformedSyncMessage {
        return MessageCodec.decode(b, off, len);
    }

    /**
     * The first message each side sends: SHA-256 of both HELLOs exactly as
     * sent (initiator's first). Proves the sender holds the key for its
     * direction and saw the same HELLOs, so a HELLO altered on the way (an
     * older version, other flags) is caught.
     */
    record Auth(byte[] transcriptHash) implements SyncMessage {
        public static final int HASH_LENGTH = 32;

        public Auth {
            if (transcriptHash.length != HASH_LENGTH) {
                throw new IllegalArgumentException("transcript hash of " + transcriptHash.length + " bytes");
            }
            transcriptHash = transcriptHash.clone();
        }

        @Override
        public byte[] transcriptHash() {
            return transcriptHash.clone();
        }

        /** Constant-time comparison with the hash this side computed. */
        boolean matches(byte[] expected) {
            return MessageDigest.isEqual(transcriptHash, expected);
        }

        @Override public Type type() { return Type.AUTH; }


        @Override
        public boolean equals(Object o) {
            return o instanceof Auth a && MessageDigest.isEqual(a.transcriptHash, transcriptHash);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(transcriptHash);
        }

        @Override
        public String toString() {
            return "Auth[" + HexFormat.of().formatHex(transcriptHash) + "]";
        }
    }

    /** Liveness, with the sender's event-loop time (milliseconds, any origin) for round-trip estimates. */
    record Heartbeat(long loopTimeMillis) implements SyncMessage {
        @Override public Type type() { return Type.HEARTBEAT; }
    }

    /**
     * The sender's role and the epoch it holds it in; a higher epoch is a
     * newer claim, so an old ROLE arriving late is recognisable.
     */
    record Role(RunState state, long epoch) implements SyncMessage {
        public Role {
            Objects.requireNonNull(state, "state");
        }

        @Override public Type type() { return Type.ROLE; }
    }

    /** A full reconciliation follows: this many SA_UPSERTs and FLOW_ADDs, then SNAPSHOT_END. */
    record SnapshotBegin(long snapshotId, int saCount, int flowCount) implements SyncMessage {
        public SnapshotBegin {
            if (saCount < 0 || flowCount < 0) {
                throw new IllegalArgumentException("negative count");
            }
        }

        @Override public Type type() { return Type.SNAPSHOT_BEGIN; }
    }

    /**
     * A whole SA, definition and runtime state, so a backup can take it over
     * as it is. Keys travel only inside the AEAD frame; toString() hides them.
     *
     * @param outboundSequence last outbound sequence number used (64 bits, any value)
     * @param replayTop        highest inbound sequence number accepted (64 bits, any value)
     * @param packets          packets protected so far
     * @param bytes            payload bytes protected so far
     * @param ageMillis        time since the SA was established on its first node, so that
     *                         a backup counts lifetimes from then and not from its copy
     */
    record SaUpsert(SaSpec spec, long outboundSequence, long replayTop, long packets, long bytes, long ageMillis)
            implements SyncMessage {
        public SaUpsert {
            Objects.requireNonNull(spec, "spec");
            if (packets < 0 || bytes < 0 || ageMillis < 0) {
                throw new IllegalArgumentException("negative counter or age");
            }
        }

        @Override public Type type() { return Type.SA_UPSERT; }
    }

    record SaDelete(SaId id) implements SyncMessage {
        public SaDelete {
            Objects.requireNonNull(id, "id");
        }

        @Override public Type type() { return Type.SA_DELETE; }
    }

    /** A flow with every field of it, IKE identities included (at most 1024 bytes of UTF-8 each). */
    record FlowAdd(Flow flow) implements SyncMessage {
        public FlowAdd {
            SadbWire.checkFlow(Objects.requireNonNull(flow, "flow"));
        }

        @Override public Type type() { return Type.FLOW_ADD; }
    }

    record FlowDelete(Flow.Key key) implements SyncMessage {
        public FlowDelete {
            Objects.requireNonNull(key, "key");
        }

        @Override public Type type() { return Type.FLOW_DELETE; }
    }

    record SnapshotEnd(long snapshotId) implements SyncMessage {
        @Override public Type type() { return Type.SNAPSHOT_END; }
    }

    /**
     * What the receiver has applied: every message up to the frame sequence
     * number {@code lastSequence} of the sender's direction, and the last
     * complete snapshot (0 before the first).
     */
    record Ack(long lastSequence, long lastSnapshotId) implements SyncMessage {
        @Override public Type type() { return Type.ACK; }
    }

    /** Replay counters of many SAs at once (pfsync's job in OpenBSD), at most {@link #MAX_ENTRIES}. */
    record Counters(List<Entry> entries) implements SyncMessage {
        public static final int MAX_ENTRIES = 4096;

        /** One SA's sequence numbers, 64 bits each, any value. */
        public record Entry(SaId id, long outboundSequence, long replayTop) {
            public Entry {
                Objects.requireNonNull(id, "id");
            }
        }

        public Counters {
            entries = List.copyOf(entries);
            if (entries.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException(entries.size() + " entries, at most " + MAX_ENTRIES);
            }
        }

        @Override public Type type() { return Type.COUNTERS; }
    }

    /**
     * An established IKE phase 1 SA, keys and IV state included, so that a
     * backup taking over can carry on with the peer. Keys travel only inside
     * the AEAD frame; toString() hides them.
     */
    record IkePhase1Upsert(Phase1State state) implements SyncMessage {
        public IkePhase1Upsert {
            IkeWire.checkPhase1(Objects.requireNonNull(state, "state"));
        }

        @Override public Type type() { return Type.IKE_PHASE1_UPSERT; }
    }

    /** A phase 1 SA is gone, by its cookie pair. */
    record IkePhase1Delete(long initiatorCookie, long responderCookie) implements SyncMessage {
        @Override public Type type() { return Type.IKE_PHASE1_DELETE; }
    }

    /** A pair of child SAs as the IKE daemon knows it; the SAs themselves travel as SA_UPSERTs, before it. */
    record IkeChildUpsert(ChildState state) implements SyncMessage {
        public IkeChildUpsert {
            IkeWire.checkChild(Objects.requireNonNull(state, "state"));
        }

        @Override public Type type() { return Type.IKE_CHILD_UPSERT; }
    }

    /** The IKE daemon no longer knows the pair of child SAs with this inbound SA. */
    record IkeChildDelete(SaId inbound) implements SyncMessage {
        public IkeChildDelete {
            Objects.requireNonNull(inbound, "inbound");
        }

        @Override public Type type() { return Type.IKE_CHILD_DELETE; }
    }

    /** The sender is closing the connection on purpose, and says why (at most 256 bytes of UTF-8). */
    record Bye(String reason) implements SyncMessage {
        public static final int MAX_REASON_BYTES = 256;

        public Bye {
            WireWriter.checkString(Objects.requireNonNull(reason, "reason"), MAX_REASON_BYTES, "reason");
        }

        @Override public Type type() { return Type.BYE; }
    }
}
