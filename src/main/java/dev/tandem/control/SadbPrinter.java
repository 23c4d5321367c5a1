package dev.tandem.control;

import dev.tandem.conf.ipsec.NetDb;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.DropReason;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sadb.SecurityAssociation;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints the SADB the way {@code ipsecctl -s} prints the kernel's on
 * OpenBSD: flows in ipsec.conf syntax, SAs as "esp tunnel from A to B spi
 * ...", keys only when asked for, details with -v.
 */
public final class SadbPrinter {

    private final NetDb netdb;

    public SadbPrinter(NetDb netdb) {
        this.netdb = netdb;
    }

    public String flow(Flow f) {
        return flow(f, List.of(f.selector().src()), List.of(f.selector().dst()), false);
    }

    private String flow(Flow f, List<IpNet> srcs, List<IpNet> dsts, boolean collapse) {
        StringBuilder sb = new StringBuilder("flow ");
        sb.append(f.protocol().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(f.direction().name().toLowerCase(Locale.ROOT));
        int proto = f.selector().protocol();
        if (proto != 0) {
            sb.append(" proto ").append(netdb.protocolName(proto).orElse(Integer.toString(proto)));
        }
        sb.append(" from ").append(hosts(srcs, collapse));
        if (f.selector().srcPort() != 0) {
            sb.append(" port ").append(port(f.selector().srcPort(), proto));
        }
        sb.append(" to ").append(hosts(dsts, collapse));
        if (f.selector().dstPort() != 0) {
            sb.append(" port ").append(port(f.selector().dstPort(), proto));
        }
        if (f.local() != null) {
            sb.append(" local ").append(f.local());
        }
        if (f.peer() != null) {
            sb.append(" peer ").append(f.peer());
        }
        if (f.srcId() != null) {
            sb.append(" srcid ").append(f.srcId());
        }
        if (f.dstId() != null) {
            sb.append(" dstid ").append(f.dstId());
        }
        sb.append(" type ").append(f.type().name().toLowerCase(Locale.ROOT));
        return sb.append('\n').toString();
    }

    private static String hosts(List<IpNet> nets, boolean collapse) {
        if (!collapse) {
            return nets.getFirst().toString();
        }
        return "{ " + String.join(", ", nets.stream().map(IpNet::toString).toList()) + " }";
    }

    private String port(int port, int proto) {
        return netdb.serviceName(port, proto == 6 ? "tcp" : "udp").orElse(Integer.toString(port));
    }

    /**
     * Flows with -c: consecutive flows that differ only in their source (or
     * only in their destination) are printed as one, with the addresses in
     * braces, as ipsecctl does.
     */
    public String flows(List<Flow> flows, boolean collapse) {
        StringBuilder sb = new StringBuilder();
        if (!collapse) {
            flows.forEach(f -> sb.append(flow(f)));
            return sb.toString();
        }
        List<Flow> group = new ArrayList<>();
        for (Flow f : flows) {
            if (!group.isEmpty() && !mergeable(group.getFirst(), f)) {
                sb.append(collapsed(group));
                group.clear();
            }
            group.add(f);
        }
        if (!group.isEmpty()) {
            sb.append(collapsed(group));
        }
        return sb.toString();
    }

    private String collapsed(List<Flow> group) {
        List<IpNet> srcs = group.stream().map(f -> f.selector().src()).distinct().toList();
        List<IpNet> dsts = group.stream().map(f -> f.selector().dst()).distinct().toList();
        return flow(group.getFirst(), srcs, dsts, true);
    }

    private static boolean mergeable(Flow a, Flow b) {
        boolean sameRest = a.direction() == b.direction() && a.protocol() == b.protocol() && a.type() == b.type()
                && a.selector().protocol() == b.selector().protocol()
                && a.selector().srcPort() == b.selector().srcPort() && a.selector().dstPort() == b.selector().dstPort()
                && Objects.equals(a.peer(), b.peer()) && Objects.equals(a.local(), b.local())
                && Objects.equals(a.srcId(), b.srcId()) && Objects.equals(a.dstId(), b.dstId());
        boolean oneSideSame = a.selector().src().equals(b.selector().src()) || a.selector().dst().equals(b.selector().dst());
        return sameRest && oneSideSame;
    }

    /** One SA; with {@code keys} its keys, with {@code verbose} state, counters and lifetimes. */
    public String sa(SecurityAssociation sa, boolean keys, boolean verbose) {
        SaSpec s = sa.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(s.id().protocol().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(s.mode().name().toLowerCase(Locale.ROOT))
                .append(" from ").append(s.src()).append(" to ").append(s.dst())
                .append(" spi ").append(String.format("0x%08x", s.id().spi()));
        EspTransform t = s.keys().transform();
        switch (t) {
            case EspTransform.AesGcm g -> sb.append(" enc aes-").append(g.aesKeyLength() * 8).append("-gcm");
            case EspTransform.AesCbcHmac c -> sb.append(" auth ").append(auth(c.integrity()))
                    .append(" enc aes-").append(c.aesKeyLength() * 8);
            case EspTransform.NullHmac n -> sb.append(" auth ").append(auth(n.integrity())).append(" enc null");
        }
        if (keys) {
            HexFormat hex = HexFormat.of();
            if (s.keys().authKeyBytes().length > 0) {
                sb.append(" \\\n\tauthkey 0x").append(hex.formatHex(s.keys().authKeyBytes()));
            }
            if (s.keys().encKeyBytes().length > 0) {
                sb.append(" \\\n\tenckey 0x").append(hex.formatHex(s.keys().encKeyBytes()));
            }
        }
        sb.append('\n');
        if (verbose) {
            sb.append("\tencap ").append(s.encapsulation() instanceof Encapsulation.Udp u
                    ? "udp " + u.srcPort() + ":" + u.dstPort() : "none")
                    .append(s.esn() ? " esn" : "").append(" replay ").append(s.replayWindow()).append('\n');
            sb.append("\tsequence out ").append(sa.lastSequence()).append(" in ").append(sa.replayTop()).append('\n');
            sb.append("\tcounters packets ").append(sa.packets()).append(" bytes ").append(sa.bytes());
            for (DropReason r : DropReason.values()) {
                if (sa.drops(r) > 0) {
                    sb.append(' ').append(r.label()).append(' ').append(sa.drops(r));
                }
            }
            sb.append('\n');
            appendLifetime(sb, "lifetime_soft", s.soft());
            appendLifetime(sb, "lifetime_hard", s.hard());
        }
        return sb.toString();
    }

    private static void appendLifetime(StringBuilder sb, String name, SaLifetime l) {
        if (!l.equals(SaLifetime.NONE)) {
            sb.append('\t').append(name).append(": seconds ").append(l.seconds()).append(" bytes ").append(l.bytes())
                    .append(" packets ").append(l.packets()).append('\n');
        }
    }

    private static String auth(Integrity i) {
        return switch (i) {
            case HMAC_SHA1_96 -> "hmac-sha1";
            case HMAC_SHA2_256_128 -> "hmac-sha2-256";
            case HMAC_SHA2_384_192 -> "hmac-sha2-384";
            case HMAC_SHA2_512_256 -> "hmac-sha2-512";
        };
    }

    /** One line per SADB event, for ipsecctl -m. Keys are never shown. */
    public String event(SadbEvent e) {
        return switch (e) {
            case SadbEvent.Added a -> "add " + a.sa().id() + " from " + a.sa().src() + "\n";
            case SadbEvent.Updated u -> "update " + u.sa().id() + "\n";
            case SadbEvent.Deleted d -> "delete " + d.id() + "\n";
            case SadbEvent.Expired x -> "expire " + (x.hard() ? "hard " : "soft ") + x.id() + "\n";
            case SadbEvent.Acquire a -> "acquire " + flow(a.flow());
            case SadbEvent.FlowAdded f -> "addflow " + flow(f.flow());
            case SadbEvent.FlowDeleted f -> "delflow " + flow(f.flow());
            case SadbEvent.Flushed f -> "flush\n";
        };
    }
}
