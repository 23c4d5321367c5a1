package dev.tandem.cli;

import dev.tandem.conf.ManualKeying;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.control.SadbPrinter;
import dev.tandem.dataplane.DataPlane;
import dev.tandem.dataplane.UdpPackets;
import dev.tandem.dataplane.memory.MemoryClearPort;
import dev.tandem.dataplane.memory.MemoryDevice;
import dev.tandem.dataplane.memory.MemoryNetwork;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.DropReason;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SecurityAssociation;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's tunnel part: the two gateways of examples/two-gateways in this
 * JVM, with their real SADBs, ESP and data-plane threads, joined by an
 * in-memory wire instead of TUN devices and sockets (so no root is needed).
 */
final class TunnelDemo {

    static final String DIR = "examples/two-gateways/";

    private final PrintStream out;
    private final MemoryNetwork wire = new MemoryNetwork();
    private final BlockingQueue<MemoryNetwork.Packet> seen = new LinkedBlockingQueue<>();
    private final List<DataPlane> planes = new ArrayList<>();
    /** While set, the wire records packets without delivering them (the attacker holds them). */
    private volatile boolean hold;

    private record Gateway(Sadb sadb, MemoryDevice lan, DataPlane plane) { }

    TunnelDemo(PrintStream out) {
        this.out = out;
    }

    /** Runs the exchange and prints it; false if any step did not go as the tunnel promises. */
    boolean run() throws Exception {
        wire.filter(p -> {
            // decide before recording: the main thread lets go of the hold once it sees the packet
            boolean deliver = !hold;
            seen.add(p);
            return deliver;
        });
        try {
            Gateway a = gateway("192.0.2.1", "gwa");
            Gateway b = gateway("192.0.2.2", "gwb");
            out.println("gwa (192.0.2.1, protects 10.1.0.0/24) and gwb (192.0.2.2, protects 10.2.0.0/24)");
            out.println("load " + DIR + "gwa/ipsec.conf and gwb/ipsec.conf:");
            boolean ok = true;
            for (int i = 1; i <= 3; i++) {
                ok &= send(a, b, "10.1.0.10", "10.2.0.10", "hello " + i);
                ok &= send(b, a, "10.2.0.10", "10.1.0.10", "reply " + i);
            }
            out.println();
            out.println("an attacker on the wire replays one of gwa's packets and alters another:");
            a.lan().inject(packet("10.1.0.10", "10.2.0.10", "hello 4"));
            MemoryNetwork.Packet old = seen.poll(5, TimeUnit.SECONDS);
            ok &= old != null && b.lan().take(5, TimeUnit.SECONDS) != null;
            hold = true;
            byte[] fresh = packet("10.1.0.10", "10.2.0.10", "hello 5");
            a.lan().inject(fresh);
            MemoryNetwork.Packet held = seen.poll(5, TimeUnit.SECONDS);
            hold = false;
            if (old != null && held != null) {
                wire.inject(old);
                byte[] altered = held.data().clone();
                altered[altered.length - 20] ^= 1;
                wire.inject(new MemoryNetwork.Packet(held.src(), held.dst(), held.udp(), altered));
                wire.inject(held);
                // one receiving thread, in order: the genuine packet comes through after both
                ok &= Arrays.equals(b.lan().take(5, TimeUnit.SECONDS), fresh);
            } else {
                ok = false;
            }
            SecurityAssociation in = b.sadb().inbound(SaProtocol.ESP, 0x1001);
            out.println("  gwb dropped them: replay " + in.drops(DropReason.REPLAY) + ", bad-icv "
                    + in.drops(DropReason.BAD_ICV) + "; the valid traffic went on");
            ok &= in.drops(DropReason.REPLAY) == 1 && in.drops(DropReason.BAD_ICV) == 1;
            out.println();
            out.println("gwb, as `tandem ipsecctl -s sa -v` shows it:");
            SadbPrinter printer = new SadbPrinter(IpsecConfParser.Environment.system().netdb());
            for (SecurityAssociation sa : b.sadb().sas().stream()
                    .sorted((x, y) -> Integer.compareUnsigned(x.id().spi(), y.id().spi())).toList()) {
                printer.sa(sa, false, true).lines().forEach(l -> out.println("  " + l));
            }
            return ok;
        } finally {
            for (DataPlane p : planes) {
                p.close();
            }
        }
    }

    private boolean send(Gateway from, Gateway to, String src, String dst, String text) throws Exception {
        byte[] p = packet(src, dst, text);
        from.lan().inject(p);
        MemoryNetwork.Packet esp = seen.poll(5, TimeUnit.SECONDS);
        byte[] got = to.lan().take(5, TimeUnit.SECONDS);
        boolean clean = esp != null && !contains(esp.data(), text.getBytes(StandardCharsets.US_ASCII));
        boolean delivered = got != null && Arrays.equals(got, p);
        out.printf("  %s -> %s %-10s wire: %s  %s%n", src, dst, "\"" + text + "\"",
                esp == null ? "nothing" : describe(esp), delivered ? "delivered" : "LOST");
        return clean && delivered;
    }

    private static String describe(MemoryNetwork.Packet p) {
        byte[] d = p.data();
        long spi = ((d[0] & 0xffL) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        long seq = ((d[4] & 0xffL) << 24) | ((d[5] & 0xff) << 16) | ((d[6] & 0xff) << 8) | (d[7] & 0xff);
        return String.format("%s > %s ESP spi 0x%08x seq %d, %d bytes", p.src(), p.dst(), spi, seq, d.length);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] packet(String src, String dst, String text) {
        return UdpPackets.build(ip(src), ip(dst), 40000, 7, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private Gateway gateway(String address, String name) throws Exception {
        String file = DIR + name + "/ipsec.conf";
        byte[] conf;
        try (InputStream in = TunnelDemo.class.getResourceAsStream("/dev/tandem/" + file)) {
            if (in == null) {
                throw new IllegalStateException("bundled example missing from the build: " + file);
            }
            conf = in.readAllBytes();
        }
        List<String> problems = new ArrayList<>();
        IpsecConfParser.Result r = IpsecConfParser.parse(file, conf, List.of(), IpsecConfParser.Environment.system(),
                rule -> { }, problems::add);
        if (!r.ok()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        Sadb sadb = new Sadb(System::nanoTime);
        for (IpsecRule rule : r.rules()) {
            switch (rule) {
                case FlowRule f -> sadb.addFlow(ManualKeying.flow(f));
                case SaRule s -> sadb.add(ManualKeying.sa(s, 128));
                default -> throw new IllegalStateException("unexpected rule in " + file + ": " + rule);
            }
        }
        MemoryDevice lan = new MemoryDevice();
        DataPlane plane = new DataPlane(sadb, lan, wire.open(ip(address), true), wire.open(ip(address), false),
                new MemoryClearPort(), d -> { });
        planes.add(plane);
        plane.start();
        return new Gateway(sadb, lan, plane);
    }
}
