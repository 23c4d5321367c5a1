package dev.tandem.dataplane;

import static dev.tandem.dataplane.Packets.ip;
import static dev.tandem.dataplane.Packets.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.ManualKeying;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.HostResolver;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.LocalConfFiles;
import dev.tandem.conf.ipsec.NetDb;
import dev.tandem.conf.ipsec.ParseLimits;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.dataplane.memory.MemoryClearPort;
import dev.tandem.dataplane.memory.MemoryDevice;
import dev.tandem.dataplane.memory.MemoryNetwork;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.DropReason;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SecurityAssociation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways with manual keys from ipsec.conf, exchanging ESP over an
 * in-memory wire with their real data planes (threads, pipelines, SADB).
 */
class TwoGatewaysTest {

    static final String AK = "0x" + "a1".repeat(32);
    static final String AK2 = "0x" + "b2".repeat(32);
    static final String EK = "0x" + "c3".repeat(16);
    static final String EK2 = "0x" + "d4".repeat(16);

    /** gwa 192.0.2.1 protects 10.1.0.0/16, gwb 192.0.2.2 protects 10.2.0.0/16. */
    static String conf(String self, String peer, String selfNet, String peerNet, String encap) {
        return """
                flow esp from %s to %s peer %s
                esp from 192.0.2.1 to 192.0.2.2 spi 0x1001:0x1002 %s authkey %s:%s enckey %s:%s
                """.formatted(selfNet, peerNet, peer, encap, AK, AK2, EK, EK2);
    }

    final MemoryNetwork wire = new MemoryNetwork();
    final List<DataPlane> planes = new ArrayList<>();

    record Gateway(Sadb sadb, MemoryDevice lan, MemoryClearPort clear, DataPlane plane) { }

    Gateway gateway(String address, String conf) throws Exception {
        Sadb sadb = new Sadb(System::nanoTime);
        List<IpsecRule> rules = IpsecConfParser.parse("gw.conf", conf.getBytes(StandardCharsets.ISO_8859_1),
                List.of(), new IpsecConfParser.Environment(HostResolver.NONE, NetDb.system(), new LocalConfFiles(),
                        ParseLimits.DEFAULT, "ipsecctl"), r -> { }, line -> {
                    throw new AssertionError(line);
                }).rules();
        for (IpsecRule r : rules) {
            switch (r) {
                case FlowRule f -> sadb.addFlow(ManualKeying.flow(f));
                case SaRule s -> sadb.add(ManualKeying.sa(s, 128));
                default -> throw new AssertionError(r);
            }
        }
        MemoryDevice lan = new MemoryDevice();
        IpAddress a = ip(address);
        MemoryClearPort clear = new MemoryClearPort();
        DataPlane plane = new DataPlane(sadb, lan, wire.open(a, true), wire.open(a, false), clear, d -> { });
        planes.add(plane);
        plane.start();
        return new Gateway(sadb, lan, clear, plane);
    }

    @AfterEach
    void stop() throws Exception {
        for (DataPlane p : planes) {
            p.close();
        }
    }

    static SecurityAssociation sa(Gateway g, int spi) {
        return g.sadb().inbound(dev.tandem.sadb.SaProtocol.ESP, spi);
    }

    @Test
    void espLeavesFromTheSasSourceAddressNotThePorts() throws Exception {
        // gwa's port is at 192.0.2.1, its SA leaves from 192.0.2.9 (a cluster's VIP)
        String sas = "esp from 192.0.2.9 to 192.0.2.2 spi 0x1001:0x1002 %s authkey " + AK + ":" + AK2
                + " enckey " + EK + ":" + EK2 + "\n";
        for (String encap : new String[] {"", "udpencap"}) {
            Gateway a = gateway("192.0.2.1", "flow esp from 10.1.0.0/16 to 10.2.0.0/16 peer 192.0.2.2\n"
                    + sas.formatted(encap));
            Gateway b = gateway("192.0.2.2", "flow esp from 10.2.0.0/16 to 10.1.0.0/16 peer 192.0.2.9\n"
                    + sas.formatted(encap));
            List<MemoryNetwork.Packet> seen = new ArrayList<>();
            wire.filter(p -> {
                synchronized (seen) {
                    seen.add(p);
                }
                return true;
            });
            byte[] out = udp("10.1.0.5", "10.2.0.7", 1);
            a.lan().inject(out);
            assertThat(b.lan().take(5, TimeUnit.SECONDS)).as(encap).isEqualTo(out);
            synchronized (seen) {
                assertThat(seen).singleElement().extracting(MemoryNetwork.Packet::src).isEqualTo(ip("192.0.2.9"));
            }
            stop();
            planes.clear();
        }
    }

    @Test
    void aHeldSaSendsNothingAndCountsTheDropUntilTheHoldIsLifted() throws Exception {
        Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", ""));
        Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", ""));
        List<MemoryNetwork.Packet> seen = new ArrayList<>();
        wire.filter(p -> {
            synchronized (seen) {
                seen.add(p);
            }
            return true;
        });
        // what replication does on a cluster backup
        a.sadb().holdOutbound(sa -> true);
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 1));
        // a packet no flow claims leaves in the clear after it, on the same thread: then the first is done
        byte[] marker = udp("10.1.0.5", "10.9.0.1", 3);
        a.lan().inject(marker);
        assertThat(a.clear().take(5, TimeUnit.SECONDS)).isEqualTo(marker);
        assertThat(a.sadb().get(sa(b, 0x1001).id()).drops(DropReason.NOT_MASTER)).isEqualTo(1);
        a.sadb().holdOutbound(null);
        byte[] next = udp("10.1.0.5", "10.2.0.7", 2);
        a.lan().inject(next);
        assertThat(b.lan().take(5, TimeUnit.SECONDS)).isEqualTo(next);
        synchronized (seen) {
            assertThat(seen).as("only the packet sent after the hold").hasSize(1);
        }
    }

    @Test
    void packetsCrossTheTunnelBothWaysOverRawEspAndUdp() throws Exception {
        for (String encap : new String[] {"", "udpencap"}) {
            wire.filter(p -> true);
            Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", encap));
            Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", encap));
            List<MemoryNetwork.Packet> seen = new ArrayList<>();
            wire.filter(p -> {
                synchronized (seen) {
                    seen.add(p);
                }
                return true;
            });
            for (int i = 0; i < 50; i++) {
                byte[] out = udp("10.1.0.5", "10.2.0.7", i);
                a.lan().inject(out);
                assertThat(b.lan().take(5, TimeUnit.SECONDS)).as("%s packet %d", encap, i).isEqualTo(out);
                byte[] back = udp("10.2.0.7", "10.1.0.5", i);
                b.lan().inject(back);
                assertThat(a.lan().take(5, TimeUnit.SECONDS)).isEqualTo(back);
            }
            assertThat(sa(b, 0x1001).packets()).isEqualTo(50);
            assertThat(sa(a, 0x1002).packets()).isEqualTo(50);
            assertThat(a.plane().counters().encrypted()).isEqualTo(50);
            synchronized (seen) {
                assertThat(seen).hasSize(100).allMatch(p -> p.udp() == encap.equals("udpencap"));
                // only ESP is on the wire: the cleartext payload never appears
                assertThat(seen).noneMatch(p -> contains(p.data(), udp("10.1.0.5", "10.2.0.7", 3)));
            }
            stop();
            planes.clear();
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void badPacketsAreDroppedAndCountedWhileValidTrafficFlows() throws Exception {
        Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", ""));
        Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", ""));
        // capture ESP packets with sequence numbers 1..5 off the wire instead of delivering them
        List<byte[]> held = new ArrayList<>();
        wire.filter(p -> {
            synchronized (held) {
                if (held.size() < 5) {
                    held.add(p.data());
                    held.notifyAll();
                    return false;
                }
            }
            return true;
        });
        for (int i = 1; i <= 5; i++) {
            a.lan().inject(udp("10.1.0.5", "10.2.0.7", i));
        }
        synchronized (held) {
            while (held.size() < 5) {
                held.wait(5000);
            }
        }
        IpAddress from = ip("192.0.2.1");
        IpAddress to = ip("192.0.2.2");
        java.util.function.Consumer<byte[]> fire = d -> wire.inject(new MemoryNetwork.Packet(from, to, false, d));

        fire.accept(held.get(0));                                        // seq 1, valid
        fire.accept(held.get(0).clone());                                // seq 1 again: replay
        byte[] flipped = held.get(1).clone();
        flipped[30] ^= 1;
        fire.accept(flipped);                                            // seq 2: bad ICV
        byte[] unknown = held.get(2).clone();
        unknown[3] ^= 0x55;
        fire.accept(unknown);                                            // unknown SPI
        fire.accept(java.util.Arrays.copyOf(held.get(3), 9));            // truncated header
        fire.accept(new byte[0]);                                        // empty
        byte[] cut = held.get(4);
        fire.accept(java.util.Arrays.copyOf(cut, cut.length - 1));       // seq 5: cut inside the ICV
        assertThat(b.lan().take(5, TimeUnit.SECONDS)).isEqualTo(udp("10.1.0.5", "10.2.0.7", 1));
        for (int i = 6; i <= 20; i++) {
            a.lan().inject(udp("10.1.0.5", "10.2.0.7", i));
        }
        for (int i = 6; i <= 20; i++) {
            assertThat(b.lan().take(5, TimeUnit.SECONDS)).as("valid packet %d", i)
                    .isEqualTo(udp("10.1.0.5", "10.2.0.7", i));
        }
        SecurityAssociation in = sa(b, 0x1001);
        assertThat(in.drops(DropReason.REPLAY)).isEqualTo(1);
        assertThat(in.drops(DropReason.BAD_ICV)).isEqualTo(1);
        assertThat(in.drops(DropReason.MALFORMED)).isEqualTo(1);
        assertThat(b.plane().counters().drops(DropReason.NO_SA)).isEqualTo(1);
        assertThat(b.plane().counters().drops(DropReason.MALFORMED)).isEqualTo(2);
        assertThat(in.packets()).isEqualTo(16);
    }

    @Test
    void aStandbySourceSendsNothingUntilItIsActiveAgain() throws Exception {
        Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", ""));
        Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", ""));
        // a is a CARP backup for its source address: its SAs must not send
        a.sadb().standby(ip("192.0.2.1"), true);
        var out = a.sadb().get(new dev.tandem.sadb.SaId(ip("192.0.2.2"), dev.tandem.sadb.SaProtocol.ESP, 0x1001));
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 1));
        // the data-plane thread counts the drop; no event says so, so wait for the counter (bounded)
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (out.drops(DropReason.STANDBY) == 0 && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(out.drops(DropReason.STANDBY)).isEqualTo(1);
        a.sadb().standby(ip("192.0.2.1"), false);
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 2));
        assertThat(b.lan().take(5, TimeUnit.SECONDS)).isEqualTo(udp("10.1.0.5", "10.2.0.7", 2));
        // the check comes after the number is taken (a new master's counters may have just moved it)
        assertThat(out.lastSequence()).as("one number spent on the dropped packet, one sent").isEqualTo(2);
    }

    @Test
    void deletingTheSaStopsTrafficAndCountsNoSa() throws Exception {
        Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", ""));
        Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", ""));
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 1));
        assertThat(b.lan().take(5, TimeUnit.SECONDS)).isNotNull();
        // the receiver loses its SA: the sender's ESP now finds no SA
        b.sadb().delete(sa(b, 0x1001).id());
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 2));
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 3));
        assertThat(b.lan().take(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(b.plane().counters().drops(DropReason.NO_SA)).isEqualTo(2);
        // the sender loses its outbound SA: the require flow drops at the source
        a.sadb().delete(a.sadb().get(new dev.tandem.sadb.SaId(ip("192.0.2.2"), dev.tandem.sadb.SaProtocol.ESP,
                0x1001)).id());
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 4));
        assertThat(b.lan().take(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(a.plane().counters().drops(DropReason.NO_SA)).isEqualTo(1);
    }

    @Test
    void packetsOutsideTheSasFlowsAreRejectedAfterDecryption() throws Exception {
        // gwa believes 10.9.0.0/16 is behind gwb too; gwb has no inbound flow for it
        Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", "")
                + "flow esp out from 10.1.0.0/16 to 10.9.0.0/16 peer 192.0.2.2\n");
        Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", ""));
        a.lan().inject(udp("10.1.0.5", "10.9.0.7", 1));
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 2));
        assertThat(b.lan().take(5, TimeUnit.SECONDS)).isEqualTo(udp("10.1.0.5", "10.2.0.7", 2));
        assertThat(sa(b, 0x1001).drops(DropReason.POLICY_MISMATCH)).isEqualTo(1);
        assertThat(b.lan().take(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void flowTypesChooseBetweenTunnelClearAndDrop() throws Exception {
        Gateway a = gateway("192.0.2.1", conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", "") + """
                flow esp out from 10.1.0.0/16 to 10.3.0.0/16 peer 192.0.2.3 type use
                flow esp out from 10.1.0.0/16 to 10.4.0.0/16 peer 192.0.2.4 type acquire
                flow esp out from 10.1.0.0/16 to 10.5.0.0/16 peer 192.0.2.5 type dontacq
                flow esp out from 10.1.0.0/16 to 10.6.0.0/16 peer 192.0.2.6 type require
                flow esp out from 10.1.0.0/16 to 10.2.9.0/24 type bypass
                flow esp out proto udp from 10.1.0.0/16 to 10.2.8.0/24 type deny
                """);
        Gateway b = gateway("192.0.2.2", conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", ""));
        List<dev.tandem.sadb.SadbEvent.Acquire> acquires = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.sadb().subscribe(e -> {
            if (e instanceof dev.tandem.sadb.SadbEvent.Acquire q) {
                acquires.add(q);
            }
        });
        String[] clear = {"10.3.0.1", "10.4.0.1", "10.2.9.1", "10.7.0.1"};   // use, acquire, bypass, no flow
        String[] dropped = {"10.5.0.1", "10.6.0.1", "10.2.8.1"};              // dontacq, require, deny
        for (String dst : dropped) {
            a.lan().inject(udp("10.1.0.5", dst, 1));
        }
        for (String dst : clear) {
            a.lan().inject(udp("10.1.0.5", dst, 1));
        }
        a.lan().inject(udp("10.1.0.5", "10.2.0.7", 1));                      // protected
        // one thread reads the device in order: once the last packet arrives, all were handled
        assertThat(b.lan().take(5, TimeUnit.SECONDS)).isEqualTo(udp("10.1.0.5", "10.2.0.7", 1));
        for (String dst : clear) {
            assertThat(a.clear().take(5, TimeUnit.SECONDS)).as(dst).isEqualTo(udp("10.1.0.5", dst, 1));
        }
        assertThat(a.clear().take(0, TimeUnit.MILLISECONDS)).isNull();
        assertThat(a.plane().counters().cleartext()).isEqualTo(4);
        assertThat(a.plane().counters().drops(DropReason.DENIED)).isEqualTo(1);
        assertThat(a.plane().counters().drops(DropReason.NO_SA)).isEqualTo(2);
        assertThat(a.plane().counters().encrypted()).isEqualTo(1);
        // acquire and require ask for keys; dontacq and use do not
        assertThat(acquires).extracting(q -> q.flow().peer().toString())
                .containsExactlyInAnyOrder("192.0.2.4", "192.0.2.6");
    }
}
