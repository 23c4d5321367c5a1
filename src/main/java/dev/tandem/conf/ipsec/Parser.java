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
 * back until three tokens have been read cleanly. The ike rules are in
 * {@link IkeRuleParser}, key decoding in {@link KeyReader}.
 */
final class Parser {

    /** Control flow for yacc's error paths; carries no stack trace. */
    static final class YyError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean syntax;

        YyError(boolean syntax) {
            super(null, null, false, false);
            this.syntax = syntax;
        }
    }

    static final YyError SYNTAX = new YyError(true);
    /** YYERROR: the action has reported the problem itself. */
    static final YyError REJECT = new YyError(false);

    /**
     * Tokens after which yacc reduces a host name and looks it up: everything
     * that can follow a host anywhere in the grammar (its lookahead set). On
     * any other token the syntax error comes first and no lookup happens.
     */
    private static final java.util.EnumSet<TokenKind> AFTER_HOST = java.util.EnumSet.of(ANY, STRING, PORT, TO, FROM,
            PEER, LOCAL, SRCID, DSTID, TYPE, SPI, MAIN, AGGRESSIVE, QUICK, RSA, PSK, TAG);
    private static final String AFTER_HOST_CHARS = "/()},{\n";

    /** Tokens that can follow "from ... to ..." in any rule: only then does yacc check the hosts. */
    private static final java.util.EnumSet<TokenKind> AFTER_HOSTS = java.util.EnumSet.of(PEER, LOCAL, SRCID, DSTID,
            TYPE, SPI, MAIN, AGGRESSIVE, QUICK, RSA, PSK, TAG);

    private final Lexer lexer;
    final Reporter reporter;
    private final Macros macros;
    private final HostLookup hosts;
    private final NetDb netdb;
    private final ConfFiles files;
    private final ParseLimits limits;
    final RuleExpander expander;
    private final RuleSink sink;
    private final IkeRuleParser ike;
    private final KeyReader keys;

    private Token lookahead;
    private int errflag;
    /** Whether the last "port" part was written; decides when yacc checks a host list. */
    private boolean lastPortWritten;

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
        this.ike = new IkeRuleParser(this);
        this.keys = new KeyReader(reporter, files);
    }

    List<IpsecRule> rules() {
        return expander.rules();
    }

    // ---- token plumbing -------------------------------------------------

    Token peek() {
        if (lookahead == null) {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    Token take() {
        Token t = peek();
        lookahead = null;
        if (errflag > 0) {
            errflag--;
        }
        return t;
    }

    boolean at(TokenKind k) {
        return peek().is(k);
    }

    Token expect(TokenKind k) {
        if (!at(k)) {
            throw SYNTAX;
        }
        return take();
    }

    void expectChar(int c) {
        if (!peek().isChar(c)) {
            throw SYNTAX;
        }
        take();
    }

    /** A rule ending in an empty optional part is reduced only on a newline. */
    void requireNewline() {
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
            case IKE -> ike.rule();
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
            f = new SourceFile(name, identity, files.read(name, limits.maxFileBytes()), 1);
        } catch (IOException e) {
            reporter.program("pushfile: " + name + ": " + Errno.describe(e));
            reporter.error("failed to include file " + name);
            throw REJECT;
        }
        lexer.include(f);
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
        expander.expand(h.src(), h.dst(), dir == null ? 2 : 1, (src, dst) -> {
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

    SaType saType() {
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

    int proto() {
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

    TunnelMode tunnelMode() {
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

    HostsSpec hosts() {
        HostsSpec h;
        if (at(FROM)) {
            take();
            List<HostSpec> src = host();
            int sport = port();
            expect(TO);
            List<HostSpec> dst = host();
            h = new HostsSpec(src, sport, dst, port());
        } else if (at(TO)) {
            take();
            List<HostSpec> dst = host();
            int dport = port();
            expect(FROM);
            List<HostSpec> src = host();
            h = new HostsSpec(src, port(), dst, dport);
        } else {
            throw SYNTAX;
        }
        // without a final "port ...", yacc decides to reduce only on a token that may follow
        if (!lastPortWritten && !AFTER_HOSTS.contains(peek().kind()) && !peek().isNewline()) {
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
        Token next = peek();
        if (next.isChar('/')) {
            take();
            text = text + "/" + expect(NUMBER).number();
        } else if (!AFTER_HOST.contains(next.kind())
                && !(next.is(CHAR) && AFTER_HOST_CHARS.indexOf(next.ch()) >= 0)) {
            throw SYNTAX;
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
        lastPortWritten = at(PORT);
        if (!lastPortWritten) {
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

    PeersSpec peers() {
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

    Ids ids() {
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
        // the SA, its reverse, and a bundle link for each
        expander.expand(h.src(), h.dst(), 4, (src, dst) -> {
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

    Transforms transforms() {
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
                in = keys.hex(s.substring(colon + 1));
                s = s.substring(0, colon);
            }
            return new KeyPair(keys.hex(s), in);
        }
        if (t.is(FILENAME)) {
            take();
            String s = expect(STRING).text();
            int colon = s.indexOf(':');
            Key in = null;
            if (colon >= 0) {
                in = keys.file(s.substring(colon + 1));
                s = s.substring(0, colon);
            }
            return new KeyPair(keys.file(s), in);
        }
        throw SYNTAX;
    }

    private String bundle() {
        if (!at(BUNDLE)) {
            return null;
        }
        take();
        return expect(STRING).text();
    }
}
