package dev.tandem.daemon;

import dev.tandem.carp.CarpStats;
import dev.tandem.carp.CarpStatus;
import dev.tandem.carp.CarpVhostStatus;
import dev.tandem.carp.LinkStats;
import dev.tandem.net.InterfaceAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code carp} section of {@code tandem status --json} and the text of
 * {@code tandem carp status}; both come from the same map so they never
 * disagree. Fields are only ever added (see docs/admin-guide.md).
 */
final class CarpReport {

    private CarpReport() {
    }

    static Map<String, Object> json(CarpStatus s) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> ifaces = new ArrayList<>();
        for (CarpVhostStatus v : s.interfaces()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.put("state", v.state().name());
            m.put("vhid", v.vhid());
            m.put("carpdev", v.carpdev());
            m.put("advbase", v.advbase());
            m.put("advskew", v.advskew());
            m.put("demote", v.demote());
            m.put("preempt", v.preempt());
            m.put("auth", v.auth().name().toLowerCase(Locale.ROOT));
            m.put("carppeer", v.carppeer() == null ? null : v.carppeer().toString());
            m.put("vips", v.vips().stream().map(InterfaceAddress::toString).toList());
            m.put("master", v.master() == null ? null : v.master().toString());
            m.put("state_age_ms", Math.max(0, (s.nowNanos() - v.sinceNanos()) / 1_000_000));
            m.put("reason", v.reason());
            CarpStats.Snapshot c = v.stats();
            Map<String, Object> counters = new LinkedHashMap<>();
            counters.put("sent", c.sent());
            counters.put("send_errors", c.sendErrors());
            counters.put("accepted", c.accepted());
            counters.put("bad_auth", c.badAuth());
            counters.put("replayed", c.replayed());
            counters.put("own", c.own());
            counters.put("wrong_destination", c.wrongDestination());
            counters.put("became_master", c.becameMaster());
            counters.put("became_backup", c.becameBackup());
            m.put("counters", counters);
            ifaces.add(m);
        }
        root.put("interfaces", ifaces);
        List<Object> devices = new ArrayList<>();
        for (CarpStatus.DeviceStatus d : s.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("link_up", d.linkUp());
            m.put("source", d.source() == null ? null : d.source().toString());
            LinkStats.Snapshot c = d.stats();
            m.put("received", c.received());
            m.put("bad_ttl", c.badTtl());
            m.put("wrong_vhid", c.wrongVhid());
            m.put("malformed", new LinkedHashMap<>(c.malformed()));
            devices.add(m);
        }
        root.put("devices", devices);
        root.put("demotion", new LinkedHashMap<>(s.demotion()));
        return root;
    }

    static String text(CarpStatus s) {
        if (s.interfaces().isEmpty()) {
            return "carp: no carp interfaces (no carp.conf)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (CarpVhostStatus v : s.interfaces()) {
            sb.append(v.name()).append(": ").append(v.state()).append(" carpdev ").append(v.carpdev())
                    .append(" vhid ").append(v.vhid()).append(" advbase ").append(v.advbase())
                    .append(" advskew ").append(v.advskew());
            if (v.carppeer() != null) {
                sb.append(" carppeer ").append(v.carppeer());
            }
            sb.append(" demote ").append(v.demote()).append(v.preempt() ? " preempt" : "")
                    .append(" auth ").append(v.auth().name().toLowerCase(Locale.ROOT)).append('\n');
            for (InterfaceAddress vip : v.vips()) {
                sb.append("\t").append(vip.family() == dev.tandem.net.IpAddress.Family.INET ? "inet " : "inet6 ")
                        .append(vip).append('\n');
            }
            long ageMs = Math.max(0, (s.nowNanos() - v.sinceNanos()) / 1_000_000);
            sb.append("\tfor ").append(age(ageMs)).append(": ").append(v.reason()).append('\n');
            if (v.master() != null && v.state() != dev.tandem.carp.CarpState.MASTER) {
                sb.append("\tmaster ").append(v.master()).append('\n');
            }
            CarpStats.Snapshot c = v.stats();
            sb.append("\tsent ").append(c.sent()).append(", accepted ").append(c.accepted())
                    .append(", send errors ").append(c.sendErrors()).append(", bad auth ").append(c.badAuth())
                    .append(", replayed ").append(c.replayed()).append(", own ").append(c.own())
                    .append(", wrong destination ").append(c.wrongDestination()).append('\n');
        }
        for (CarpStatus.DeviceStatus d : s.devices()) {
            LinkStats.Snapshot c = d.stats();
            sb.append(d.name()).append(": link ").append(d.linkUp() ? "up" : "DOWN").append(", source ")
                    .append(d.source() == null ? "none" : d.source()).append(", received ").append(c.received())
                    .append(", bad ttl ").append(c.badTtl()).append(", wrong vhid ").append(c.wrongVhid())
                    .append(", malformed ").append(c.malformedTotal()).append(c.malformed().isEmpty() ? "" : " " + c.malformed())
                    .append('\n');
        }
        sb.append("demotion:");
        s.demotion().forEach((g, n) -> sb.append(' ').append(g).append(' ').append(n));
        return sb.append('\n').toString();
    }

    private static String age(long ms) {
        if (ms < 10_000) {
            return ms + " ms";
        }
        long sec = ms / 1000;
        return sec < 3600 ? sec / 60 + "m" + sec % 60 + "s" : sec / 3600 + "h" + sec % 3600 / 60 + "m";
    }
}
