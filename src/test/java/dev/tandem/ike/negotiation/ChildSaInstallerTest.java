package dev.tandem.ike.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.conf.ManualKeying;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.HostResolver;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.LocalConfFiles;
import dev.tandem.conf.ipsec.NetDb;
import dev.tandem.conf.ipsec.ParseLimits;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
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
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbException;
import dev.tandem.sadb.SecurityAssociation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChildSaInstallerTest {

    private static final IpAddress GWA = ip("192.0.2.1");
    private static final IpAddress GWB = ip("192.0.2.2");
    private static final IpNet NET_A = new IpNet(ip("10.1.0.0"), 24);
    private static final IpNet NET_B = new IpNet(ip("10.2.0.0"), 24);
    private static final EspTransform ESP = new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128);

    private final Sadb sadb = new Sadb(() -> 0L);
    private final ChildSaInstaller installer = new ChildSaInstaller(sadb, 64);

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private static EspKeys keys(int fill) {
        byte[] enc = new byte[16];
        byte[] auth = new byte[32];
        Arrays.fill(enc, (byte) fill);
        Arrays.fill(auth, (byte) (fill + 1));
        return new EspKeys(ESP, enc, auth);
    }

    private static ChildSaSpec spec(int natPort, boolean tunnel, long life, int ourSpi, int peerSpi) {
        Phase2Choice c = new Phase2Choice(ESP, tunnel, natPort != 0, DhGroup.MODP_3072, life, peerSpi, 1, 1);
        return new ChildSaSpec("from-10.1.0.0/24-to-10.2.0.0/24", GWA, GWB, natPort, c, ourSpi, keys(1), keys(3),
                NET_A, NET_B, 0, 0, 0);
    }

    @Test
    void installsBothSasAndTheFlowsTheDataPlaneUses() throws SadbException {
        ChildSa sa = installer.install(spec(0, true, 1200, 0x1001, 0x2002), new SplittableRandom(1));
        assertThat(sa).isEqualTo(new ChildSa(new SaId(GWA, SaProtocol.ESP, 0x1001), new SaId(GWB, SaProtocol.ESP,
                0x2002), "from-10.1.0.0/24-to-10.2.0.0/24"));
        SaSpec in = sadb.get(sa.inbound()).spec();
        SaSpec out = sadb.get(sa.outbound()).spec();
        assertThat(in.src()).isEqualTo(GWB);
        assertThat(out.src()).isEqualTo(GWA);
        assertThat(in.keys().transform()).isEqualTo(ESP);
        assertThat(in.mode()).isEqualTo(SaMode.TUNNEL);
        assertThat(in.encapsulation()).isEqualTo(Encapsulation.RAW);
        assertThat(out.encapsulation()).isEqualTo(Encapsulation.RAW);
        assertThat(in.replayWindow()).isEqualTo(64);
        assertThat(in.hard()).isEqualTo(new SaLifetime(1200, 0, 0));
        assertThat(sadb.inbound(SaProtocol.ESP, 0x1001).id()).isEqualTo(sa.inbound());

        assertThat(sadb.flows()).hasSize(2);
        Flow outFlow = sadb.lookup(FlowDirection.OUT, ip("10.1.0.7"), ip("10.2.0.9"), 6, 1000, 22);
        assertThat(outFlow.type()).isEqualTo(FlowType.REQUIRE);
        assertThat(outFlow.peer()).isEqualTo(GWB);
        assertThat(outFlow.local()).isEqualTo(GWA);
        assertThat(sadb.outbound(outFlow).id()).isEqualTo(sa.outbound());
        Flow inFlow = sadb.lookup(FlowDirection.IN, ip("10.2.0.9"), ip("10.1.0.7"), 6, 22, 1000);
        assertThat(inFlow.selector().src()).isEqualTo(NET_B);
        assertThat(inFlow.selector().dst()).isEqualTo(NET_A);
        assertThat(inFlow.peer()).isEqualTo(GWB);
    }

    @Test
    void natTraversalEncapsulatesBothDirectionsTowardsThePeersPort() throws SadbException {
        ChildSa sa = installer.install(spec(31337, false, 1200, 0x1001, 0x2002), new SplittableRandom(1));
        assertThat(sadb.get(sa.inbound()).spec().encapsulation()).isEqualTo(new Encapsulation.Udp(4500, 31337));
        assertThat(sadb.get(sa.outbound()).spec().encapsulation()).isEqualTo(new Encapsulation.Udp(4500, 31337));
        assertThat(sadb.get(sa.outbound()).spec().mode()).isEqualTo(SaMode.TRANSPORT);
    }

    @Test
    void softLifetimeIsARandom85To95PercentOfTheHard() throws SadbException {
        List<Long> softs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            ChildSa sa = installer.install(spec(0, true, 1000, 0x1000 + 2 * i, 0x5000 + 2 * i), random);
            long soft = sadb.get(sa.inbound()).spec().soft().seconds();
            assertThat(soft).isBetween(850L, 950L);
            softs.add(soft);
        }
        assertThat(softs.stream().distinct().count()).isGreaterThan(10);
        ChildSa endless = installer.install(spec(0, true, 0, 0x9001, 0x9002), random);
        assertThat(sadb.get(endless.inbound()).spec().soft()).isEqualTo(SaLifetime.NONE);
        assertThat(sadb.get(endless.inbound()).spec().hard()).isEqualTo(SaLifetime.NONE);
    }

    @Test
    void aRekeyReusesTheFlowsAndRemoveLeavesThem() throws SadbException {
        List<Object> events = new ArrayList<>();
        ChildSa first = installer.install(spec(0, true, 1200, 0x1001, 0x2002), new SplittableRandom(1));
        sadb.subscribe(events::add);
        ChildSa second = installer.install(spec(0, true, 1200, 0x1003, 0x2004), new SplittableRandom(2));
        assertThat(events).noneMatch(e -> e.getClass().getSimpleName().startsWith("Flow"));
        assertThat(sadb.flows()).hasSize(2);
        Flow out = sadb.lookup(FlowDirection.OUT, ip("10.1.0.7"), ip("10.2.0.9"), 0, 0, 0);
        assertThat(sadb.outbound(out).id()).isEqualTo(second.outbound());

        assertThat(installer.remove(second)).isTrue();
        assertThat(sadb.get(second.inbound())).isNull();
        assertThat(sadb.get(second.outbound())).isNull();
        assertThat(sadb.outbound(out).id()).isEqualTo(first.outbound());
        assertThat(installer.remove(second)).isFalse();
        assertThat(installer.remove(first)).isTrue();
        assertThat(sadb.sas()).isEmpty();
        assertThat(sadb.flows()).hasSize(2);

        installer.removeFlows(spec(0, true, 1200, 0x1001, 0x2002));
        assertThat(sadb.flows()).isEmpty();
    }

    @Test
    void aRefusedSaLeavesNothingInstalled() throws SadbException {
        installer.install(spec(0, true, 1200, 0x1001, 0x2002), new SplittableRandom(1));
        assertThatThrownBy(() -> installer.install(spec(0, true, 1200, 0x1003, 0x2002), new SplittableRandom(1)))
                .isInstanceOf(SadbException.class);
        assertThat(sadb.get(new SaId(GWA, SaProtocol.ESP, 0x1003))).isNull();
        assertThatThrownBy(() -> installer.install(spec(0, true, 1200, 0x1001, 0x2008), new SplittableRandom(1)))
                .isInstanceOf(SadbException.class);
        assertThat(sadb.get(new SaId(GWB, SaProtocol.ESP, 0x2008))).isNull();
        assertThat(sadb.sas()).hasSize(2);
    }

    /** The same tunnel keyed by hand in ipsec.conf, as ipsecctl -f installs it. */
    @Test
    void looksLikeManualKeyingOfTheSameTunnel() throws Exception {
        String conf = """
                flow esp from 10.1.0.0/24 to 10.2.0.0/24 local 192.0.2.1 peer 192.0.2.2 type require
                esp tunnel from 192.0.2.2 to 192.0.2.1 spi 0x1001:0x2002 udpencap port 4501 \
                auth hmac-sha2-256 enc aes-128 authkey %s:%s enckey %s:%s
                """.formatted("0x" + "02".repeat(32), "0x" + "04".repeat(32), "0x" + "01".repeat(16),
                "0x" + "03".repeat(16));
        List<IpsecRule> rules = IpsecConfParser.parse("ipsec.conf", conf.getBytes(StandardCharsets.ISO_8859_1),
                List.of(), new IpsecConfParser.Environment(HostResolver.NONE, NetDb.system(), new LocalConfFiles(),
                        ParseLimits.DEFAULT, "ipsecctl"), r -> { }, line -> {
                    throw new AssertionError(line);
                }).rules();
        List<Flow> manualFlows = new ArrayList<>();
        List<SaSpec> manualSas = new ArrayList<>();
        for (IpsecRule r : rules) {
            switch (r) {
                case FlowRule f -> manualFlows.add(ManualKeying.flow(f));
                case SaRule s -> manualSas.add(ManualKeying.sa(s, 64));
                default -> throw new AssertionError(r);
            }
        }
        ChildSa sa = installer.install(spec(4501, true, 0, 0x1001, 0x2002), new SplittableRandom(1));
        assertThat(sadb.flows()).containsExactlyInAnyOrderElementsOf(manualFlows);
        assertThat(manualSas).hasSize(2);
        for (SaSpec manual : manualSas) {
            SecurityAssociation ours = sadb.get(manual.id());
            assertThat(ours).as(manual.id().toString()).isNotNull();
            SaSpec s = ours.spec();
            assertThat(List.of(s.src(), s.mode(), s.encapsulation(), s.esn(), s.replayWindow(), s.soft(), s.hard(),
                    s.keys().transform())).isEqualTo(List.of(manual.src(), manual.mode(), manual.encapsulation(),
                    manual.esn(), manual.replayWindow(), manual.soft(), manual.hard(), manual.keys().transform()));
        }
        assertThat(List.of(sa.inbound(), sa.outbound())).containsExactlyInAnyOrderElementsOf(
                manualSas.stream().map(SaSpec::id).toList());
    }
}
