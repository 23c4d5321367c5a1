package dev.tandem.daemon;

import dev.tandem.control.Json;
import dev.tandem.dataplane.DataPlane;
import dev.tandem.os.LinuxTun;
import dev.tandem.os.LinuxUdpEspPort;
import dev.tandem.dataplane.DataPlaneCounters;
import dev.tandem.esp.EspTransform;
import dev.tandem.sadb.DropReason;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SecurityAssociation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tandem status}: SAs with counters and drops by reason, flows, the
 * data plane. The JSON form is a stable interface (see docs/admin-guide.md):
 * fields are only ever added, and "format" changes if one must change.
 */
record StatusReport(Map<String, Object> root, String carpText) {

    static final int FORMAT = 1;

    static StatusReport of(Sadb sadb, DataPlane plane, Tandemd.Options options, LinuxTun tun, LinuxUdpEspPort udp,
                          dev.tandem.carp.CarpStatus carp, dev.tandem.sync.SyncStatus sync,
                          dev.tandem.ike.IkeStatus ike, IkeReport.Traffic ikeTraffic) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        Map<String, Object> dp = new LinkedHashMap<>();
        dp.put("device", options.tun());
        dp.put("route_table", options.routes() ? options.routeTable() : null);
        dp.put("threads", plane == null ? List.of() : plane.threadNames());
        Map<String, Object> offload = new LinkedHashMap<>();
        offload.put("tun", tun != null && tun.offload());
        offload.put("udp_gso", udp != null && udp.gsoEnabled());
        offload.put("udp_gro", udp != null && udp.groEnabled());
        dp.put("offload", offload);
        if (plane != null) {
            DataPlaneCounters c = plane.counters();
            dp.put("encrypted", c.encrypted());
            dp.put("decrypted", c.decrypted());
            dp.put("cleartext", c.cleartext());
            dp.put("ike_datagrams", c.ikeDatagrams());
            dp.put("keepalives", c.keepalives());
            // what the socket and the device refused before a packet reached the pipeline
            dp.put("udp_truncated", udp == null ? 0 : udp.droppedDatagrams());
            dp.put("tun_unsplittable", tun == null ? 0 : tun.malformed());
            Map<String, Object> drops = new LinkedHashMap<>();
            for (DropReason r : DropReason.values()) {
                drops.put(r.label(), c.drops(r));
            }
            dp.put("drops", drops);
        }
        root.put("dataplane", dp);

        List<Object> sas = new ArrayList<>();
        List<SecurityAssociation> sorted = new ArrayList<>(sadb.sas());
        sorted.sort(Comparator.comparingLong(s -> Integer.toUnsignedLong(s.id().spi())));
        for (SecurityAssociation sa : sorted) {
            SaSpec s = sa.spec();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spi", String.format("0x%08x", s.id().spi()));
            m.put("protocol", s.id().protocol().name().toLowerCase(Locale.ROOT));
            m.put("src", s.src().toString());
            m.put("dst", s.dst().toString());
            m.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
            m.put("transform", transform(s.keys().transform()));
            m.put("encapsulation", s.encapsulation() instanceof Encapsulation.Udp u
                    ? "udp " + u.srcPort() + ":" + u.dstPort() : "esp");
            m.put("esn", s.esn());
            m.put("replay_window", s.replayWindow());
            m.put("packets", sa.packets());
            m.put("bytes", sa.bytes());
            m.put("sequence_out", sa.lastSequence());
            m.put("replay_top", sa.replayTop());
            Map<String, Object> drops = new LinkedHashMap<>();
            for (DropReason r : DropReason.values()) {
                drops.put(r.label(), sa.drops(r));
            }
            m.put("drops", drops);
            sas.add(m);
        }
        root.put("sas", sas);

        List<Object> flows = new ArrayList<>();
        for (Flow f : sadb.flows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", f.direction().name().toLowerCase(Locale.ROOT));
            m.put("src", f.selector().src().toString());
            m.put("dst", f.selector().dst().toString());
            m.put("protocol", f.selector().protocol());
            m.put("src_port", f.selector().srcPort());
            m.put("dst_port", f.selector().dstPort());
            m.put("type", f.type().name().toLowerCase(Locale.ROOT));
            m.put("peer", f.peer() == null ? null : f.peer().toString());
            flows.add(m);
        }
        root.put("flows", flows);
        root.put("carp", CarpReport.json(carp));
        root.put("sync", SyncReport.json(sync));
        Map<String, Object> ikeJson = IkeReport.json(ike, ikeTraffic);
        root.put("ike", ikeJson);
        return new StatusReport(root, CarpReport.text(carp) + SyncReport.text(sync) + IkeReport.text(ikeJson));
    }

    private static String transform(EspTransform t) {
        return switch (t) {
            case EspTransform.AesGcm g -> "aes-" + g.aesKeyLength() * 8 + "-gcm";
            case EspTransform.AesCbcHmac c -> "aes-" + c.aesKeyLength() * 8 + "-cbc " + c.integrity().name().toLowerCase(Locale.ROOT);
            case EspTransform.NullHmac n -> "null " + n.integrity().name().toLowerCase(Locale.ROOT);
        };
    }

    String render(boolean json) {
        if (json) {
            return Json.write(root);
        }
        StringBuilder sb = new StringBuilder();
        @SuppressWarnings("unchecked")
        Map<String, Object> dp = (Map<String, Object>) root.get("dataplane");
        sb.append("data plane: device ").append(dp.get("device")).append(", threads ").append(dp.get("threads"))
                .append(", offload ").append(dp.get("offload")).append('\n');
        sb.append("  encrypted ").append(dp.get("encrypted")).append(", decrypted ").append(dp.get("decrypted"))
                .append(", cleartext ").append(dp.get("cleartext")).append(", ike datagrams ")
                .append(dp.get("ike_datagrams")).append('\n');
        sb.append("  drops ").append(nonZero(dp.get("drops"))).append('\n');
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sas = (List<Map<String, Object>>) (List<?>) root.get("sas");
        sb.append("SAs: ").append(sas.size()).append('\n');
        for (Map<String, Object> s : sas) {
            sb.append("  ").append(s.get("protocol")).append(' ').append(s.get("src")).append(" -> ")
                    .append(s.get("dst")).append(" spi ").append(s.get("spi")).append(' ').append(s.get("transform"))
                    .append(", ").append(s.get("packets")).append(" packets, ").append(s.get("bytes"))
                    .append(" bytes, drops ").append(nonZero(s.get("drops"))).append('\n');
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> flows = (List<Map<String, Object>>) (List<?>) root.get("flows");
        sb.append("flows: ").append(flows.size()).append('\n');
        for (Map<String, Object> f : flows) {
            sb.append("  ").append(f.get("direction")).append(' ').append(f.get("src")).append(" -> ")
                    .append(f.get("dst")).append(' ').append(f.get("type"))
                    .append(f.get("peer") == null ? "" : " peer " + f.get("peer")).append('\n');
        }
        return sb.append(carpText).toString();
    }

    private static String nonZero(Object drops) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) drops;
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> {
            if (((Number) v).longValue() != 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v);
            }
        });
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
