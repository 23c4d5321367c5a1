package dev.tandem.sync.wire;

import dev.tandem.sync.wire.SyncMessage.Ack;
import dev.tandem.sync.wire.SyncMessage.Auth;
import dev.tandem.sync.wire.SyncMessage.Bye;
import dev.tandem.sync.wire.SyncMessage.Counters;
import dev.tandem.sync.wire.SyncMessage.FlowAdd;
import dev.tandem.sync.wire.SyncMessage.FlowDelete;
import dev.tandem.sync.wire.SyncMessage.Heartbeat;
import dev.tandem.sync.wire.SyncMessage.IkeChildDelete;
import dev.tandem.sync.wire.SyncMessage.IkeChildUpsert;
import dev.tandem.sync.wire.SyncMessage.IkePhase1Delete;
import dev.tandem.sync.wire.SyncMessage.IkePhase1Upsert;
import dev.tandem.sync.wire.SyncMessage.Role;
import dev.tandem.sync.wire.SyncMessage.SaDelete;
import dev.tandem.sync.wire.SyncMessage.SaUpsert;
import dev.tandem.sync.wire.SyncMessage.SnapshotBegin;
import dev.tandem.sync.wire.SyncMessage.SnapshotEnd;
import dev.tandem.sadb.SaSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of each {@link SyncMessage}: a type code (u8), then the
 * fields in declaration order. Counts and sizes are checked against what is
 * left before anything is allocated for them.
 */
final class MessageCodec {

    /** Smallest COUNTERS entry: IPv4 SA identity (1 + 4 + 1 + 4) and two u64. */
    private static final int MIN_COUNTER_ENTRY = 10 + 16;

    private MessageCodec() {
    }

    static byte[] encode(SyncMessage m) {
        WireWriter w = new WireWriter(m instanceof Counters c ? 3 + c.entries().size() * 38 : 256);
        w.u8(m.type().code());
        switch (m) {
            case Auth a -> w.bytes(a.transcriptHash());
            case Heartbeat h -> w.u64(h.loopTimeMillis());
            case Role r -> w.u8(r.state().code()).u64(r.epoch());
            case SnapshotBegin s -> w.u64(s.snapshotId()).u32(s.saCount()).u32(s.flowCount());
            case SaUpsert u -> {
                SadbWire.spec(w, u.spec());
                w.u64(u.outboundSequence()).u64(u.replayTop()).u64(u.packets()).u64(u.bytes()).u64(u.ageMillis());
            }
            case SaDelete d -> SadbWire.saId(w, d.id());
            case FlowAdd f -> SadbWire.flow(w, f.flow());
            case FlowDelete f -> SadbWire.flowKey(w, f.key());
            case SnapshotEnd s -> w.u64(s.snapshotId());
            case Ack a -> w.u64(a.lastSequence()).u64(a.lastSnapshotId());
            case Counters c -> {
                w.u16(c.entries().size());
                for (Counters.Entry e : c.entries()) {
                    SadbWire.saId(w, e.id());
                    w.u64(e.outboundSequence()).u64(e.replayTop());
                }
            }
            case Bye b -> w.string(b.reason());
            case IkePhase1Upsert u -> IkeWire.phase1(w, u.state());
            case IkePhase1Delete d -> w.u64(d.initiatorCookie()).u64(d.responderCookie());
            case IkeChildUpsert u -> IkeWire.child(w, u.state());
            case IkeChildDelete d -> SadbWire.saId(w, d.inbound());
        }
        byte[] r = w.toByteArray();
        w.wipe();
        return r;
    }

    static SyncMessage decode(byte[] b, int off, int len) throws MalformedSyncMessage {
        WireReader r = new WireReader(b, off, len);
        int code = r.u8("type");
        SyncMessage m = switch (code) {
            case 1 -> new Auth(r.bytes(Auth.HASH_LENGTH, "transcriptHash"));
            case 2 -> new Heartbeat(r.u64("loopTimeMillis"));
            case 3 -> new Role(RunState.fromCode(r.u8("state")), r.u64("epoch"));
            case 4 -> new SnapshotBegin(r.u64("snapshotId"), r.u31("saCount"), r.u31("flowCount"));
            case 5 -> saUpsert(r);
            case 6 -> new SaDelete(SadbWire.saId(r, "sa"));
            case 7 -> new FlowAdd(SadbWire.flow(r));
            case 8 -> new FlowDelete(SadbWire.flowKey(r));
            case 9 -> new SnapshotEnd(r.u64("snapshotId"));
            case 10 -> new Ack(r.u64("lastSequence"), r.u64("lastSnapshotId"));
            case 11 -> counters(r);
            case 12 -> new Bye(r.string(Bye.MAX_REASON_BYTES, "reason"));
            case 13 -> new IkePhase1Upsert(IkeWire.phase1(r));
            case 14 -> new IkePhase1Delete(r.u64("initiatorCookie"), r.u64("responderCookie"));
            case 15 -> new IkeChildUpsert(IkeWire.child(r));
            case 16 -> new IkeChildDelete(SadbWire.saId(r, "inbound"));
            default -> throw new MalformedSyncMessage("type", "code " + code);
        };
        r.end();
        return m;
    }

    private static SaUpsert saUpsert(WireReader r) throws MalformedSyncMessage {
        SaSpec spec = SadbWire.spec(r);
        return new SaUpsert(spec, r.u64("outboundSequence"), r.u64("replayTop"), r.u63("packets"),
                r.u63("bytes"), r.u63("ageMillis"));
    }

    private static Counters counters(WireReader r) throws MalformedSyncMessage {
        int n = r.u16("count");
        if (n > Counters.MAX_ENTRIES) {
            throw new MalformedSyncMessage("count", n + " entries, at most " + Counters.MAX_ENTRIES);
        }
        if ((long) n * MIN_COUNTER_ENTRY > r.remaining()) {
            throw new MalformedSyncMessage("count", n + " entries cannot fit in " + r.remaining() + " bytes");
        }
        List<Counters.Entry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String f = "entries[" + i + "]";
            list.add(new Counters.Entry(SadbWire.saId(r, f + ".sa"), r.u64(f + ".outboundSequence"),
                    r.u64(f + ".replayTop")));
        }
        return new Counters(list);
    }
}
