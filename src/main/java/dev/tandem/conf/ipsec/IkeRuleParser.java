package dev.tandem.conf.ipsec;

import dev.tandem.net.IpAddress;
import static dev.tandem.conf.ipsec.TokenKind.*;

import java.util.List;

/**
 * The ike rules of ipsec.conf: "ike [mode] [esp|ah] [tunnel|transport]
 * [proto] from ... to ... [peer/local] [main|aggressive ...] [quick ...]
 * [srcid/dstid] [psk|rsa] [tag]" and the route-based "ike interface secN".
 * Part of {@link Parser}, whose token stream and shared pieces it uses.
 */
final class IkeRuleParser {

    private final Parser p;

    IkeRuleParser(Parser parser) {
        this.p = parser;
    }

    void rule() {
        p.take();
        IkeMode mode = ikeMode();
        if (p.at(INTERFACE)) {
            interfaceIkeRule(mode);
            return;
        }
        SaType saType = p.saType();
        TunnelMode tmode = p.tunnelMode();
        int proto = p.proto();
        HostsSpec h = p.hosts();
        PeersSpec peers = p.peers();
        Phase p1 = phase1();
        Phase p2 = phase2();
        Ids ids = p.ids();
        IkeAuth auth = ikeAuth();
        String tag = null;
        if (p.at(TAG)) {
            p.take();
            tag = p.expect(STRING).text();
        } else {
            p.requireNewline();
        }
        createIke(proto, h, p1, p2, saType, tmode, mode, ids, auth, tag, null, peers);
        p.expectChar('\n');
    }

    /** "ike interface secN ...": route-based IPsec; selectors are 0.0.0.0/0 both ways. */
    private void interfaceIkeRule(IkeMode mode) {
        p.take();
        String name = p.expect(STRING).text();
        long unit = secUnit(name);
        PeersSpec peers = p.peers();
        Phase p1 = phase1();
        Phase p2 = phase2();
        Ids ids = p.ids();
        boolean authWritten = p.at(RSA) || p.at(PSK);
        IkeAuth auth = ikeAuth();
        if (!authWritten) {
            p.requireNewline();
        }
        Host all = new Host(IpAddress.zero(IpAddress.Family.INET), 0, true, "0.0.0.0/0", null);
        HostsSpec h = new HostsSpec(List.of(all), 0, List.of(all), 0);
        createIke(0, h, p1, p2, SaType.ESP, TunnelMode.TUNNEL, mode, ids, auth, null, unit, peers);
        p.expectChar('\n');
    }

    private long secUnit(String name) {
        String prefix = "sec";
        if (name.length() <= prefix.length() || !name.startsWith(prefix)) {
            p.reporter.error("invalid " + prefix + " interface name");
            throw Parser.REJECT;
        }
        CNum.StrToNum n = CNum.strtonum(name.substring(prefix.length()), 0, 0xffffffffL);
        if (n.error() != null) {
            p.reporter.error("invalid " + prefix + " interface unit: " + n.error());
            throw Parser.REJECT;
        }
        return n.value();
    }

    private void createIke(int proto, HostsSpec h, Phase p1, Phase p2, SaType saType, TunnelMode tmode,
                           IkeMode mode, Ids ids, IkeAuth auth, String tag, Long iface, PeersSpec peers) {
        if ((h.srcPort() != 0 || h.dstPort() != 0) && proto != 6 && proto != 17) {
            p.reporter.error("no protocol supplied with source/destination ports");
            throw Parser.REJECT;
        }
        Transforms x2 = p2.transforms();
        if (x2 != null && x2.enc() != null && x2.enc().aead() && x2.auth() != null) {
            p.reporter.error("authentication is implicit for " + x2.enc().keyword());
            throw Parser.REJECT;
        }
        p.expander.expand(h.src(), h.dst(), 1, (src, dst) -> {
            RuleExpander.Endpoints e = p.expander.endpoints(peers, src, dst, false, false);
            IkeRule r = new IkeRule(p.expander.nextNumber(), mode, saType, tmode, proto, src, h.srcPort(), dst,
                    h.dstPort(), e.local(), e.peer(), p1, p2, ids, auth, tag, iface);
            if (r.peer() == null) {
                p.expander.checkDefaultPeer(r);
            }
            p.expander.add(r);
            return true;
        });
    }

    private IkeMode ikeMode() {
        IkeMode m = switch (p.peek().kind()) {
            case PASSIVE -> IkeMode.PASSIVE;
            case DYNAMIC -> IkeMode.DYNAMIC;
            case ACTIVE -> IkeMode.ACTIVE;
            default -> null;
        };
        if (m == null) {
            return IkeMode.ACTIVE;
        }
        p.take();
        return m;
    }

    private Phase phase1() {
        Phase1Exchange ex;
        if (p.at(MAIN)) {
            ex = Phase1Exchange.MAIN;
        } else if (p.at(AGGRESSIVE)) {
            ex = Phase1Exchange.AGGRESSIVE;
        } else {
            return new Phase(Phase1Exchange.MAIN, null, null);
        }
        p.take();
        Transforms xfs = p.transforms();
        return new Phase(ex, xfs, lifetime());
    }

    private Phase phase2() {
        if (!p.at(QUICK)) {
            return new Phase(null, null, null);
        }
        p.take();
        Transforms xfs = p.transforms();
        return new Phase(null, xfs, lifetime());
    }

    private Lifetime lifetime() {
        if (!p.at(LIFETIME)) {
            return null;
        }
        p.take();
        Token t = p.peek();
        if (t.is(NUMBER)) {
            p.take();
            if (t.number() < 0 || t.number() > Integer.MAX_VALUE) {
                p.reporter.error("lifetime outside range");
                throw Parser.REJECT;
            }
            return new Lifetime((int) t.number());
        }
        if (t.is(STRING)) {
            p.take();
            return parseLife(t.text());
        }
        throw Parser.SYNTAX;
    }

    /** parse_life(): seconds, or a number with an m (minutes) or h (hours) suffix. */
    private Lifetime parseLife(String s) {
        int i = 0;
        while (i < s.length() && Ctype.isSpace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < s.length() && Ctype.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == digits || i - digits > 9) {
            p.reporter.error("invalid time specification: " + s);
            throw Parser.REJECT;
        }
        long seconds = Long.parseLong(s.substring(start, i).replace("+", ""));
        if (i < s.length()) {
            char unit = Character.toLowerCase(s.charAt(i));
            if (unit == 'm') {
                seconds *= 60;
            } else if (unit == 'h') {
                seconds *= 3600;
            } else {
                p.reporter.error("invalid time unit: " + s);
                throw Parser.REJECT;
            }
        }
        if (seconds < 0 || seconds > Integer.MAX_VALUE) {
            p.reporter.error("lifetime outside range");
            throw Parser.REJECT;
        }
        return new Lifetime((int) seconds);
    }

    private IkeAuth ikeAuth() {
        if (p.at(RSA)) {
            p.take();
            return IkeAuth.RSA;
        }
        if (p.at(PSK)) {
            p.take();
            return new IkeAuth(p.expect(STRING).text());
        }
        return IkeAuth.RSA;
    }
}
