package dev.tandem.sync;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
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
import java.util.List;
import java.util.SplittableRandom;

/**
 * The SADB of a hub gateway for {@link SyncBench}: one SA pair per remote
 * peer, as IKE leaves them. SA {@code i} belongs to peer {@code i / 2}:
 * even ones go out to the peer, odd ones come in from it (so all inbound
 * SAs share one destination, the hub, as on a real gateway). AES-256-GCM
 * with random keys, tunnel mode, IKE's usual lifetimes. Every SA is a pure
 * function of its index and the seed, so a run can make SA 100,000 without
 * making the ones before it.
 */
final class SyncBenchData {

    static final IpAddress HUB = IpAddress.parse("192.0.2.1").orElseThrow();
    /** Remote peers are numbered from 100.64.0.1 (room for 4 million). */
    private static final int FIRST_PEER = 0x6440_0001;
    private static final EspTransform GCM_256 = new EspTransform.AesGcm(32);
    private static final SaLifetime SOFT = new SaLifetime(3240, 0, 0);
    private static final SaLifetime HARD = new SaLifetime(3600, 0, 0);

    private final long seed;

    SyncBenchData(long seed) {
        this.seed = seed;
    }

    static IpAddress peer(int n) {
        int a = FIRST_PEER + n;
        return new IpAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    /**
     * A unique SPI for every index below 2^28, above the reserved 1..255 and
     * scattered as a peer's random choice would be: multiplying by an odd
     * number is a bijection modulo 2^28.
     */
    static int spi(int i) {
        return 0x1000_0000 | ((i * 0x9E37_79B1) & 0x0FFF_FFFF);
    }

    SaSpec sa(int i) {
        SplittableRandom r = new SplittableRandom(seed ^ (i * 0x9E37_79B9_7F4A_7C15L));
        byte[] key = new byte[GCM_256.encKeyLength()];
        r.nextBytes(key);
        IpAddress remote = peer(i / 2);
        boolean out = i % 2 == 0;
        return new SaSpec(new SaId(out ? remote : HUB, SaProtocol.ESP, spi(i)), out ? HUB : remote, SaMode.TUNNEL,
                new EspKeys(GCM_256, key, null), Encapsulation.RAW, false, SaSpec.DEFAULT_REPLAY_WINDOW, SOFT, HARD);
    }

    /**
     * {@code n} flows of the first {@code n / 2} peers (and one more for an odd
     * {@code n}): the hub's network 10.0.0.0/12 to the peer's site, a /24 in
     * 172.16.0.0/12, outbound and inbound.
     */
    static List<Flow> flows(int n) {
        IpNet hubNet = new IpNet(IpAddress.parse("10.0.0.0").orElseThrow(), 12);
        List<Flow> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int site = i / 2;
            int a = 0xAC10_0000 + (site << 8);
            IpNet siteNet = new IpNet(new IpAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16),
                    (byte) (a >>> 8), 0}), 24);
            boolean out = i % 2 == 0;
            Selector sel = out ? new Selector(hubNet, siteNet, 0, 0, 0) : new Selector(siteNet, hubNet, 0, 0, 0);
            l.add(new Flow(out ? FlowDirection.OUT : FlowDirection.IN, sel, SaProtocol.ESP, FlowType.REQUIRE,
                    peer(site), null, null, null));
        }
        return l;
    }
}
