package dev.tandem.cli;

import dev.tandem.conf.ipsec.ByteText;
import dev.tandem.conf.ipsec.ConfigAbort;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.RulePrinter;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tandem ipsecctl}: OpenBSD's ipsecctl(8). Parsing, printing and
 * checking rules (-n) work on their own; flushing, showing, monitoring and
 * loading need the tandemd daemon.
 */
@Command(name = "ipsecctl", sortOptions = false,
        description = "Load, show and check IPsec rules, as OpenBSD's ipsecctl(8).",
        footer = {"", "Without -n, rules are loaded into tandemd; -F, -s and -m also talk to tandemd."})
final class IpsecctlCommand implements Callable<Integer> {

    static final String PROGNAME = "ipsecctl";
    static final String USAGE =
            "usage: ipsecctl [-cdFkmnv] [-D macro=value] [-f file] [-i fifo] [-s modifier]";
    private static final List<String> SHOW_MODIFIERS = List.of("flow", "sa", "all");

    @ParentCommand
    private Tandem parent;

    @Option(names = "-c", description = "Collapse flows that differ only in address when showing (-s).")
    boolean collapse;

    @Option(names = "-D", paramLabel = "macro=value", description = "Define a macro the file cannot override.")
    List<String> defines = new ArrayList<>();

    @Option(names = "-d", description = "Delete the rules of the file instead of adding them.")
    boolean delete;

    @Option(names = "-f", paramLabel = "file", description = "Load rules from file; - is standard input.")
    String file;

    @Option(names = "-F", description = "Flush all flows and SAs.")
    boolean flush;

    @Option(names = "-i", paramLabel = "fifo", description = "Accepted for compatibility; tandemd has no FIFO.")
    String fifo;

    @Option(names = "-k", description = "Show keys (with -nv or -s).")
    boolean showKeys;

    @Option(names = "-m", description = "Monitor SADB events.")
    boolean monitor;

    @Option(names = "-n", description = "Parse and check only; load nothing.")
    boolean noAction;

    @Option(names = "-v", description = "Print rules as they are parsed; twice adds rule numbers.")
    boolean[] verbose = new boolean[0];

    @Option(names = "-s", paramLabel = "modifier", description = "Show flow, sa or all (prefixes accepted).")
    String show;

    @Option(names = "--control", paramLabel = "PATH",
            description = "tandemd's control socket (default $TANDEM_CONTROL, else /etc/tandem/tandemd.sock).")
    java.nio.file.Path control;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> unexpected = new ArrayList<>();

    private Stdio io;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @Override
    public Integer call() {
        io = parent.stdio();
        try {
            return run();
        } finally {
            // Like ipsecctl's stdio: on a pipe or file stdout comes out at exit,
            // after what went to stderr; on a terminal it was written line by line.
            io.out().writeBytes(stdout.toByteArray());
            io.out().flush();
        }
    }

    private java.io.OutputStream stdout() {
        return io.terminal() ? io.out() : stdout;
    }

    private int run() {
        if (!unexpected.isEmpty()) {
            warn("unknown command line argument: " + unexpected.getFirst() + " ...");
            return usage();
        }
        List<Map.Entry<String, String>> macros = new ArrayList<>();
        for (String d : defines) {
            String def = ByteText.fromJava(d);
            int eq = def.lastIndexOf('=');
            if (eq < 0) {
                warn("could not parse macro definition " + def);
                continue;
            }
            macros.add(new AbstractMap.SimpleEntry<>(def.substring(0, eq), def.substring(eq + 1)));
        }
        String modifier = null;
        if (show != null) {
            for (String m : SHOW_MODIFIERS) {
                if (!show.isEmpty() && m.startsWith(show)) {
                    modifier = m;
                    break;
                }
            }
            if (modifier == null) {
                warn("Unknown show modifier '" + show + "'");
                return usage();
            }
        }

        IpsecConfParser.Environment env = IpsecConfParser.Environment.system();
        IkeRuleTranslator ike = new IkeRuleTranslator(env.resolver()::hostname);
        try (DaemonLink daemon = new DaemonLink(ControlPath.resolve(control), this::warn, ike)) {
            int error = 0;
            if (flush && !noAction) {
                error |= daemon.flush();
            }
            if (file != null) {
                error |= rules(macros, env, ike, daemon);
            }
            if (modifier != null) {
                error |= daemon.show(modifier, collapse, showKeys, verbose.length > 0, this::printNow);
            }
            if (monitor) {
                error |= daemon.monitor(this::printNow);
            }
            return error;
        }
    }

    /** Output that must not wait for exit (monitoring, showing). */
    private void printNow(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (monitor || io.terminal()) {
            io.out().writeBytes(b);
            io.out().flush();
        } else {
            stdout.writeBytes(b);
        }
    }

    /** Parses the rules; loads them into tandemd unless -n. */
    private int rules(List<Map.Entry<String, String>> macros, IpsecConfParser.Environment env, IkeRuleTranslator ike,
                      DaemonLink daemon) {
        String name = "-".equals(file) ? "stdin" : ByteText.fromJava(file);
        Optional<byte[]> text = read(name, env);
        if (text.isEmpty()) {
            warn("Syntax error in config file: ipsec rules not loaded");
            return 1;
        }
        boolean v = verbose.length > 0;
        RuleEcho echo = new RuleEcho(stdout(), this::warn, new RulePrinter(env.netdb()),
                ike,
                new RuleEcho.Options(v, verbose.length > 1, showKeys, delete, false));
        IpsecConfParser.Result result;
        try {
            result = IpsecConfParser.parse(name, text.get(), macros, env, echo, this::line);
        } catch (ConfigAbort e) {
            warn(e.getMessage());
            return 1;
        }
        if (verbose.length > 1) {
            for (String m : result.unusedMacros()) {
                line("warning: macro '" + m + "' not used");
            }
        }
        if (!result.ok()) {
            warn("Syntax error in config file: ipsec rules not loaded");
            return 1;
        }
        if (noAction) {
            return 0;
        }
        return daemon.commit(result.rules(), delete);
    }

    private Optional<byte[]> read(String name, IpsecConfParser.Environment env) {
        if ("-".equals(file)) {
            try {
                return Optional.of(io.in().readAllBytes());
            } catch (IOException e) {
                warn("pushfile: stdin: " + e.getMessage());
                return Optional.empty();
            }
        }
        try {
            byte[] data = env.files().read(name, env.limits().maxFileBytes());
            Optional<String> problem = env.files().secrecyProblem(name);
            if (problem.isPresent()) {
                if (!noAction) {
                    warn(problem.get());
                    return Optional.empty();
                }
                // tandemd refuses such a file; a syntax check (-n) only warns
                warn(problem.get() + " (would not be loaded)");
            }
            return Optional.of(data);
        } catch (NoSuchFileException e) {
            warn("pushfile: " + name + ": No such file or directory");
        } catch (FileSystemException e) {
            warn("pushfile: " + name + ": " + (e.getReason() != null ? e.getReason() : e.getMessage()));
        } catch (IOException e) {
            warn("pushfile: " + name + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private int usage() {
        io.err().println(USAGE);
        return 1;
    }

    private void warn(String message) {
        line(PROGNAME + ": " + message);
    }

    private void line(String text) {
        io.err().writeBytes(ByteText.bytes(text + "\n"));
        io.err().flush();
    }
}
