package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * ipsecctl's expand_rule(): one written rule becomes a rule for each
 * source/destination pair of the same address family ({@code any} counts as
 * both), numbered in order, with the default peer filled in, reverse flows and
 * reverse SAs added, and SA bundles linked.
 */
final class RuleExpander {

    /** The combinations a rule produces; {@link #combine} adds the rules for one pair. */
    interface Combiner {
        /** @return false when an error stops the expansion */
        boolean combine(Host src, Host dst);
    }

    private final Reporter reporter;
    private final RuleSink sink;
    private final ParseLimits limits;
    private final List<IpsecRule> rules = new ArrayList<>();
    private final List<Bundle> bundles = new ArrayList<>();
    private IkeRule firstDefaultPeerRule;

    private static final class Bundle {
        final String src;
        final String dst;
        final String name;
        SaRule last;

        Bundle(SaRule first, String name) {
            this.src = first.src().name();
            this.dst = first.dst().name();
            this.name = name;
            this.last = first;
        }
    }

    RuleExpander(Reporter reporter, RuleSink sink, ParseLimits limits) {
        this.reporter = reporter;
        this.sink = sink;
        this.limits = limits;
    }

    List<IpsecRule> rules() {
        return rules;
    }

    int nextNumber() {
        return rules.size();
    }

    void add(IpsecRule r) {
        rules.add(r);
        sink.rule(r);
    }

    /**
     * Runs the expansion loop; errors are reported, never thrown.
     *
     * @param perCombination the most rules one pair can add (a flow and its
     *                       reverse, an SA pair with bundle links...), to keep
     *                       the total within {@link ParseLimits#maxRules()}
     */
    void expand(List<HostSpec> srcs, List<HostSpec> dsts, int perCombination, Combiner combiner) {
        if (familiesConflict(srcs, dsts)) {
            reporter.error("source/destination address families do not match");
            return;
        }
        List<Host> src = expandAny(srcs);
        List<Host> dst = expandAny(dsts);
        long combos = (long) src.size() * dst.size();
        if (rules.size() + combos * perCombination > limits.maxRules()) {
            reporter.error("rule expands beyond " + limits.maxRules() + " rules");
            return;
        }
        int added = 0;
        for (Host s : src) {
            for (Host d : dst) {
                if (s.family() != d.family()) {
                    continue;
                }
                if (!combiner.combine(s, d)) {
                    return;
                }
                added++;
            }
        }
        if (added == 0) {
            reporter.error("rule expands to no valid combination");
        }
    }

    /** validate_af(): true when one side is IPv4 only and the other IPv6 only. */
    private static boolean familiesConflict(List<HostSpec> src, List<HostSpec> dst) {
        boolean[] s = families(src);
        boolean[] d = families(dst);
        if (s == null || d == null) {
            return false;
        }
        return s[0] != d[0] && s[1] != d[1];
    }

    private static boolean[] families(List<HostSpec> hosts) {
        boolean v4 = false;
        boolean v6 = false;
        for (HostSpec h : hosts) {
            if (h instanceof AnyHost) {
                return null;
            }
            Host host = (Host) h;
            v4 |= host.family() == IpAddress.Family.INET;
            v6 |= host.family() == IpAddress.Family.INET6;
            if (v4 && v6) {
                break;
            }
        }
        return new boolean[] {v4, v6};
    }

    private static List<Host> expandAny(List<HostSpec> hosts) {
        List<Host> out = new ArrayList<>(hosts.size() + 1);
        for (HostSpec h : hosts) {
            if (h instanceof Host host) {
                out.add(host);
            } else {
                out.add(Host.any(IpAddress.Family.INET));
                out.add(Host.any(IpAddress.Family.INET6));
            }
        }
        return out;
    }

    /** The local and peer endpoints a rule ends up with; peer null means any peer. */
    record Endpoints(Host local, Host peer) { }

    /**
     * set_rule_peers(): an explicit peer, else the remote side of the rule
     * when it is a single host. Flows without a peer are an error (unless
     * written "peer any"); ike rules without one use the default peer.
     *
     * @param towardsSource true for an inbound flow, whose remote side is the source
     * @return null after reporting an error
     */
    Endpoints endpoints(PeersSpec peers, Host src, Host dst, boolean towardsSource, boolean isFlow) {
        HostSpec peer = peers.peer();
        if (peer == null) {
            Host remote = towardsSource ? src : dst;
            if (!remote.network()) {
                peer = remote;
            }
        }
        if (isFlow && peer == null) {
            reporter.error("no peer specified for destination " + dst.name());
            return null;
        }
        return new Endpoints(peers.local(), peer instanceof Host h ? h : null);
    }

    /** ipsecctl warns when rules for the default peer would configure it differently. */
    void checkDefaultPeer(IkeRule r) {
        IkeRule first = firstDefaultPeerRule;
        if (first == null) {
            firstDefaultPeerRule = r;
            return;
        }
        if (!Objects.equals(name(first.local()), name(r.local()))) {
            reporter.warn("default peer local mismatch");
        }
        if (first.auth().isPsk() != r.auth().isPsk()) {
            reporter.warn("default peer phase 1 auth mismatch");
        }
        if (first.auth().isPsk() && r.auth().isPsk() && !first.auth().psk().equals(r.auth().psk())) {
            reporter.warn("default peer psk mismatch");
        }
        if (first.phase1().exchange() != r.phase1().exchange()) {
            reporter.warn("default peer phase 1 mode mismatch");
        }
        if (!Objects.equals(first.ids().srcId(), r.ids().srcId())) {
            reporter.warn("default peer srcid mismatch");
        }
        if (!Objects.equals(first.ids().dstId(), r.ids().dstId())) {
            reporter.warn("default peer dstid mismatch");
        }
    }

    private static String name(Host h) {
        return h == null ? null : h.name();
    }

    /**
     * add_sabundle(): the first SA of a bundle between two hosts starts a chain;
     * each later one is linked to the previous by a bundle rule.
     */
    void bundle(SaRule r, String bundleName) {
        for (Bundle b : bundles) {
            if (b.src.equals(r.src().name()) && b.dst.equals(r.dst().name()) && b.name.equals(bundleName)) {
                SaRule last = b.last;
                b.last = r;
                add(new SaBundleRule(nextNumber(), last.dst(), last.saType(), last.spi(),
                        r.dst(), r.saType(), r.spi()));
                return;
            }
        }
        bundles.add(new Bundle(r, bundleName));
    }
}
