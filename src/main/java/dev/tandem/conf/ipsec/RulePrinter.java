package dev.tandem.conf.ipsec;

/**
 * Prints flow, SA and bundle rules in ipsecctl's format, the text of
 * {@code ipsecctl -nv} and {@code ipsecctl -s}.
 */
public final class RulePrinter {

    private final NetDb netdb;

    public RulePrinter(NetDb netdb) {
        this.netdb = netdb;
    }

    public String flow(FlowRule r) {
        StringBuilder sb = new StringBuilder();
        sb.append("flow ").append(r.saType().keyword()).append(' ').append(r.direction().keyword());
        if (r.proto() != 0) {
            sb.append(" proto ").append(protocol(r.proto()));
        }
        sb.append(" from ").append(r.src().display());
        if (r.srcPort() != 0) {
            sb.append(" port ").append(port(r.srcPort(), r.proto()));
        }
        sb.append(" to ").append(r.dst().display());
        if (r.dstPort() != 0) {
            sb.append(" port ").append(port(r.dstPort(), r.proto()));
        }
        if (r.local() != null) {
            sb.append(" local ").append(r.local().display());
        }
        if (r.peer() != null) {
            sb.append(" peer ").append(r.peer().display());
        }
        if (r.ids() != null) {
            if (r.ids().srcId() != null) {
                sb.append(" srcid ").append(r.ids().srcId());
            }
            if (r.ids().dstId() != null) {
                sb.append(" dstid ").append(r.ids().dstId());
            }
        }
        sb.append(" type ").append(r.type().keyword()).append('\n');
        return sb.toString();
    }

    /** An SA; with {@code showKeys} its keys follow on continuation lines. */
    public String sa(SaRule r, boolean showKeys) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.saType().keyword()).append(' ');
        if (r.saType() != SaType.TCPMD5 && r.saType() != SaType.IPIP) {
            sb.append(r.mode().keyword()).append(' ');
        }
        sb.append("from ").append(r.src().display()).append(" to ").append(r.dst().display());
        sb.append(" spi ").append(r.spi());
        Transforms x = r.transforms();
        if (r.saType() != SaType.TCPMD5 && x != null) {
            if (x.auth() != null) {
                sb.append(" auth ").append(x.auth().keyword());
            }
            if (x.enc() != null) {
                sb.append(" enc ").append(x.enc().keyword());
            }
            if (x.comp() != null) {
                sb.append(" comp ").append(x.comp().keyword());
            }
        }
        String sep = r.saType() == SaType.TCPMD5 ? " " : " \\\n\t";
        if (showKeys && r.authKey() != null) {
            sb.append(sep).append("authkey 0x").append(r.authKey().hex());
        }
        if (showKeys && r.encKey() != null) {
            sb.append(sep).append("enckey 0x").append(r.encKey().hex());
        }
        return sb.append('\n').toString();
    }

    public String bundle(SaBundleRule r) {
        return "[bundle " + r.saType().keyword() + " to " + r.dst().display() + " spi " + r.spi()
                + " with " + r.saType2().keyword() + " to " + r.dst2().display() + " spi " + r.spi2() + "]\n";
    }

    private String protocol(int proto) {
        return netdb.protocolName(proto).orElse(Integer.toString(proto));
    }

    private String port(int port, int proto) {
        return netdb.serviceName(port, proto == 6 ? "tcp" : "udp").orElse(Integer.toString(port));
    }
}
