package dev.tandem.sync.wire;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Selector;
import java.util.Arrays;

/**
 * SAs and flows in replication messages. Every enum has an explicit code
 * (never an ordinal, so reordering a Java enum cannot change the wire), and
 * codes start at 1 so that zeroed bytes never read as a valid value. The
 * decoder checks everything the domain records' constructors would refuse
 * first, so a bad field is reported by name instead of as an unchecked
 * exception.
 */
final class SadbWire {

    /** Upper bound of the replay window, as {@link dev.tandem.esp.ReplayWindow} accepts. */
    static final int MAX_REPLAY_WINDOW = 1 << 20;
    /** Upper bound of an IKE identity string of a flow, in UTF-8 bytes. */
    static final int MAX_ID_BYTES = 1024;

    private SadbWire() {
    }

    // ---- SA identity ----------------------------------------------------

    static void saId(WireWriter w, SaId id) {
        w.address(id.dst()).u8(id.protocol().ipProtocol()).u32(Integer.toUnsignedLong(id.spi()));
    }

    static SaId saId(WireReader r, String field) throws MalformedSyncMessage {
        IpAddress dst = r.address(field + ".dst");
        SaProtocol p = saProtocol(r, field + ".protocol");
        int spi = (int) r.u32(field + ".spi");
        return new SaId(dst, p, spi);
    }

    static SaProtocol saProtocol(WireReader r, String field) throws MalformedSyncMessage {
        int v = r.u8(field);
        for (SaProtocol p : SaProtocol.values()) {
            if (p.ipProtocol() == v) {
                return p;
            }
        }
        throw new MalformedSyncMessage(field, "IP protocol " + v + " is not an IPsec protocol");
    }

    // ---- SA definition --------------------------------------------------

    static void spec(WireWriter w, SaSpec s) {
        saId(w, s.id());
        w.address(s.src());
        w.u8(switch (s.mode()) {
            case TUNNEL -> 1;
            case TRANSPORT -> 2;
        });
        transform(w, s.keys().transform());
        byte[] enc = s.keys().encKeyBytes();
        byte[] auth = s.keys().authKeyBytes();
        w.u8(enc.length).bytes(enc).u8(auth.length).bytes(auth);
        Arrays.fill(enc, (byte) 0);
        Arrays.fill(auth, (byte) 0);
        switch (s.encapsulation()) {
            case Encapsulation.Raw raw -> w.u8(1);
            case Encapsulation.Udp u -> w.u8(2).u16(u.srcPort()).u16(u.dstPort());
        }
        w.bool(s.esn()).u32(s.replayWindow());
        lifetime(w, s.soft());
        lifetime(w, s.hard());
    }

    static SaSpec spec(WireReader r) throws MalformedSyncMessage {
        SaId id = saId(r, "sa");
        if (id.protocol() != SaProtocol.ESP) {
            throw new MalformedSyncMessage("sa.protocol", id.protocol() + ": only ESP SAs are defined");
        }
        IpAddress src = r.address("src");
        if (src.family() != id.dst().family()) {
            throw new MalformedSyncMessage("src", "address family differs from the destination's");
        }
        int m = r.u8("mode");
        SaMode mode = switch (m) {
            case 1 -> SaMode.TUNNEL;
            case 2 -> SaMode.TRANSPORT;
            default -> throw new MalformedSyncMessage("mode", "code " + m);
        };
        EspTransform t = transform(r);
        EspKeys keys = keys(r, t);
        Encapsulation encap = encapsulation(r);
        boolean esn = r.bool("esn");
        long window = r.u32("replayWindow");
        if (window < 32 || window > MAX_REPLAY_WINDOW) {
            throw new MalformedSyncMessage("replayWindow", window + " outside 32.." + MAX_REPLAY_WINDOW);
        }
        SaLifetime soft = lifetime(r, "soft");
        SaLifetime hard = lifetime(r, "hard");
        return new SaSpec(id, src, mode, keys, encap, esn, (int) window, soft, hard);
    }

    static void transform(WireWriter w, EspTransform t) {
        switch (t) {
            case EspTransform.AesGcm g -> w.u8(1).u8(g.aesKeyLength());
            case EspTransform.AesCbcHmac c -> w.u8(2).u8(c.aesKeyLength()).u8(integrityCode(c.integrity()));
            case EspTransform.NullHmac n -> w.u8(3).u8(integrityCode(n.integrity()));
        }
    }

    static EspTransform transform(WireReader r) throws MalformedSyncMessage {
        int kind = r.u8("transform");
        return switch (kind) {
            case 1 -> new EspTransform.AesGcm(aesKeyLength(r));
            case 2 -> new EspTransform.AesCbcHmac(aesKeyLength(r), integrity(r));
            case 3 -> new EspTransform.NullHmac(integrity(r));
            default -> throw new MalformedSyncMessage("transform", "code " + kind);
        };
    }

    private static int aesKeyLength(WireReader r) throws MalformedSyncMessage {
        int n = r.u8("transform.aesKeyLength");
        if (n != 16 && n != 24 && n != 32) {
            throw new MalformedSyncMessage("transform.aesKeyLength", n + " bytes, expected 16, 24 or 32");
        }
        return n;
    }

    private static int integrityCode(Integrity i) {
        return switch (i) {
            case HMAC_SHA1_96 -> 1;
            case HMAC_SHA2_256_128 -> 2;
            case HMAC_SHA2_384_192 -> 3;
            case HMAC_SHA2_512_256 -> 4;
        };
    }

    private static Integrity integrity(WireReader r) throws MalformedSyncMessage {
        int v = r.u8("transform.integrity");
        return switch (v) {
            case 1 -> Integrity.HMAC_SHA1_96;
            case 2 -> Integrity.HMAC_SHA2_256_128;
            case 3 -> Integrity.HMAC_SHA2_384_192;
            case 4 -> Integrity.HMAC_SHA2_512_256;
            default -> throw new MalformedSyncMessage("transform.integrity", "code " + v);
        };
    }

    private static EspKeys keys(WireReader r, EspTransform t) throws MalformedSyncMessage {
        byte[] enc = keyBytes(r, "encKey", t.encKeyLength());
        byte[] auth = keyBytes(r, "authKey", t.authKeyLength());
        try {
            return new EspKeys(t, enc, auth);
        } finally {
            Arrays.fill(enc, (byte) 0);
            Arrays.fill(auth, (byte) 0);
        }
    }

    private static byte[] keyBytes(WireReader r, String field, int expected) throws MalformedSyncMessage {
        int n = r.u8(field);
        if (n != expected) {
            throw new MalformedSyncMessage(field, n + " bytes, the transform needs " + expected);
        }
        return r.bytes(n, field);
    }

    private static Encapsulation encapsulation(WireReader r) throws MalformedSyncMessage {
        int kind = r.u8("encapsulation");
        return switch (kind) {
            case 1 -> Encapsulation.RAW;
            case 2 -> new Encapsulation.Udp(port(r, "encapsulation.srcPort"), port(r, "encapsulation.dstPort"));
            default -> throw new MalformedSyncMessage("encapsulation", "code " + kind);
        };
    }

    private static int port(WireReader r, String field) throws MalformedSyncMessage {
        int p = r.u16(field);
        if (p == 0) {
            throw new MalformedSyncMessage(field, "port 0");
        }
        return p;
    }

    private static void lifetime(WireWriter w, SaLifetime l) {
        w.u64(l.seconds()).u64(l.bytes()).u64(l.packets());
    }

    private static SaLifetime lifetime(WireReader r, String field) throws MalformedSyncMessage {
        return new SaLifetime(r.u63(field + ".seconds"), r.u63(field + ".bytes"), r.u63(field + ".packets"));
    }

    // ---- flows ----------------------------------------------------------

    static void flow(WireWriter w, Flow f) {
        flowKey(w, f.key());
        w.u8(f.protocol().ipProtocol()).u8(flowTypeCode(f.type()));
        w.optionalAddress(f.peer()).optionalAddress(f.local());
        w.optionalString(f.srcId()).optionalString(f.dstId());
    }

    static Flow flow(WireReader r) throws MalformedSyncMessage {
        Flow.Key k = flowKey(r);
        SaProtocol p = saProtocol(r, "saProtocol");
        FlowType type = flowType(r);
        IpAddress peer = r.optionalAddress("peer");
        IpAddress local = r.optionalAddress("local");
        String srcId = r.optionalString(MAX_ID_BYTES, "srcId");
        String dstId = r.optionalString(MAX_ID_BYTES, "dstId");
        return new Flow(k.direction(), k.selector(), p, type, peer, local, srcId, dstId);
    }

    /** Checks what {@link #flow(WireWriter, Flow)} needs of a flow, when a message is made. */
    static Flow checkFlow(Flow f) {
        if (f.srcId() != null) {
            WireWriter.checkString(f.srcId(), MAX_ID_BYTES, "srcId");
        }
        if (f.dstId() != null) {
            WireWriter.checkString(f.dstId(), MAX_ID_BYTES, "dstId");
        }
        return f;
    }

    static void flowKey(WireWriter w, Flow.Key k) {
        w.u8(switch (k.direction()) {
            case IN -> 1;
            case OUT -> 2;
        });
        Selector s = k.selector();
        net(w, s.src());
        net(w, s.dst());
        w.u8(s.protocol()).u16(s.srcPort()).u16(s.dstPort());
    }

    static Flow.Key flowKey(WireReader r) throws MalformedSyncMessage {
        int d = r.u8("direction");
        FlowDirection direction = switch (d) {
            case 1 -> FlowDirection.IN;
            case 2 -> FlowDirection.OUT;
            default -> throw new MalformedSyncMessage("direction", "code " + d);
        };
        IpNet src = net(r, "selector.src");
        IpNet dst = net(r, "selector.dst");
        if (src.family() != dst.family()) {
            throw new MalformedSyncMessage("selector.dst", "address family differs from the source's");
        }
        int proto = r.u8("selector.protocol");
        int sport = r.u16("selector.srcPort");
        int dport = r.u16("selector.dstPort");
        return new Flow.Key(direction, new Selector(src, dst, proto, sport, dport));
    }

    static void net(WireWriter w, IpNet n) {
        w.address(n.address()).u8(n.prefix());
    }

    /** A network with host bits set is refused: {@link IpNet} would clear them, so it would not round-trip. */
    static IpNet net(WireReader r, String field) throws MalformedSyncMessage {
        IpAddress a = r.address(field);
        int prefix = r.u8(field + ".prefix");
        if (prefix > a.bits()) {
            throw new MalformedSyncMessage(field + ".prefix", prefix + " beyond " + a.bits() + " bits");
        }
        if (!a.network(prefix).equals(a)) {
            throw new MalformedSyncMessage(field, a + " has bits set beyond /" + prefix);
        }
        return new IpNet(a, prefix);
    }

    private static int flowTypeCode(FlowType t) {
        // the values of PF_KEY's SADB_X_FLOW_TYPE_*, as recognisable as any
        return switch (t) {
            case USE -> 1;
            case ACQUIRE -> 2;
            case REQUIRE -> 3;
            case BYPASS -> 4;
            case DENY -> 5;
            case DONTACQ -> 6;
        };
    }

    private static FlowType flowType(WireReader r) throws MalformedSyncMessage {
        int v = r.u8("type");
        return switch (v) {
            case 1 -> FlowType.USE;
            case 2 -> FlowType.ACQUIRE;
            case 3 -> FlowType.REQUIRE;
            case 4 -> FlowType.BYPASS;
            case 5 -> FlowType.DENY;
            case 6 -> FlowType.DONTACQ;
            default -> throw new MalformedSyncMessage("type", "code " + v);
        };
    }
}
