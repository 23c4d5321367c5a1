package dev.tandem.sadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SadbTest {

    static final AtomicLong NOW = new AtomicLong();
    final List<SadbEvent> events = new ArrayList<>();
    final Sadb sadb = new Sadb(NOW::get);

    {
        sadb.subscribe(events::add);
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static IpNet net(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? IpNet.host(ip(s)) : new IpNet(ip(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
    }

    static SaSpec spec(String src, String dst, int spi, SaLifetime soft, SaLifetime hard, boolean esn) {
        EspTransform t = new EspTransform.AesGcm(16);
        return new SaSpec(new SaId(ip(dst), SaProtocol.ESP, spi), ip(src), SaMode.TUNNEL,
                new EspKeys(t, new byte[20], null), Encapsulation.RAW, esn, 64, soft, hard);
    }

    static SaSpec spec(String src, String dst, int spi) {
        return spec(src, dst, spi, SaLifetime.NONE, SaLifetime.NONE, false);
    }

    static Flow flow(FlowDirection d, String src, String dst, String peer) {
        return new Flow(d, new Selector(net(src), net(dst), 0, 0, 0), SaProtocol.ESP, FlowType.REQUIRE,
                peer == null ? null : ip(peer), null, null, null);
    }

    @Test
    void addLookupDeleteAndTheirEvents() throws Exception {
        SaSpec s = spec("192.0.2.1", "192.0.2.2", 0x1000);
        SecurityAssociation sa = sadb.add(s);
        assertThat(sadb.get(s.id())).isSameAs(sa);
        assertThat(sadb.inbound(SaProtocol.ESP, 0x1000)).isSameAs(sa);
        assertThat(sadb.inbound(SaProtocol.ESP, 0x1001)).isNull();
        assertThatThrownBy(() -> sadb.add(s)).isInstanceOf(SadbException.class).hasMessageContaining("SA exists");
        assertThat(sadb.delete(s.id())).isTrue();
        assertThat(sadb.delete(s.id())).isFalse();
        assertThat(sa.alive()).isFalse();
        assertThat(sadb.inbound(SaProtocol.ESP, 0x1000)).isNull();
        assertThat(events).containsExactly(new SadbEvent.Added(s), new SadbEvent.Deleted(s.id()));
    }

    @Test
    void outboundUsesTheNewestLiveSaTowardsThePeer() throws Exception {
        Flow f = flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", "192.0.2.2");
        assertThat(sadb.outbound(f)).isNull();
        SecurityAssociation old = sadb.add(spec("192.0.2.1", "192.0.2.2", 0x1000));
        SecurityAssociation rekeyed = sadb.add(spec("192.0.2.1", "192.0.2.2", 0x2000));
        sadb.add(spec("192.0.2.1", "192.0.2.9", 0x3000));
        assertThat(sadb.outbound(f)).isSameAs(rekeyed);
        sadb.delete(rekeyed.id());
        assertThat(sadb.outbound(f)).isSameAs(old);
        assertThat(sadb.outbound(flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", null))).isNull();
    }

    @Test
    void outboundKeepsTheOrderOfAddsInALargeGroupThroughDeletesUpdatesAndInstalls() throws Exception {
        // one destination with thousands of SAs: a gateway's inbound SAs all share it
        Flow f = flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", "192.0.2.2");
        List<SecurityAssociation> added = new ArrayList<>();
        for (int spi = 0x1000; spi < 0x1000 + 5000; spi++) {
            added.add(sadb.add(spec("192.0.2.1", "192.0.2.2", spi)));
        }
        assertThat(sadb.outbound(f)).isSameAs(added.getLast());
        for (int i = 1; i < added.size(); i += 2) {
            sadb.delete(added.get(i).id());
        }
        assertThat(sadb.outbound(f)).isSameAs(added.get(added.size() - 2));
        // killed but still indexed (a hard expiry being processed): passed over
        added.get(added.size() - 2).kill();
        assertThat(sadb.outbound(f)).isSameAs(added.get(added.size() - 4));
        // an update re-indexes the SA as the newest, as a rekey would
        SecurityAssociation updated = sadb.update(spec("192.0.2.1", "192.0.2.2", 0x1000,
                new SaLifetime(100, 0, 0), SaLifetime.NONE, false));
        assertThat(sadb.outbound(f)).isSameAs(updated);
        SecurityAssociation installed = sadb.install(spec("192.0.2.1", "192.0.2.2", 0x9000), 0, 0, 0, 0, 0);
        assertThat(sadb.outbound(f)).isSameAs(installed);
        sadb.delete(installed.id());
        sadb.delete(updated.id());
        assertThat(sadb.outbound(f)).isSameAs(added.get(added.size() - 4));
        sadb.flush();
        assertThat(sadb.outbound(f)).isNull();
        assertThat(sadb.add(spec("192.0.2.1", "192.0.2.2", 0x1000))).isSameAs(sadb.outbound(f));
    }

    @Test
    void updateKeepsSequenceNumbersAndReplayState() throws Exception {
        SaSpec s = spec("192.0.2.1", "192.0.2.2", 0x1000);
        SecurityAssociation sa = sadb.add(s);
        sa.nextSequence();
        sa.nextSequence();
        assertThat(sa.accept(sa.checkReplay(7))).isTrue();
        SecurityAssociation updated = sadb.update(spec("192.0.2.1", "192.0.2.2", 0x1000,
                new SaLifetime(100, 0, 0), SaLifetime.NONE, false));
        assertThat(sa.alive()).isFalse();
        assertThat(updated.nextSequence()).isEqualTo(3);
        assertThat(updated.checkReplay(7)).isEqualTo(-1);
        assertThat(sadb.inbound(SaProtocol.ESP, 0x1000)).isSameAs(updated);
        assertThatThrownBy(() -> sadb.update(spec("192.0.2.1", "192.0.2.2", 0x9999)))
                .hasMessageContaining("no such SA");
    }

    @Test
    void mostSpecificFlowWins() {
        Flow wide = flow(FlowDirection.OUT, "10.1.0.0/16", "10.0.0.0/8", "192.0.2.2");
        Flow narrow = flow(FlowDirection.OUT, "0.0.0.0/0", "10.2.0.0/16", "192.0.2.3");
        Flow narrowSrc = flow(FlowDirection.OUT, "10.1.5.0/24", "10.2.0.0/16", "192.0.2.4");
        Flow web = new Flow(FlowDirection.OUT, new Selector(net("0.0.0.0/0"), net("10.2.0.0/16"), 6, 0, 443),
                SaProtocol.ESP, FlowType.BYPASS, null, null, null, null);
        Flow in = flow(FlowDirection.IN, "10.2.0.0/16", "10.1.0.0/16", "192.0.2.3");
        sadb.addFlows(List.of(wide, narrow, narrowSrc, web, in));
        assertThat(sadb.lookup(FlowDirection.OUT, ip("10.1.1.1"), ip("10.3.0.1"), 17, 1, 2)).isEqualTo(wide);
        assertThat(sadb.lookup(FlowDirection.OUT, ip("10.1.1.1"), ip("10.2.0.1"), 17, 1, 2)).isEqualTo(narrow);
        assertThat(sadb.lookup(FlowDirection.OUT, ip("10.1.5.1"), ip("10.2.0.1"), 17, 1, 2)).isEqualTo(narrowSrc);
        assertThat(sadb.lookup(FlowDirection.OUT, ip("10.1.1.1"), ip("10.2.0.1"), 6, 1000, 443)).isEqualTo(web);
        assertThat(sadb.lookup(FlowDirection.OUT, ip("10.9.1.1"), ip("11.0.0.1"), 17, 1, 2)).isNull();
        assertThat(sadb.lookup(FlowDirection.IN, ip("10.2.0.1"), ip("10.1.0.1"), 1, 0, 0)).isEqualTo(in);
        assertThat(sadb.lookup(FlowDirection.OUT, ip("::1"), ip("::2"), 1, 0, 0)).isNull();
    }

    @Test
    void aFlowWithTheSameSelectorReplacesTheOldOneAndDeletesAreAnnounced() {
        Flow a = flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", "192.0.2.2");
        Flow b = flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", "192.0.2.3");
        sadb.addFlow(a);
        sadb.addFlow(b);
        assertThat(sadb.flows()).containsExactly(b);
        assertThat(sadb.deleteFlow(a.key())).isTrue();
        assertThat(sadb.flows()).isEmpty();
        assertThat(sadb.deleteFlow(a.key())).isFalse();
        assertThat(events).containsExactly(new SadbEvent.FlowAdded(a), new SadbEvent.FlowAdded(b),
                new SadbEvent.FlowDeleted(b));
    }

    @Test
    void timeLifetimesFireSoftThenHardAndHardDeletes() throws Exception {
        SaSpec s = spec("192.0.2.1", "192.0.2.2", 0x1000, new SaLifetime(10, 0, 0), new SaLifetime(20, 0, 0), false);
        NOW.set(0);
        SecurityAssociation sa = sadb.add(s);
        events.clear();
        NOW.set(9_000_000_000L);
        sadb.tick();
        assertThat(events).isEmpty();
        NOW.set(10_000_000_000L);
        sadb.tick();
        sadb.tick();
        assertThat(events).containsExactly(new SadbEvent.Expired(s.id(), false));
        NOW.set(20_000_000_000L);
        sadb.tick();
        assertThat(events).containsExactly(new SadbEvent.Expired(s.id(), false), new SadbEvent.Expired(s.id(), true));
        assertThat(sa.alive()).isFalse();
        assertThat(sadb.get(s.id())).isNull();
    }

    @Test
    void byteAndPacketLifetimesFireFromTheDataPlane() throws Exception {
        SaSpec s = spec("192.0.2.1", "192.0.2.2", 0x1000, new SaLifetime(0, 1000, 0), new SaLifetime(0, 0, 5), false);
        SecurityAssociation sa = sadb.add(s);
        events.clear();
        sa.count(600);
        sa.count(600);
        assertThat(events).containsExactly(new SadbEvent.Expired(s.id(), false));
        sa.count(1);
        sa.count(1);
        sa.count(1);
        assertThat(events).last().isEqualTo(new SadbEvent.Expired(s.id(), true));
        assertThat(sa.packets()).isEqualTo(5);
        assertThat(sa.bytes()).isEqualTo(1203);
        assertThat(sadb.get(s.id())).isNull();
    }

    @Test
    void sequenceNumbersNeverWrapWithoutEsn() throws Exception {
        SaSpec s = spec("192.0.2.1", "192.0.2.2", 0x1000);
        SecurityAssociation sa = sadb.add(s);
        events.clear();
        sa.advanceSequence(0xffff_fffeL);
        assertThat(events).isEmpty();
        assertThat(sa.nextSequence()).isEqualTo(0xffff_ffffL);
        assertThat(events).containsExactly(new SadbEvent.Expired(s.id(), false));
        assertThat(sa.nextSequence()).isEqualTo(-1);
        assertThat(sa.nextSequence()).isEqualTo(-1);
        assertThat(events).last().isEqualTo(new SadbEvent.Expired(s.id(), true));
        assertThat(sa.alive()).isFalse();
        sa.advanceSequence(5);
        assertThat(sa.lastSequence()).as("never moves back").isGreaterThan(0xffff_ffffL);
    }

    @Test
    void esnSequenceNumbersPassTheThirtyTwoBitBoundary() throws Exception {
        SecurityAssociation sa = sadb.add(spec("192.0.2.1", "192.0.2.2", 0x1000, SaLifetime.NONE, SaLifetime.NONE, true));
        sa.advanceSequence(0xffff_ffffL);
        assertThat(sa.nextSequence()).isEqualTo(0x1_0000_0000L);
        assertThat(sa.alive()).isTrue();
    }

    @Test
    void acquireIsRateLimitedPerFlow() {
        Flow f = flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", "192.0.2.2");
        NOW.set(0);
        sadb.acquire(f);
        sadb.acquire(f);
        NOW.set(999_999_999L);
        sadb.acquire(f);
        NOW.set(1_000_000_000L);
        sadb.acquire(f);
        assertThat(events).containsExactly(new SadbEvent.Acquire(f), new SadbEvent.Acquire(f));
    }

    @Test
    void flushRemovesEverything() throws Exception {
        SecurityAssociation sa = sadb.add(spec("192.0.2.1", "192.0.2.2", 0x1000));
        sadb.addFlow(flow(FlowDirection.OUT, "10.1.0.0/16", "10.2.0.0/16", "192.0.2.2"));
        sadb.flush();
        assertThat(sadb.sas()).isEmpty();
        assertThat(sadb.flows()).isEmpty();
        assertThat(sa.alive()).isFalse();
        assertThat(events).last().isEqualTo(new SadbEvent.Flushed());
    }

    @Test
    void replayCheckAndAcceptAreSeparate() throws Exception {
        SecurityAssociation sa = sadb.add(spec("192.0.2.1", "192.0.2.2", 0x1000));
        long s = sa.checkReplay(5);
        assertThat(s).isEqualTo(5);
        assertThat(sa.checkReplay(5)).as("nothing recorded before accept").isEqualTo(5);
        assertThat(sa.accept(5)).isTrue();
        assertThat(sa.accept(5)).as("a concurrent duplicate loses").isFalse();
        assertThat(sa.checkReplay(5)).isEqualTo(-1);
        sa.restoreReplay(100);
        assertThat(sa.checkReplay(99)).isEqualTo(-1);
        assertThat(sa.checkReplay(101)).isEqualTo(101);
    }
}
