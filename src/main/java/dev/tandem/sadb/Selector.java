package dev.tandem.sadb;

import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.util.Objects;

/**
 * The traffic a flow covers: source and destination networks, and
 * optionally an IP protocol and ports (0 = any).
 */
public record Selector(IpNet src, IpNet dst, int protocol, int srcPort, int dstPort) {

    public Selector {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (src.family() != dst.family()) {
            throw new IllegalArgumentException("source and destination of different address families");
        }
        if (protocol < 0 || protocol > 255 || srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
            throw new IllegalArgumentException("protocol or port out of range");
        }
    }

    public boolean matches(IpAddress s, IpAddress d, int proto, int sport, int dport) {
        return dst.contains(d) && src.contains(s) && (protocol == 0 || protocol == proto)
                && (srcPort == 0 || srcPort == sport) && (dstPort == 0 || dstPort == dport);
    }

    /** Orders flows by specificity: longer destination prefix first, then source, protocol, ports. */
    int specificity() {
        return (dst.prefix() << 16) | (src.prefix() << 8) | (protocol != 0 ? 4 : 0)
                | (dstPort != 0 ? 2 : 0) | (srcPort != 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return "from " + src + (srcPort != 0 ? " port " + srcPort : "") + " to " + dst
                + (dstPort != 0 ? " port " + dstPort : "") + (protocol != 0 ? " proto " + protocol : "");
    }
}
