package dev.tandem.lab;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where a gateway lost packets, read after a measurement so that a low
 * number can be told apart from a broken or overloaded tunnel: tandemd's
 * own drop counters, the TUN device's queue drops and the kernel's UDP and
 * raw-socket receive-buffer overflows. Each method returns only non-zero counters,
 * as "node what=n ..." with a leading space, or an empty string.
 */
final class DropCounters {

    private DropCounters() {
    }

    /** tandemd's node-wide and per-SA drop counters from {@code tandem status --json}. */
    static String tandem(Lab lab, String node, Lab.Daemon d) throws IOException, InterruptedException {
        Lab.Result r = lab.tandem("status", "--json", "--control", d.control().toString());
        if (r.status() != 0) {
            return " " + node + " tandem-status-failed";
        }
        Object root = MiniJson.parse(r.out());
        StringJoiner j = joiner(node + " tandemd");
        nonZero(j, "", MiniJson.at(root, "dataplane", "drops"));
        if (MiniJson.at(root, "sas") instanceof List<?> sas) {
            for (Object sa : sas) {
                nonZero(j, "sa " + MiniJson.at(sa, "spi") + " ", MiniJson.at(sa, "drops"));
            }
        }
        return j.toString();
    }

    /** RX/TX drops of a TUN (or any) device, from {@code ip -s -j link}. */
    static String tun(Lab lab, String node, String device) throws IOException, InterruptedException {
        Lab.Result r = lab.exec(node, "ip", "-s", "-j", "link", "show", "dev", device);
        if (r.status() != 0) {
            return " " + node + " " + device + "-missing";
        }
        Object link = ((List<?>) MiniJson.parse(r.out())).getFirst();
        StringJoiner j = joiner(node + " " + device);
        for (String dir : List.of("rx", "tx")) {
            long dropped = (long) MiniJson.number(link, "stats64", dir, "dropped");
            if (dropped != 0) {
                j.add(dir + "-dropped=" + dropped);
            }
        }
        return j.toString();
    }

    /** UDP datagrams the kernel dropped because a socket's receive buffer was full. */
    static String udp(Lab lab, String node) throws IOException, InterruptedException {
        Lab.Result r = lab.exec(node, "cat", "/proc/net/snmp");
        List<String> udp = r.out().lines().filter(l -> l.startsWith("Udp:")).toList();
        StringJoiner j = joiner(node + " udp");
        if (udp.size() == 2) {
            String[] names = udp.get(0).split("\\s+");
            String[] values = udp.get(1).split("\\s+");
            for (int i = 1; i < names.length && i < values.length; i++) {
                if ((names[i].equals("RcvbufErrors") || names[i].equals("InErrors")) && !values[i].equals("0")) {
                    j.add(names[i] + "=" + values[i]);
                }
            }
        }
        return j.toString();
    }

    /** Packets raw IP sockets (tandemd's raw ESP port) dropped: the last column of /proc/net/raw. */
    static String raw(Lab lab, String node) throws IOException, InterruptedException {
        Lab.Result r = lab.exec(node, "cat", "/proc/net/raw");
        long drops = r.out().lines().skip(1).map(String::strip).filter(l -> !l.isEmpty())
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        return drops == 0 ? "" : " " + node + " raw-socket drops=" + drops;
    }

    private static StringJoiner joiner(String prefix) {
        StringJoiner j = new StringJoiner(" ", " " + prefix + " ", "");
        j.setEmptyValue("");
        return j;
    }

    private static void nonZero(StringJoiner j, String prefix, Object counters) {
        if (counters instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Double v && v != 0) {
                    j.add(prefix + e.getKey() + "=" + v.longValue());
                }
            }
        }
    }
}
