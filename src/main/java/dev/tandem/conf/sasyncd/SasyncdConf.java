package dev.tandem.conf.sasyncd;

import dev.tandem.net.IpAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A parsed sasyncd.conf, in OpenBSD's grammar (sasyncd.conf(5)); see
 * docs/sasyncd-conf.md for what is accepted and where Tandem differs.
 *
 * <p>Tandem's deliberate differences, all of them on input OpenBSD mishandles:
 * <ul>
 * <li>several "listen on" statements each add a listener (OpenBSD keeps the
 *     last); they must share one port, because that port is also the one
 *     used to connect to peers;</li>
 * <li>a repeated peer is an error (OpenBSD corrupts its peer list), and a
 *     peer must be a numeric address: host names are rejected with a message,
 *     not resolved, so the parser stays pure and the peer set cannot change
 *     with DNS;</li>
 * <li>two different flushmode statements are an error (OpenBSD ORs their
 *     flag values together);</li>
 * <li>a port with trailing non-digits ("500x") is an error (OpenBSD's strtol
 *     reads 500); port 65535 is accepted (OpenBSD's check resets it);</li>
 * <li>the shared key only seeds HKDF; its 16/24/32 byte rule is kept so that
 *     OpenBSD files read the same.</li>
 * </ul>
 * The lexer's pitfalls that make OpenBSD reject a file (a key starting with
 * a digit read as a number, a value spelled like a keyword) are kept and
 * explained in the message.
 *
 * @param interfaceName the carp interface whose state decides master or slave
 * @param group         interface group demoted while the first snapshot is awaited
 * @param flushMode     what happens to SADB flushes
 * @param listen        the listeners, in file order; empty when the file has no
 *                      "listen on" and the daemon chooses the wildcard
 * @param port          TCP port to listen on and to connect to peers on
 * @param mode          CARP-driven or locked to master or slave
 * @param skipSlave     "mode skipslave": do not sync SAs between this node and a peer
 * @param peers         the peers, in file order, without duplicates
 * @param sharedKey     the secret the channel keys are derived from
 * @param control       which keying daemons are switched active/passive
 */
public record SasyncdConf(
        String interfaceName,
        String group,
        FlushMode flushMode,
        List<Listen> listen,
        int port,
        RunMode mode,
        boolean skipSlave,
        List<IpAddress> peers,
        SharedKey sharedKey,
        ControlTarget control) {

    /** OpenBSD's SASYNCD_DEFAULT_PORT, a TCP port. */
    public static final int DEFAULT_PORT = 500;
    public static final String DEFAULT_GROUP = "carp";

    public SasyncdConf {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(flushMode, "flushMode");
        listen = List.copyOf(listen);
        Objects.requireNonNull(mode, "mode");
        peers = List.copyOf(peers);
        Objects.requireNonNull(sharedKey, "sharedKey");
        Objects.requireNonNull(control, "control");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Reads sasyncd.conf text. Nothing outside the text is consulted: the
     * daemon checks the file's owner and mode before calling this.
     *
     * @param file names the file in messages
     * @param warn receives warnings ("file: line: message") that do not
     *             reject the file, such as a port reset to 500
     * @throws Invalid listing every problem found; any problem rejects the file
     */
    public static SasyncdConf parse(Path file, String text, Consumer<String> warn) throws Invalid {
        Diagnostics diag = new Diagnostics(file.toString(), warn);
        if (text.length() > Parser.MAX_CHARS) {
            diag.error(1, "the file is longer than " + Parser.MAX_CHARS + " characters; a sasyncd.conf is a few lines");
            throw new Invalid(diag.problems());
        }
        SasyncdConf conf = new Parser(Lexer.tokens(text, diag), Lexer.lastLine(text), diag).parse();
        if (diag.hasProblems()) {
            throw new Invalid(diag.problems());
        }
        return conf;
    }

    /** The file was rejected; each problem reads "file: line: message". */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("\n", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
