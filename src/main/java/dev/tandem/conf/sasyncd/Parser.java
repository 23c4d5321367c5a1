package dev.tandem.conf.sasyncd;

import dev.tandem.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * sasyncd's grammar over the token stream. OpenBSD's yacc parser stops at
 * the first syntax error; this one reports it, skips to the next word that
 * starts a statement and goes on, so an administrator sees every broken
 * statement at once. The values it collects are only turned into a
 * {@link SasyncdConf} when nothing was wrong.
 */
final class Parser {

    /** A sasyncd.conf is a handful of lines; anything near this is not one. */
    static final int MAX_CHARS = 1 << 20;

    /** IFNAMSIZ - 1 on both Linux and OpenBSD, for interface and group names. */
    private static final int MAX_NAME = 15;

    private static final String KEY_FORMS =
            "16, 24 or 32 characters, or 0x followed by 32, 48 or 64 hex digits";

    private final List<Token> tokens;
    private final int lastLine;
    private final Diagnostics diag;
    private int pos;

    private Placed<String> iface;
    private boolean ifaceSeen;
    private Placed<String> group;
    private Placed<FlushMode> flush;
    private Placed<RunMode> locked;
    private boolean skipSlave;
    private final List<Placed<Listen>> listens = new ArrayList<>();
    private final Map<IpAddress, Integer> peers = new LinkedHashMap<>();
    private Placed<SharedKey> key;
    private boolean keySeen;
    private Placed<ControlTarget> control;

    /** A value with the line it was set on, for "replaces ... from line N" messages. */
    private record Placed<T>(T value, int line) { }

    /** A broken statement: reported, then the parser resumes at the next statement. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Bad(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    Parser(List<Token> tokens, int lastLine, Diagnostics diag) {
        this.tokens = tokens;
        this.lastLine = lastLine;
        this.diag = diag;
    }

    /** The configuration, or null when a problem was reported. */
    SasyncdConf parse() {
        int keyLine = 0;
        while (pos < tokens.size() && !diag.full()) {
            Token t = tokens.get(pos++);
            try {
                if (t.startsStatement()) {
                    statement(t);
                } else {
                    throw stray(t, t.line() == keyLine);
                }
            } catch (Bad b) {
                diag.error(b.line, b.getMessage());
                skipToStatement();
            }
            keyLine = t.is(Keyword.SHAREDKEY) ? t.line() : 0;
        }
        if (!ifaceSeen) {
            diag.error(lastLine, "no interface statement: name the carp interface whose state makes this node"
                    + " master or slave (it is required even with mode master or mode slave)");
        }
        if (!keySeen) {
            diag.error(lastLine, "no sharedkey statement: the peers need a shared key of " + KEY_FORMS);
        }
        if (diag.hasProblems()) {
            return null;
        }
        List<Listen> ls = listens.stream().map(Placed::value).toList();
        return new SasyncdConf(
                iface.value,
                group == null ? SasyncdConf.DEFAULT_GROUP : group.value,
                flush == null ? FlushMode.STARTUP : flush.value,
                ls,
                ls.isEmpty() ? SasyncdConf.DEFAULT_PORT : ls.getFirst().port(),
                locked == null ? RunMode.CARP : locked.value,
                skipSlave,
                List.copyOf(peers.keySet()),
                key.value,
                control == null ? ControlTarget.ISAKMPD : control.value);
    }

    private void statement(Token stmt) throws Bad {
        switch (stmt.keyword()) {
            case INTERFACE -> iface(stmt);
            case GROUP -> group(stmt);
            case FLUSHMODE -> flushmode(stmt);
            case LISTEN -> listen(stmt);
            case MODE -> mode(stmt);
            case PEER -> peer(stmt);
            case SHAREDKEY -> sharedkey(stmt);
            case CONTROL -> control(stmt);
            default -> throw new IllegalStateException("not a statement: " + stmt.keyword());
        }
    }

    private void iface(Token stmt) throws Bad {
        ifaceSeen = true;
        String what = "the name of the carp interface";
        Token t = string(stmt, argument(stmt, what), what);
        interfaceName(t, "interface");
        if (iface != null && !iface.value.equals(t.text())) {
            diag.warn(t.line(), "interface is set again: '" + t.shown() + "' replaces the one from line "
                    + iface.line);
        }
        iface = new Placed<>(t.text(), t.line());
    }

    private void group(Token stmt) throws Bad {
        String what = "the name of an interface group";
        Token t = string(stmt, argument(stmt, what), what);
        if (t.text().length() > MAX_NAME) {
            throw new Bad(t.line(), "group name '" + t.shown() + "' is longer than " + MAX_NAME
                    + " characters, the limit for interface group names");
        }
        if (group != null && !group.value.equals(t.text())) {
            diag.warn(t.line(), "group is set again: '" + t.shown() + "' replaces the one from line " + group.line);
        }
        group = new Placed<>(t.text(), t.line());
    }

    private void flushmode(Token stmt) throws Bad {
        String what = "sync, startup or never";
        Token t = argument(stmt, what);
        FlushMode m;
        if (t.is(Keyword.SYNC)) {
            m = FlushMode.SYNC;
        } else if (t.is(Keyword.STARTUP)) {
            m = FlushMode.STARTUP;
        } else if (t.is(Keyword.NEVER)) {
            m = FlushMode.NEVER;
        } else {
            throw needs(stmt, what, t);
        }
        if (flush != null && flush.value != m) {
            throw new Bad(t.line(), "flushmode " + word(m) + " contradicts flushmode " + word(flush.value)
                    + " on line " + flush.line + "; give flushmode once (OpenBSD would combine the two)");
        }
        flush = new Placed<>(m, t.line());
    }

    private void mode(Token stmt) throws Bad {
        String what = "master, slave or skipslave";
        Token t = argument(stmt, what);
        RunMode m;
        if (t.is(Keyword.SKIPSLAVE)) {
            skipSlave = true;
            return;
        } else if (t.is(Keyword.MASTER)) {
            m = RunMode.MASTER;
        } else if (t.is(Keyword.SLAVE)) {
            m = RunMode.SLAVE;
        } else {
            throw needs(stmt, what, t);
        }
        if (locked != null && locked.value != m) {
            diag.warn(t.line(), "mode " + word(m) + " replaces mode " + word(locked.value) + " from line "
                    + locked.line);
        }
        locked = new Placed<>(m, t.line());
    }

    private void control(Token stmt) throws Bad {
        String what = "isakmpd, iked, all or none";
        Token t = argument(stmt, what);
        // OpenBSD compares these as strings, not keywords, so they stay usable as names elsewhere.
        ControlTarget c = t.kind() != Token.Kind.STRING ? null : switch (t.text()) {
            case "isakmpd" -> ControlTarget.ISAKMPD;
            case "iked" -> ControlTarget.IKED;
            case "all" -> ControlTarget.ALL;
            case "none" -> ControlTarget.NONE;
            default -> null;
        };
        if (c == null) {
            throw needs(stmt, what, t);
        }
        if (control != null && control.value != c) {
            diag.warn(t.line(), "control " + word(c) + " replaces control " + word(control.value) + " from line "
                    + control.line);
        }
        control = new Placed<>(c, t.line());
    }

    private void peer(Token stmt) throws Bad {
        String what = "the peer's numeric IPv4 or IPv6 address";
        Token t = string(stmt, argument(stmt, what), what);
        IpAddress a = numeric(t, "peer");
        if (a.equals(IpAddress.zero(a.family()))) {
            throw new Bad(t.line(), "peer '" + t.shown() + "' is the unspecified address; write the peer's own address");
        }
        Integer first = peers.putIfAbsent(a, t.line());
        if (first != null) {
            throw new Bad(t.line(), "peer '" + t.shown() + "' is the same address as the peer on line " + first
                    + "; list each peer once");
        }
    }

    /**
     * listen on &lt;address|interface&gt; [inet|inet6] [port &lt;n&gt;]. Each statement
     * adds a listener; OpenBSD keeps only the last, but Tandem wants an IPv4 and an
     * IPv6 listener side by side.
     */
    private void listen(Token stmt) throws Bad {
        Token on = argument(stmt, "'on' and an address or interface name");
        if (!on.is(Keyword.ON)) {
            throw new Bad(on.line(), "listen needs 'on' next (listen on <address|interface> [inet|inet6]"
                    + " [port <number>]), but " + found(on));
        }
        String what = "an address or interface name";
        Token where = argument(on, "listen on", what);
        if (where.kind() != Token.Kind.STRING) {
            throw new Bad(where.line(), "listen on needs " + what + ", but " + found(where));
        }
        Optional<IpAddress> address = listenAddress(where);

        Token qualifier = null;
        Listen.Family family = Listen.Family.ANY;
        if (peekIs(Keyword.INET) || peekIs(Keyword.INET6)) {
            qualifier = tokens.get(pos++);
            family = qualifier.is(Keyword.INET) ? Listen.Family.INET : Listen.Family.INET6;
        }
        int port = SasyncdConf.DEFAULT_PORT;
        if (peekIs(Keyword.PORT)) {
            port = port(tokens.get(pos++));
        }
        if (address.isPresent()) {
            Listen.Family own = Listen.of(address.get().family());
            if (qualifier != null && family != own) {
                diag.warn(qualifier.line(), qualifier.text() + " does not apply to the address '" + where.shown()
                        + "' and is ignored; inet and inet6 only choose among an interface's addresses");
            }
            family = own;
        }
        Listen l = new Listen(where.text(), family, port);
        for (Placed<Listen> p : listens) {
            if (sameEndpoint(p.value, l)) {
                throw new Bad(where.line(), "listen on '" + where.shown() + "' repeats the listen statement on line "
                        + p.line);
            }
            if (p.value.port() != port) {
                throw new Bad(where.line(), "listen on '" + where.shown() + "' uses port " + port + " but the listen"
                        + " statement on line " + p.line + " uses port " + p.value.port() + "; all listeners must"
                        + " use the same port, which is also the port used to connect to peers");
            }
        }
        listens.add(new Placed<>(l, where.line()));
    }

    private static boolean sameEndpoint(Listen a, Listen b) {
        if (a.family() != b.family()) {
            return false;
        }
        Optional<IpAddress> x = a.address();
        return x.isPresent() ? x.equals(b.address()) : a.on().equals(b.on());
    }

    /** An address, or empty for an interface name; anything else is a problem. */
    private static Optional<IpAddress> listenAddress(Token t) throws Bad {
        String s = t.text();
        Optional<IpAddress> a = IpAddress.parse(s);
        if (a.isPresent()) {
            return a;
        }
        if (s.indexOf(':') >= 0 || s.indexOf('%') >= 0 || s.indexOf('/') >= 0 || digitsAndDots(s)) {
            numeric(t, "listen on");
        }
        int dot = s.lastIndexOf('.');
        if (dot >= 0 && !digitsAndDots(s.substring(dot + 1))) {
            // A VLAN interface reads "eth0.100"; "gw.example.net" is a host name.
            throw new Bad(t.line(), "listen on '" + t.shown() + "' looks like a host name; host names are not"
                    + " resolved: write a numeric address or an interface name");
        }
        interfaceName(t, "listen on");
        return Optional.empty();
    }

    private int port(Token portWord) throws Bad {
        String what = "a number from 1 to 65535";
        Token t = argument(portWord, what);
        if (t.kind() != Token.Kind.NUMBER) {
            throw needs(portWord, what, t);
        }
        if (!t.allDigits()) {
            throw new Bad(t.line(), "port needs " + what + ", but '" + t.shown() + "' is not a number");
        }
        String text = t.text();
        int start = 0;
        while (start < text.length() - 1 && text.charAt(start) == '0') {
            start++;
        }
        int value = text.length() - start > 5 ? Integer.MAX_VALUE : Integer.parseInt(text.substring(start));
        if (value < 1 || value > 65535) {
            diag.warn(t.line(), "bad port " + t.shown() + ": listen port reset to " + SasyncdConf.DEFAULT_PORT
                    + ", as OpenBSD's sasyncd does (a port is 1 to 65535)");
            return SasyncdConf.DEFAULT_PORT;
        }
        return value;
    }

    /** The key itself is never quoted back: messages give lengths and kinds only. */
    private void sharedkey(Token stmt) throws Bad {
        keySeen = true;
        Token t = argument(stmt, "a key of " + KEY_FORMS);
        byte[] bytes;
        switch (t.kind()) {
            case KEYWORD -> throw new Bad(t.line(), "sharedkey needs a key, but found the keyword '" + t.text()
                    + "', which cannot be a key; use " + KEY_FORMS);
            case NUMBER -> throw new Bad(t.line(), "the sharedkey starts with a digit and contains no '.' or ':',"
                    + " so it is read as a number, not as a key (OpenBSD's sasyncd reads it the same way);"
                    + " write the key in hex as 0x followed by 32, 48 or 64 hex digits");
            case HEX -> {
                bytes = t.hexBytes();
                if (t.hexDigits() % 2 != 0) {
                    diag.warn(t.line(), "the sharedkey has an odd number of hex digits (" + t.hexDigits()
                            + "); the last digit is ignored, as OpenBSD's sasyncd does");
                }
                if (!SharedKey.validLength(bytes.length)) {
                    throw new Bad(t.line(), "the sharedkey is " + bytes.length + " bytes (" + t.hexDigits()
                            + " hex digits); it must be 16, 24 or 32 bytes: 0x followed by 32, 48 or 64 hex digits");
                }
            }
            case STRING -> {
                bytes = t.text().getBytes(StandardCharsets.UTF_8);
                if (!SharedKey.validLength(bytes.length)) {
                    throw new Bad(t.line(), "the sharedkey is " + bytes.length + " bytes long; a key written as"
                            + " text must be exactly 16, 24 or 32 bytes (one per ASCII character), or write it"
                            + " as 0x followed by 32, 48 or 64 hex digits");
                }
                if (t.text().startsWith("0x")) {
                    diag.warn(t.line(), "the sharedkey starts with 0x but is not all hex digits, so its "
                            + bytes.length + " characters are used as a text key, as OpenBSD's sasyncd does");
                }
            }
            default -> throw new IllegalStateException(t.kind().toString());
        }
        if (key != null) {
            diag.warn(t.line(), "sharedkey is set again: this key replaces the one from line " + key.line);
        }
        key = new Placed<>(new SharedKey(bytes), t.line());
        Arrays.fill(bytes, (byte) 0);
    }

    /**
     * A word where a statement should start. Right after a key on the same
     * line it is most likely the rest of a key with a space in it, so it is
     * not quoted.
     */
    private static Bad stray(Token t, boolean afterKey) {
        if (afterKey && t.kind() != Token.Kind.KEYWORD) {
            return new Bad(t.line(), "more text follows the sharedkey where a statement should start; a key is"
                    + " one word without spaces (the text is not shown, it may be part of the key)");
        }
        String statements = Keyword.statements();
        return switch (t.kind()) {
            case HEX -> new Bad(t.line(), "a hex value stands where a statement should start; a statement starts"
                    + " with " + statements);
            case NUMBER -> new Bad(t.line(), "the number '" + t.shown() + "' stands where a statement should start;"
                    + " a statement starts with " + statements);
            case KEYWORD -> new Bad(t.line(), "'" + t.text() + "' cannot start a statement; it belongs "
                    + belongsIn(t.keyword()));
            case STRING -> {
                if (t.text().equals("interval")) {
                    yield new Bad(t.line(), "interval is not a sasyncd.conf statement (OpenBSD's sasyncd rejects"
                            + " it too: the carp interface's state is followed as it changes, not polled);"
                            + " remove it");
                }
                Optional<Keyword> lower = Keyword.of(t.text().toLowerCase(Locale.ROOT));
                if (lower.isPresent()) {
                    yield new Bad(t.line(), "unknown statement '" + t.shown() + "'; keywords are lower case: '"
                            + lower.get().word() + "'");
                }
                yield new Bad(t.line(), "unknown statement '" + t.shown() + "'; a statement starts with "
                        + statements);
            }
        };
    }

    private static String belongsIn(Keyword k) {
        return switch (k) {
            case ON, INET, INET6, PORT -> "in a listen statement: listen on <address|interface> [inet|inet6]"
                    + " [port <number>], in that order";
            case MASTER, SLAVE, SKIPSLAVE -> "after mode: mode master, mode slave or mode skipslave";
            case SYNC, STARTUP, NEVER -> "after flushmode: flushmode sync, flushmode startup or flushmode never";
            default -> throw new IllegalStateException(k.toString());
        };
    }

    /** The next token as the statement's argument; a statement word is left for the next round. */
    private Token argument(Token stmt, String what) throws Bad {
        return argument(stmt, stmt.text(), what);
    }

    private Token argument(Token stmt, String label, String what) throws Bad {
        Token t = pos < tokens.size() ? tokens.get(pos) : null;
        if (t == null || t.startsStatement()) {
            throw new Bad(stmt.line(), label + " needs " + what + ", but " + found(t));
        }
        pos++;
        return t;
    }

    private static Token string(Token stmt, Token t, String what) throws Bad {
        if (t.kind() != Token.Kind.STRING) {
            throw needs(stmt, what, t);
        }
        return t;
    }

    private static Bad needs(Token stmt, String what, Token t) {
        return new Bad(t.line(), stmt.text() + " needs " + what + ", but " + found(t));
    }

    private static String found(Token t) {
        if (t == null) {
            return "the file ends there";
        }
        return switch (t.kind()) {
            case KEYWORD -> t.startsStatement()
                    ? "the next statement (" + t.text() + ") follows"
                    : "found the keyword '" + t.text() + "'";
            case NUMBER -> "found '" + t.shown() + "', which starts with a digit and contains no '.' or ':',"
                    + " so it is read as a number";
            case HEX -> "found '" + t.shown() + "', which is read as a hex value";
            case STRING -> "found '" + t.shown() + "'";
        };
    }

    private boolean peekIs(Keyword k) {
        return pos < tokens.size() && tokens.get(pos).is(k);
    }

    private void skipToStatement() {
        while (pos < tokens.size() && !tokens.get(pos).startsStatement()) {
            pos++;
        }
    }

    /** A numeric address for a peer or listener; a host name gets a message saying why not. */
    private static IpAddress numeric(Token t, String what) throws Bad {
        String s = t.text();
        Optional<IpAddress> a = IpAddress.parse(s);
        if (a.isPresent()) {
            return a.get();
        }
        String quoted = what + " '" + t.shown() + "'";
        if (s.indexOf('%') >= 0) {
            throw new Bad(t.line(), quoted + " has a zone index (%); scoped IPv6 addresses are not supported,"
                    + " use a global or unique local address");
        }
        if (s.indexOf('/') >= 0) {
            throw new Bad(t.line(), quoted + " is a network; write a single address");
        }
        if (s.indexOf(':') >= 0) {
            throw new Bad(t.line(), quoted + " is not a valid IPv6 address");
        }
        if (digitsAndDots(s)) {
            throw new Bad(t.line(), quoted + " is not a valid IPv4 address");
        }
        throw new Bad(t.line(), quoted + " is not a numeric address; host names are not resolved in"
                + " sasyncd.conf: write the IPv4 or IPv6 address");
    }

    private static void interfaceName(Token t, String what) throws Bad {
        String s = t.text();
        if (s.length() > MAX_NAME) {
            throw new Bad(t.line(), what + " '" + t.shown() + "' is longer than " + MAX_NAME
                    + " characters, the limit for interface names");
        }
        if (s.indexOf('/') >= 0 || s.indexOf(':') >= 0 || s.equals(".") || s.equals("..")) {
            throw new Bad(t.line(), what + " '" + t.shown() + "' is not a valid interface name (it may not"
                    + " contain '/' or ':')");
        }
    }

    private static boolean digitsAndDots(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !Token.isDigit(c)) {
                return false;
            }
        }
        return true;
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
