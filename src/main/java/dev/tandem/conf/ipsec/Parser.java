package dev.tandem.conf.ipsec;

import static dev.tandem.conf.ipsec.TokenKind.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The ipsec.conf grammar, written as a recursive-descent parser that keeps
 * the observable behaviour of ipsecctl's yacc parser: each rule's action runs
 * at the point yacc would reduce it (so errors name the same line and rules
 * are printed before an error found after them), and after a syntax error the
 * rest of the line is skipped and further "syntax error" messages are held
 * back until three tokens have been read cleanly.
 */
final class Parser {

    /** Control flow for yacc's error paths; carries no stack trace. */
    private static final class YyError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean syntax;

        YyError(boolean syntax) {
            super(null, null, false, false);
            this.syntax = syntax;
        }
    }

    private static final YyError SYNTAX = new YyError(true);
    /** YYERROR: the action has reported the problem itself. */
    private static final YyError REJECT = new YyError(false);

    private final Lexer lexer;
    private final Reporter reporter;
    private final Macros macros;
    private final HostLookup hosts;
    private final NetDb netdb;
    private final ConfFiles files;
    private final ParseLimits limits;
    private final RuleExpander expander;
    private final RuleSink sink;

    private Token lookahead;
    private int errflag;

    Parser(Lexer lexer, Reporter reporter, Macros macros, HostLookup hosts, NetDb netdb,
           ConfFiles files, ParseLimits limits, RuleSink sink) {
        this.lexer = lexer;
        this.reporter = reporter;
        this.macros = macros;
        this.hosts = hosts;
        this.netdb = netdb;
        this.files = files;
        this.limits = limits;
        this.sink = sink;
        this.expander = new RuleExpander(reporter, sink, limits);
    }

    List<IpsecRule> rules() {
        return expander.rules();
    }

    // ---- token plumbing -------------------------------------------------

    private Token peek() {
        if (lookahead == null) {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    private Token take() {
        Token t = peek();
        lookahead = null;
        if (errflag > 0) {
            errflag--;
        }
        return t;
    }

    private boolean at(TokenKind k) {
        return peek().is(k);
    }

    private Token expect(TokenKind k) {
        if (!at(k)) {
            throw SYNTAX;
        }
        return take();
    }

    private void expectChar(int c) {
        if (!peek().isChar(c)) {
            throw SYNTAX;
        }
        take();
    }

    /** A rule ending in an empty optional part is reduced only on a newline. */
    private void requireNewline() {
        if (!peek().isNewline()) {
            throw SYNTAX;
        }
    }

    // ---- driver ---------------------------------------------------------

    void parse() {
        while (!at(EOF)) {
            try {
                statement();
            } catch (YyError e) {
                if (e.syntax && errflag == 0) {
                    reporter.error("syntax error");
                }
                errflag = 3;
                if (!skipLine()) {
                    lexer.file().errors++;
                    break;
                }
                lexer.file().errors++;
            }
        }
        lexer.closeAll();
    }

    /** Error recovery: drop tokens up to and including the next newline; false at end of input. */
    private boolean skipLine() {
        while (true) {
            Token t = peek();
            if (t.isNewline()) {
                take();
                return true;
            }
            if (t.is(EOF)) {
                return false;
            }
            lookahead = null;
        }
    }

    private void statement() {
        Token t = peek();
        switch (t.kind()) {
            case CHAR -> {
                if (!t.isNewline()) {
                    throw SYNTAX;
                }
                take();
            }
            case INCLUDE -> include();
            case IKE -> ikeRule();
            case FLOW -> flowRule();
            case TCPMD5 -> tcpmd5Rule();
            case ESP, AH, IPCOMP, IPIP, TUNNEL, TRANSPORT, FROM, TO -> saRule();
            case STRING -> varset();
            default -> throw SYNTAX;
        }
    }

    // ---- include and macros ---------------------------------------------

    private void include() {
        take();
        String name = expect(STRING).text();
        if (lexer.includeDepth() >= limits.maxIncludeDepth()) {
            reporter.error("include nested deeper than " + limits.maxIncludeDepth() + ": " + name);
            throw REJECT;
        }
        SourceFile f;
        try {
            String identity = files.identity(name);
            if (lexer.isOpen(identity)) {
                reporter.error("include loop: " + name);
                throw REJECT;
            }
            f = new SourceFile(name, identity, files.read(name, limits.maxFileBytes()), 0);
        } catch (IOException e) {
            reporter.program("pushfile: " + name + ": " + Errno.describe(e));
            reporter.error("failed to include file " + name);
            throw REJECT;
        }
        lexer.include(f);
        lexer.lungetc('\n');
        expectChar('\n');
    }

    private void varset() {
        String name = take().text();
        expectChar('=');
        StringBuilder value = new StringBuilder(expect(STRING).text());
        while (at(STRING)) {
            value.append(' ').append(take().text());
        }
        requireNewline();
        sink.macro(name, value.toString());
        for (int i = 1; i < name.length(); i++) {
            if (Ctype.isSpace(name.charAt(i))) {
                reporter.error("macro name cannot contain whitespace");
                throw REJECT;
            }
        }
        if (value.length() > limits.maxMacroValue()) {
            reporter.error("macro value longer than " + limits.maxMacroValue() + " characters");
            throw REJECT;
        }
        macros.define(name, value.toString(), false);
        take();
    }

    // ---- flow rules -----------------------------------------------------

    private void flowRule() {
        take();
        SaType saType = saType();
        Direction dir = direction();
        int proto = proto();
        HostsSpec h = hosts();
        PeersSpec peers = peers();
        Ids ids = ids();
        FlowType type = flowType();
        if (type == null) {
            requireNewline();
        }

        if ((h.srcPort() != 0 || h.dstPort() != 0) && proto != 6 && proto != 17) {
            reporter.error("no protocol supplied with source/destination ports");
            throw REJECT;
        }
        if (type == null) {
            type = saType == SaType.IPCOMP || saType == SaType.IPIP ? FlowType.USE : FlowType.REQUIRE;
        }
        boolean noPeer = type == FlowType.DENY || type == FlowType.BYPASS;
        Ids flowIds = noPeer ? null : ids;
        Direction first = dir == null ? Direction.OUT : dir;
        FlowType ft = type;
        expander.expand(h.src(), h.dst(), (src, dst) -> {
            Host local = null;
            Host peer = null;
            if (!noPeer) {
                RuleExpander.Endpoints e = expander.endpoints(peers, src, dst, first == Direction.IN, true);
                if (e == null) {
                    return false;
                }
                local = e.local();
                peer = e.peer();
            }
            expander.add(new FlowRule(expander.nextNumber(), saType, first, proto, src, h.srcPort(),
                    dst, h.dstPort(), local, peer, flowIds, ft));
            if (dir == null) {
                expander.add(new FlowRule(expander.nextNumber(), saType, first.reverse(), proto, dst,
                        h.dstPort(), src, h.srcPort(), local, peer, flowIds, ft));
            }
            return true;
        });
        expectChar('\n');
    }

    private SaType saType() {
        SaType t = switch (peek().kind()) {
            case ESP -> SaType.ESP;
            case AH -> SaType.AH;
            case IPCOMP -> SaType.IPCOMP;
            case IPIP -> SaType.IPIP;
            default -> null;
        };
        if (t == null) {
            return SaType.ESP;
        }
        take();
        return t;
    }

    /** null when not written: the rule then covers both directions. */
    private Direction direction() {
        if (at(IN)) {
            take();
            return Direction.IN;
        }
        if (at(OUT)) {
            take();
            return Direction.OUT;
        }
        return null;
    }

    private int proto() {
        if (!at(PROTO)) {
            return 0;
        }
        take();
        Token t = peek();
        switch (t.kind()) {
            case ESP -> {
                take();
                return 50;
            }
            case AH -> {
                take();
                return 51;
            }
            case STRING -> {
                take();
                Optional<Integer> p = netdb.protocolNumber(t.text());
                if (p.isEmpty()) {
                    reporter.error("unknown protocol: " + t.text());
                    throw REJECT;
                }
                return p.get();
            }
            case NUMBER -> {
                take();
                if (t.number() > 255 || t.number() < 0) {
                    reporter.error("protocol outside range");
                    throw REJECT;
                }
                return (int) t.number();
            }
            default -> throw SYNTAX;
        }
    }

    private TunnelMode tunnelMode() {
        if (at(TUNNEL)) {
            take();
            return TunnelMode.TUNNEL;
        }
        if (at(TRANSPORT)) {
            take();
            return TunnelMode.TRANSPORT;
        }
        return TunnelMode.TUNNEL;
    }

    private HostsSpec hosts() {
        HostsSpec h;
        if (at(FROM)) {
            take();
            List<HostSpec> src = host();
            int sport = port();
            expect(TO);
            List<HostSpec> dst = host();
            int dport = port();
            h = new HostsSpec(src, sport, dst, dport);
        } else if (at(TO)) {
            take();
            List<HostSpec> dst = host();
            int dport = port();
            expect(FROM);
            List<HostSpec> src = host();
            int sport = port();
            h = new HostsSpec(src, sport, dst, dport);
        } else {
            throw SYNTAX;
        }
        for (HostSpec d : h.dst()) {
            if (d instanceof Host host && host.sourceNat() != null) {
                reporter.error("no flow NAT support for destination network: " + host.name());
                throw REJECT;
            }
        }
        return h;
    }

    private List<HostSpec> host() {
        Token t = peek();
        if (t.is(STRING)) {
            List<Host> spec = hostSpec();
            if (!peek().isChar('(')) {
                return new ArrayList<>(spec);
            }
            take();
            List<Host> nat = hostSpec();
            expectChar(')');
            if (nat.getFirst().family() != spec.getFirst().family()) {
                reporter.error("Flow NAT address family mismatch");
                throw REJECT;
            }
            List<HostSpec> out = new ArrayList<>(spec);
            out.set(0, spec.getFirst().withSourceNat(nat.getFirst()));
            return out;
        }
        if (t.is(ANY)) {
            take();
            return new ArrayList<>(List.of(new AnyHost()));
        }
        if (t.isChar('{')) {
            take();
            List<HostSpec> list = host();
            while (true) {
                if (peek().isChar(',')) {
                    take();
                    list.addAll(host());
                } else if (at(STRING) || at(ANY) || peek().isChar('{')) {
                    list.addAll(host());
                } else {
                    break;
                }
            }
            expectChar('}');
            return list;
        }
        throw SYNTAX;
    }

    private List<Host> hostSpec() {
        String text = expect(STRING).text();
        if (peek().isChar('/')) {
            take();
            text = text + "/" + expect(NUMBER).number();
        }
        return lookup(text);
    }

    private List<Host> lookup(String text) {
        Optional<List<Host>> found = hosts.host(text);
        if (found.isEmpty()) {
            reporter.error("could not parse host specification");
            throw REJECT;
        }
        return found.get();
    }

    private int port() {
        if (!at(PORT)) {
            return 0;
        }
        take();
        Token t = peek();
        if (t.is(STRING)) {
            take();
            Optional<Integer> p = netdb.servicePort(t.text(), "tcp").or(() -> netdb.servicePort(t.text(), "udp"));
            if (p.isEmpty()) {
                reporter.error("unknown port: " + t.text());
                throw REJECT;
            }
            return p.get();
        }
        if (t.is(NUMBER)) {
            take();
            if (t.number() > 0xffff || t.number() < 0) {
                reporter.error("port outside range");
                throw REJECT;
            }
            return (int) t.number();
        }
        throw SYNTAX;
    }

    private PeersSpec peers() {
        if (at(PEER)) {
            take();
            HostSpec peer = anyHost();
            Host local = null;
            if (at(LOCAL)) {
                take();
                local = singleHost();
            }
            return new PeersSpec(peer, local);
        }
        if (at(LOCAL)) {
            take();
            Host local = singleHost();
            HostSpec peer = null;
            if (at(PEER)) {
                take();
                peer = anyHost();
            }
            return new PeersSpec(peer, local);
        }
        return PeersSpec.NONE;
    }

    private HostSpec anyHost() {
        if (at(ANY)) {
            take();
            return new AnyHost();
        }
        return singleHost();
    }

    /** A single host name or address; nothing written gives null. */
    private Host singleHost() {
        if (!at(STRING)) {
            return null;
        }
        return lookup(take().text()).getFirst();
    }

    private Ids ids() {
        if (at(SRCID)) {
            take();
            String src = expect(STRING).text();
            String dst = null;
            if (at(DSTID)) {
                take();
                dst = expect(STRING).text();
            }
            return new Ids(src, dst);
        }
        if (at(DSTID)) {
            take();
            return new Ids(null, expect(STRING).text());
        }
        return Ids.NONE;
    }

    private FlowType flowType() {
        if (!at(TYPE)) {
            return null;
        }
        take();
        FlowType t = switch (peek().kind()) {
            case USE -> FlowType.USE;
            case ACQUIRE -> FlowType.ACQUIRE;
            case REQUIRE -> FlowType.REQUIRE;
            case DENY -> FlowType.DENY;
            case BYPASS -> FlowType.BYPASS;
            case DONTACQ -> FlowType.DONTACQ;
            default -> throw SYNTAX;
        };
        take();
        return t;
    }

    // ---- manual SAs -----------------------------------------------------

    private record SpiPair(long out, long in) { }

    private record KeyPair(Key out, Key in) { }

    private void saRule() {
        SaType saType = saType();
        TunnelMode mode = tunnelMode();
        HostsSpec h = hosts();
        SpiPair spis = spi();
        SaRule.UdpEncap encap = udpEncap();
        Transforms xfs = transforms();
        KeyPair auth = keySpec(AUTHKEY);
        KeyPair enc = keySpec(ENCKEY);
        String bundle = bundle();
        if (bundle == null) {
            requireNewline();
        }

        Key authOut = auth == null ? null : auth.out();
        Key encOut = enc == null ? null : enc.out();
        Transforms valid = SaValidation.validate(reporter, spis.out(), saType, xfs, authOut, encOut);
        if (valid == null) {
            throw REJECT;
        }
        expandSa(saType, mode, h, spis, encap, valid, authOut, encOut,
                auth == null ? null : auth.in(), enc == null ? null : enc.in(), bundle, "sarule");
        expectChar('\n');
    }

    private void tcpmd5Rule() {
        take();
        HostsSpec h = hosts();
        SpiPair spis = spi();
        KeyPair auth = keySpec(AUTHKEY);
        if (auth == null) {
            requireNewline();
        }
        Key out = auth == null ? null : auth.out();
        if (SaValidation.validate(reporter, spis.out(), SaType.TCPMD5, Transforms.EMPTY, out, null) == null) {
            throw REJECT;
        }
        expandSa(SaType.TCPMD5, TunnelMode.TRANSPORT, h, spis, null, null, out, null,
                auth == null ? null : auth.in(), null, null, "tcpmd5rule");
        expectChar('\n');
    }

    private void expandSa(SaType saType, TunnelMode mode, HostsSpec h, SpiPair spis, SaRule.UdpEncap encap,
                          Transforms xfs, Key authOut, Key encOut, Key authIn, Key encIn, String bundle,
                          String what) {
        Spi spiOut = new Spi((int) spis.out());
        expander.expand(h.src(), h.dst(), (src, dst) -> {
            SaRule r = new SaRule(expander.nextNumber(), saType, mode, src, dst, spiOut, encap, xfs, authOut, encOut);
            expander.add(r);
            if (bundle != null) {
                expander.bundle(r, bundle);
            }
            if (spis.in() != 0 || authIn != null || encIn != null) {
                Transforms rx = SaValidation.validate(reporter, spis.in(), saType,
                        xfs == null ? Transforms.EMPTY : xfs, authIn, encIn);
                if (rx == null) {
                    // OpenBSD gives up here ("sarule: expand_rule")
                    throw new ConfigAbort(what + ": expand_rule");
                }
                SaRule rev = new SaRule(expander.nextNumber(), saType, mode, dst, src, new Spi((int) spis.in()),
                        encap, xfs, authIn, encIn);
                expander.add(rev);
                if (bundle != null) {
                    expander.bundle(rev, bundle);
                }
            }
            return true;
        });
    }

    private SpiPair spi() {
        expect(SPI);
        Token t = peek();
        if (t.is(STRING)) {
            take();
            String s = t.text();
            int colon = s.indexOf(':');
            long in = 0;
            if (colon >= 0) {
                in = atospi(s.substring(colon + 1));
                s = s.substring(0, colon);
            }
            return new SpiPair(atospi(s), in);
        }
        if (t.is(NUMBER)) {
            take();
            long n = t.number();
            if (n > 0xffffffffL || n < 0) {
                reporter.error(n + " not a valid spi");
                throw REJECT;
            }
            if (Spi.reserved(n)) {
                reporter.error(n + " within reserved spi range");
                throw REJECT;
            }
            return new SpiPair(n, 0);
        }
        throw SYNTAX;
    }

    private long atospi(String s) {
        OptionalLong v = CNum.strtoul(s);
        if (v.isEmpty() || s.isEmpty()) {
            // silent in OpenBSD; Tandem says which value it could not read
            reporter.error(s + " not a valid spi");
            throw REJECT;
        }
        long n = v.getAsLong();
        if (Long.compareUnsigned(n, 0xffffffffL) > 0) {
            reporter.error(Long.toUnsignedString(n) + " not a valid spi");
            throw REJECT;
        }
        if (Spi.reserved(n)) {
            reporter.error(n + " within reserved spi range");
            throw REJECT;
        }
        return n;
    }

    private SaRule.UdpEncap udpEncap() {
        if (!at(UDPENCAP)) {
            return null;
        }
        take();
        if (!at(PORT)) {
            return new SaRule.UdpEncap(0);
        }
        take();
        long port = expect(NUMBER).number();
        if (port < 0 || port > 0xffff) {
            reporter.error("port outside range");
            throw REJECT;
        }
        return new SaRule.UdpEncap((int) port);
    }

    private Transforms transforms() {
        Transforms xfs = Transforms.EMPTY;
        while (true) {
            TokenKind k = peek().kind();
            if (k != AUTHXF && k != ENCXF && k != COMPXF && k != GROUP) {
                return xfs;
            }
            take();
            String name = expect(STRING).text();
            xfs = switch (k) {
                case AUTHXF -> xfs.withAuth(transform(xfs.auth(), "auth", name, AuthAlgorithm::byPrefix));
                case ENCXF -> xfs.withEnc(transform(xfs.enc(), "enc", name, EncAlgorithm::byPrefix));
                case COMPXF -> xfs.withComp(transform(xfs.comp(), "comp", name, CompAlgorithm::byPrefix));
                default -> xfs.withGroup(transform(xfs.group(), "group", name, DhGroup::byPrefix));
            };
        }
    }

    /**
     * One "auth/enc/comp/group NAME": a second one of a kind is an error and
     * leaves the first; an unknown name is an error and leaves it unset.
     */
    private <T> T transform(T current, String kind, String name, Function<String, Optional<T>> lookup) {
        if (current != null) {
            reporter.error(kind + " already set");
            return current;
        }
        Optional<T> found = lookup.apply(name);
        if (found.isEmpty()) {
            reporter.error(name + " not a valid transform");
        }
        return found.orElse(null);
    }

    private KeyPair keySpec(TokenKind keyword) {
        if (!at(keyword)) {
            return null;
        }
        take();
        Token t = peek();
        if (t.is(STRING)) {
            take();
            String s = t.text();
            int colon = s.indexOf(':');
            Key in = null;
            if (colon >= 0) {
                in = hexKey(strip0x(s.substring(colon + 1)));
                s = s.substring(0, colon);
            }
            return new KeyPair(hexKey(strip0x(s)), in);
        }
        if (t.is(FILENAME)) {
            take();
            String s = expect(STRING).text();
            int colon = s.indexOf(':');
            Key in = null;
            if (colon >= 0) {
                in = keyFile(s.substring(colon + 1));
                s = s.substring(0, colon);
            }
            return new KeyPair(keyFile(s), in);
        }
        throw SYNTAX;
    }

    private static String strip0x(String s) {
        return s.startsWith("0x") ? s.substring(2) : s;
    }

    /** parsekey(): two hex digits a byte; a bad pair is reported and reads as 0xff. */
    private Key hexKey(String hex) {
        return new Key(hexBytes(hex, hex.length()));
    }

    private byte[] hexBytes(CharSequence hex, int len) {
        if (len % 2 != 0 && !Ctype.isSpace(hex.charAt(len - 1))) {
            reporter.warn("key has an odd number of hex digits, the last one is ignored");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            char a = hex.charAt(2 * i);
            char b = hex.charAt(2 * i + 1);
            if (!Ctype.isXdigit(a) || !Ctype.isXdigit(b)) {
                reporter.error("keys need to be specified in hex digits");
                out[i] = (byte) 0xff;
            } else {
                out[i] = (byte) (Character.digit(a, 16) << 4 | Character.digit(b, 16));
            }
        }
        return out;
    }

    /** parsekeyfile(): the whole file is the hex key (a trailing newline is the odd byte). */
    private Key keyFile(String name) {
        byte[] data;
        try {
            data = files.read(name, 1025);
        } catch (IOException e) {
            reporter.error("cannot read key file " + name + ": " + Errno.describe(e));
            throw REJECT;
        }
        if (data.length > 1024 || data.length == 0) {
            reporter.error(name + ": key too " + (data.length > 0 ? "large" : "small"));
            throw REJECT;
        }
        StringBuilder hex = new StringBuilder(data.length);
        for (byte b : data) {
            hex.append((char) (b & 0xff));
        }
        return new Key(hexBytes(hex, hex.length()));
    }

    private String bundle() {
        if (!at(BUNDLE)) {
            return null;
        }
        take();
        return expect(STRING).text();
    }

    // ---- ike rules ------------------------------------------------------

    private void ikeRule() {
        take();
        IkeMode mode = ikeMode();
        if (at(INTERFACE)) {
            interfaceIkeRule(mode);
            return;
        }
        SaType saType = saType();
        TunnelMode tmode = tunnelMode();
        int proto = proto();
        HostsSpec h = hosts();
        PeersSpec peers = peers();
        Phase p1 = phase1();
        Phase p2 = phase2();
        Ids ids = ids();
        IkeAuth auth = ikeAuth();
        String tag = null;
        if (at(TAG)) {
            take();
            tag = expect(STRING).text();
        } else {
            requireNewline();
        }
        createIke(proto, h, p1, p2, saType, tmode, mode, ids, auth, tag, null, peers);
        expectChar('\n');
    }

    /** "ike interface secN ...": route-based IPsec; selectors are 0.0.0.0/0 both ways. */
    private void interfaceIkeRule(IkeMode mode) {
        take();
        String name = expect(STRING).text();
        long unit = secUnit(name);
        PeersSpec peers = peers();
        Phase p1 = phase1();
        Phase p2 = phase2();
        Ids ids = ids();
        boolean authWritten = at(RSA) || at(PSK);
        IkeAuth auth = ikeAuth();
        if (!authWritten) {
            requireNewline();
        }
        Host all = new Host(IpAddress.zero(IpAddress.Family.INET), 0, true, "0.0.0.0/0", null);
        HostsSpec h = new HostsSpec(List.of(all), 0, List.of(all), 0);
        createIke(0, h, p1, p2, SaType.ESP, TunnelMode.TUNNEL, mode, ids, auth, null, unit, peers);
        expectChar('\n');
    }

    private long secUnit(String name) {
        String prefix = "sec";
        if (name.length() <= prefix.length() || !name.startsWith(prefix)) {
            reporter.error("invalid " + prefix + " interface name");
            throw REJECT;
        }
        CNum.StrToNum n = CNum.strtonum(name.substring(prefix.length()), 0, 0xffffffffL);
        if (n.error() != null) {
            reporter.error("invalid " + prefix + " interface unit: " + n.error());
            throw REJECT;
        }
        return n.value();
    }

    private void createIke(int proto, HostsSpec h, Phase p1, Phase p2, SaType saType, TunnelMode tmode,
                           IkeMode mode, Ids ids, IkeAuth auth, String tag, Long iface, PeersSpec peers) {
        if ((h.srcPort() != 0 || h.dstPort() != 0) && proto != 6 && proto != 17) {
            reporter.error("no protocol supplied with source/destination ports");
            throw REJECT;
        }
        Transforms x2 = p2.transforms();
        if (x2 != null && x2.enc() != null && x2.enc().aead() && x2.auth() != null) {
            reporter.error("authentication is implicit for " + x2.enc().keyword());
            throw REJECT;
        }
        expander.expand(h.src(), h.dst(), (src, dst) -> {
            RuleExpander.Endpoints e = expander.endpoints(peers, src, dst, false, false);
            IkeRule r = new IkeRule(expander.nextNumber(), mode, saType, tmode, proto, src, h.srcPort(), dst,
                    h.dstPort(), e.local(), e.peer(), p1, p2, ids, auth, tag, iface);
            if (r.peer() == null) {
                expander.checkDefaultPeer(r);
            }
            expander.add(r);
            return true;
        });
    }

    private IkeMode ikeMode() {
        IkeMode m = switch (peek().kind()) {
            case PASSIVE -> IkeMode.PASSIVE;
            case DYNAMIC -> IkeMode.DYNAMIC;
            case ACTIVE -> IkeMode.ACTIVE;
            default -> null;
        };
        if (m == null) {
            return IkeMode.ACTIVE;
        }
        take();
        return m;
    }

    private Phase phase1() {
        Phase1Exchange ex;
        if (at(MAIN)) {
            ex = Phase1Exchange.MAIN;
        } else if (at(AGGRESSIVE)) {
            ex = Phase1Exchange.AGGRESSIVE;
        } else {
            return new Phase(Phase1Exchange.MAIN, null, null);
        }
        take();
        Transforms xfs = transforms();
        return new Phase(ex, xfs, lifetime());
    }

    private Phase phase2() {
        if (!at(QUICK)) {
            return new Phase(null, null, null);
        }
        take();
        Transforms xfs = transforms();
        return new Phase(null, xfs, lifetime());
    }

    private Lifetime lifetime() {
        if (!at(LIFETIME)) {
            return null;
        }
        take();
        Token t = peek();
        if (t.is(NUMBER)) {
            take();
            if (t.number() < 0 || t.number() > Integer.MAX_VALUE) {
                reporter.error("lifetime outside range");
                throw REJECT;
            }
            return new Lifetime((int) t.number());
        }
        if (t.is(STRING)) {
            take();
            return parseLife(t.text());
        }
        throw SYNTAX;
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
            reporter.error("invalid time specification: " + s);
            throw REJECT;
        }
        long seconds = Long.parseLong(s.substring(start, i).replace("+", ""));
        if (i < s.length()) {
            char unit = Character.toLowerCase(s.charAt(i));
            if (unit == 'm') {
                seconds *= 60;
            } else if (unit == 'h') {
                seconds *= 3600;
            } else {
                reporter.error("invalid time unit: " + s);
                throw REJECT;
            }
        }
        if (seconds < 0 || seconds > Integer.MAX_VALUE) {
            reporter.error("lifetime outside range");
            throw REJECT;
        }
        return new Lifetime((int) seconds);
    }

    private IkeAuth ikeAuth() {
        if (at(RSA)) {
            take();
            return IkeAuth.RSA;
        }
        if (at(PSK)) {
            take();
            return new IkeAuth(expect(STRING).text());
        }
        return IkeAuth.RSA;
    }
}
