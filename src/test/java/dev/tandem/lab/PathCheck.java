package dev.tandem.lab;

import java.io.IOException;
import java.util.List;

/**
 * Proves that a path carries traffic the way it claims before it is
 * measured: hosts can ping each other, and on a tunnel path the WAN shows
 * only ESP in the expected encapsulation and never the inner ICMP. Without
 * this a broken tunnel (or a gateway that forwards in the clear) could be
 * measured as if it were plain routing.
 */
final class PathCheck {

    static final int PINGS = 3;

    private PathCheck() {
    }

    static void verify(Lab lab, BenchPath path) throws IOException, InterruptedException {
        ping(lab);
        if (!path.tunnel) {
            return;
        }
        // both directions cross wb once: PINGS requests and PINGS replies
        Lab.Background cap = lab.spawnReady(Lab.GWB, "listening on", "tcpdump", "-n", "-l", "--immediate-mode",
                "-i", "wb", "-c", Integer.toString(2 * PINGS), "icmp or ip proto 50 or udp port 4500");
        ping(lab);
        List<String> wire = cap.awaitOutput(10).lines().filter(l -> l.contains(" IP ")).toList();
        boolean udp = path != BenchPath.TANDEM_RAW;
        for (String l : wire) {
            boolean ok = !l.contains("ICMP") && (udp ? l.contains("UDP-encap: ESP(spi=")
                    : l.contains("ESP(spi=") && !l.contains("UDP"));
            if (!ok) {
                throw new IOException(path.id + ": the WAN carried something other than "
                        + (udp ? "ESP-in-UDP" : "raw ESP") + ":\n" + String.join("\n", wire));
            }
        }
        if (wire.size() != 2 * PINGS) {
            throw new IOException(path.id + ": expected " + 2 * PINGS + " ESP packets on the WAN, saw:\n"
                    + String.join("\n", wire));
        }
    }

    private static void ping(Lab lab) throws IOException, InterruptedException {
        Lab.Result r = lab.exec(Lab.HA, "ping", "-c", Integer.toString(PINGS), "-i", "0.2", "-W", "2", "10.2.0.10");
        if (r.status() != 0 || !r.out().contains(PINGS + " received")) {
            throw new IOException("ha cannot ping hb:\n" + r.out());
        }
    }
}
