package dev.tandem.sync.wire;

import dev.tandem.esp.EspKeys;
import dev.tandem.ike.ChildState;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.ike.Phase1State;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.negotiation.Phase1Choice;
import dev.tandem.ike.negotiation.Phase2Choice;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Identity;
import dev.tandem.ike.wire.IdType;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Realistic SAs, flows and messages for the wire tests, from a fixed seed. */
final class SyncFixtures {

    private SyncFixtures() {
    }

    static final SplittableRandom KEYS = new SplittableRandom(20_251_201L);

    /** The sharedkey of the reference's sasyncd.conf example. */
    static final SyncKey SHARED = new SyncKey(HexFormat.of().parseHex(
            "8f3c0e1d2a4b6c7d8e9f00112233445566778899aabbccddeeff001122334455"));

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static IpNet net(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? IpNet.host(ip(s))
                : new IpNet(ip(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        KEYS.nextBytes(b);
        return b;
    }

    static EspKeys keys(EspTransform t) {
        return new EspKeys(t, bytes(t.encKeyLength()), t.authKeyLength() == 0 ? null : bytes(t.authKeyLength()));
    }

    /** Every transform EspTransform offers: GCM and CBC at each AES key size, CBC and NULL with each HMAC. */
    static List<EspTransform> allTransforms() {
        List<EspTransform> r = new ArrayList<>();
        for (int k : new int[] {16, 24, 32}) {
            r.add(new EspTransform.AesGcm(k));
        }
        for (int k : new int[] {16, 24, 32}) {
            for (Integrity i : Integrity.values()) {
                r.add(new EspTransform.AesCbcHmac(k, i));
            }
        }
        for (Integrity i : Integrity.values()) {
            r.add(new EspTransform.NullHmac(i));
        }
        return r;
    }

    /** An IPv4 site-to-site SA: AES-GCM-128, raw ESP, no ESN, an hour of life. */
    static SaSpec v4Gcm() {
        return new SaSpec(new SaId(ip("198.51.100.2"), SaProtocol.ESP, 0xc0ffee01), ip("198.51.100.1"),
                SaMode.TUNNEL, keys(new EspTransform.AesGcm(16)), Encapsulation.RAW, false, 64,
                new SaLifetime(3240, 0, 0), new SaLifetime(3600, 0, 0));
    }

    /** An IPv6 SA behind NAT: AES-GCM-256 in UDP, ESN, a wide window, byte and packet limits. */
    static SaSpec v6GcmUdpEsn() {
        return new SaSpec(new SaId(ip("2001:db8:1::2"), SaProtocol.ESP, 0x80000001), ip("2001:db8:2::1"),
                SaMode.TUNNEL, keys(new EspTransform.AesGcm(32)), Encapsulation.NAT_T, true, 1024,
                new SaLifetime(27_000, 900L << 30, 1L << 40), new SaLifetime(28_800, 1L << 40, 0));
    }

    /** A transport-mode IPv4 SA with CBC and HMAC-SHA2-512, in UDP on a translated source port. */
    static SaSpec v4CbcTransportUdp() {
        return new SaSpec(new SaId(ip("203.0.113.7"), SaProtocol.ESP, 0x00000100), ip("192.0.2.200"),
                SaMode.TRANSPORT, keys(new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_512_256)),
                new Encapsulation.Udp(61_234, 4500), false, 32, SaLifetime.NONE, new SaLifetime(0, 0, 1_000_000));
    }

    /** SA for a transform, alternating family, encapsulation and ESN so that every combination occurs. */
    static SaSpec spec(EspTransform t, int i) {
        boolean v6 = i % 2 == 1;
        IpAddress dst = v6 ? ip("2001:db8:ffff::" + Integer.toHexString(i + 1)) : ip("10.1.0." + (i + 1));
        IpAddress src = v6 ? ip("fd00::1") : ip("10.2.0.1");
        Encapsulation e = i % 3 == 0 ? Encapsulation.RAW : new Encapsulation.Udp(4500 + i, 4500);
        return new SaSpec(new SaId(dst, SaProtocol.ESP, 0x1000 + i), src, i % 4 == 0 ? SaMode.TRANSPORT : SaMode.TUNNEL,
                keys(t), e, i % 2 == 0, 64 << (i % 5), new SaLifetime(100 + i, 0, 0), new SaLifetime(200 + i, 1L << 33, 0));
    }

    static SyncMessage.SaUpsert upsert(SaSpec s) {
        return new SyncMessage.SaUpsert(s, 0x1_0000_0005L, 0xffff_fff0L, 123_456_789L, 98_765_432_109L, 1_234_567L);
    }

    static Flow v4OutFlow() {
        return new Flow(FlowDirection.OUT, new Selector(net("192.168.10.0/24"), net("192.168.20.0/24"), 0, 0, 0),
                SaProtocol.ESP, FlowType.REQUIRE, ip("198.51.100.2"), null, null, null);
    }

    /** An IPv6 flow with protocol and ports, a local address and IKE identities (one not ASCII). */
    static Flow v6InFlowWithIds() {
        return new Flow(FlowDirection.IN, new Selector(net("2001:db8:20::/48"), net("2001:db8:10::/48"), 6, 0, 443),
                SaProtocol.ESP, FlowType.USE, ip("2001:db8:1::2"), ip("2001:db8:2::1"),
                "gw-a.example.org", "CN=Gateway B, O=Exämple GmbH");
    }

    static Flow bypassFlow() {
        return new Flow(FlowDirection.OUT, new Selector(net("10.0.0.1"), net("10.0.0.2"), 17, 500, 500),
                SaProtocol.ESP, FlowType.BYPASS, null, null, null, null);
    }

    /** One or more messages of every type, with realistic values; the tests check that every type is here. */
    static List<SyncMessage> samples() {
        List<SyncMessage> m = new ArrayList<>();
        m.add(new SyncMessage.Auth(bytes(32)));
        m.add(new SyncMessage.Heartbeat(86_400_123L));
        m.add(new SyncMessage.Heartbeat(-1L));
        m.add(new SyncMessage.Role(RunState.MASTER, 7));
        m.add(new SyncMessage.Role(RunState.BACKUP, 0));
        m.add(new SyncMessage.Role(RunState.INIT, Long.MIN_VALUE));
        m.add(new SyncMessage.SnapshotBegin(42, 100_000, 2_000));
        m.add(upsert(v4Gcm()));
        m.add(upsert(v6GcmUdpEsn()));
        m.add(new SyncMessage.SaUpsert(v4CbcTransportUdp(), -1L, 0, 0, 0, 0));
        m.add(new SyncMessage.SaDelete(v4Gcm().id()));
        m.add(new SyncMessage.SaDelete(new SaId(ip("2001:db8::1"), SaProtocol.AH, 0xffffffff)));
        m.add(new SyncMessage.FlowAdd(v4OutFlow()));
        m.add(new SyncMessage.FlowAdd(v6InFlowWithIds()));
        m.add(new SyncMessage.FlowAdd(bypassFlow()));
        m.add(new SyncMessage.FlowDelete(v6InFlowWithIds().key()));
        m.add(new SyncMessage.SnapshotEnd(42));
        m.add(new SyncMessage.Ack(1_000_001, 42));
        m.add(new SyncMessage.Counters(List.of()));
        m.add(new SyncMessage.Counters(List.of(
                new SyncMessage.Counters.Entry(v4Gcm().id(), 1_000, 998),
                new SyncMessage.Counters.Entry(v6GcmUdpEsn().id(), 0x1_0000_0000L, -1L))));
        m.add(new SyncMessage.Bye("shutting down"));
        m.add(new SyncMessage.Bye(""));
        m.add(new SyncMessage.Bye("übergabe an Knoten B ✓"));
        m.add(new SyncMessage.IkePhase1Upsert(phase1Main()));
        m.add(new SyncMessage.IkePhase1Upsert(phase1AggressiveNatV6()));
        m.add(new SyncMessage.IkePhase1Delete(0x0123_4567_89ab_cdefL, -1L));
        m.add(new SyncMessage.IkeChildUpsert(childTunnel()));
        m.add(new SyncMessage.IkeChildUpsert(childTransportPfsNat()));
        m.add(new SyncMessage.IkeChildDelete(v4Gcm().id()));
        return m;
    }

    /** Main mode responder, AES-256/SHA2-256, unknown local address, DPD sequence past 2^31. */
    static Phase1State phase1Main() {
        return new Phase1State("peer-198.51.100.7", false, ExchangeMode.MAIN, 0x1122_3344_5566_7788L,
                0x99aa_bbcc_ddee_ff00L, new Phase1Choice(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_3072,
                3600, 1), bytes(32), bytes(32), bytes(32), bytes(16), null, 500,
                new IkeEndpoint(ip("198.51.100.7"), 500), false, true, 0x8000_0001, new Identity(IdType.IPV4_ADDR,
                "198.51.100.7"), 1_234_567L, bytes(92), bytes(76));
    }

    /** Aggressive mode initiator with 3DES/SHA1 (8-byte IV), IPv6, floated to 4500 behind a NAT, FQDN peer. */
    static Phase1State phase1AggressiveNatV6() {
        return new Phase1State("peer-ü", true, ExchangeMode.AGGRESSIVE, -2L, 1L,
                new Phase1Choice(IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA1, DhGroup.CURVE25519, 0, 255), bytes(20),
                bytes(20), bytes(20), bytes(8), ip("2001:db8::1"), 4500, new IkeEndpoint(ip("2001:db8::2"), 34500),
                true, false, 0, new Identity(IdType.FQDN, "gw.example.org"), 0, null, null);
    }

    static ChildState childTunnel() {
        SaSpec s = v4Gcm();
        return new ChildState("from-10.1.0.0/24-to-10.2.0.0/24", 0x1122_3344_5566_7788L, 0x99aa_bbcc_ddee_ff00L,
                s.id(), new SaId(s.src(), SaProtocol.ESP, 0x1000_0001), s.id().dst(), s.src(), 0,
                new Phase2Choice(new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_256_128), true, false, null,
                        1200, 0x1000_0001, 1, 1), net("10.1.0.0/24"), net("10.2.0.0/24"), 0, 0, 0, 99L);
    }

    static ChildState childTransportPfsNat() {
        SaSpec s = v6GcmUdpEsn();
        return new ChildState("host-to-host", -1L, 7L, s.id(), new SaId(s.src(), SaProtocol.ESP, 0xffff_ffff),
                s.id().dst(), s.src(), 4500, new Phase2Choice(new EspTransform.AesGcm(16), false, true,
                        DhGroup.ECP_384, 0, 0xffff_ffff, 255, 0), net("2001:db8::/64"), net("2001:db8:1::5/128"),
                17, 500, 65535, Long.MAX_VALUE);
    }

    /** A random source that hands out the given bytes, for fixed HELLO nonces. */
    record FixedBytes(byte[] bytes) implements RandomGenerator {
        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("asked for " + out.length + " bytes");
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only nextBytes");
        }
    }

    /** 32 consecutive byte values from {@code first}. */
    static byte[] counting(int first) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }
}
