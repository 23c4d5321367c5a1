package dev.tandem.cli;

import dev.tandem.conf.ipsec.ByteText;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.RulePrinter;
import dev.tandem.conf.ipsec.RuleSink;
import dev.tandem.conf.ipsec.SaBundleRule;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tandem demo}. The failover demo needs the daemon, CARP, replication
 * and IKE, none of which exist yet; until they do, this shows what does
 * exist, on the bundled two-gateway example, and says what is missing.
 */
@Command(name = "demo", description = "Show what Tandem can do so far on a bundled two-gateway cluster example.")
final class DemoCommand implements Callable<Integer> {

    static final String EXAMPLE = "examples/cluster/ipsec.conf";

    /** The capabilities of the finished demo and whether this build has them. */
    static final List<String[]> PARTS = List.of(
            new String[] {"built", "ipsec.conf parser, ipsecctl -n/-v/-k/-d, isakmpd configuration model", ""},
            new String[] {"not built", "tandemd daemon, SADB, userspace ESP data plane", "issue 3"},
            new String[] {"not built", "CARP election and virtual address takeover", "issue 4"},
            new String[] {"not built", "replication of SAs, flows and replay counters", "issue 5"},
            new String[] {"not built", "IKEv1 daemon (isakmpd's role)", "issue 6"},
            new String[] {"not built", "the failover demo: kill the master, peer keeps going", "issue 7"});

    @ParentCommand
    private Tandem parent;

    @Override
    public Integer call() {
        PrintStream out = parent.stdio().out();
        byte[] conf = bundledExample();
        out.println("Tandem demo");
        out.println("===========");
        out.println("The failover demo (a two-node cluster losing its master while a peer keeps");
        out.println("sending) is NOT BUILT YET. This build reads OpenBSD ipsec.conf files exactly");
        out.println("as ipsecctl(8) does; here is the bundled cluster configuration and what it");
        out.println("compiles to.");
        out.println();
        out.println("--- " + EXAMPLE + " ---");
        out.writeBytes(conf);
        out.println();
        out.println("--- parsed, as `tandem ipsecctl -nvf " + EXAMPLE + "` prints it (key hidden) ---");

        IpsecConfParser.Environment env = IpsecConfParser.Environment.system();
        RulePrinter printer = new RulePrinter(env.netdb());
        IkeRuleTranslator ike = new IkeRuleTranslator(env.resolver()::hostname);
        StringBuilder text = new StringBuilder();
        StringBuilder problems = new StringBuilder();
        RuleSink sink = new RuleSink() {
            @Override
            public void rule(IpsecRule r) {
                switch (r) {
                    case FlowRule f -> text.append(printer.flow(f));
                    case SaRule s -> text.append(printer.sa(s, false));
                    case SaBundleRule b -> text.append(printer.bundle(b));
                    case IkeRule i -> {
                        IkeTranslation t = ike.configure(i);
                        for (ConfCommand c : t.commands()) {
                            text.append(hideSecrets(c).render()).append('\n');
                        }
                    }
                }
            }

            @Override
            public void macro(String name, String value) {
                text.append(name).append(" = \"").append(value).append("\"\n");
            }
        };
        IpsecConfParser.Result result = IpsecConfParser.parse(EXAMPLE, conf, List.of(), env, sink,
                line -> problems.append(line).append('\n'));
        out.writeBytes(ByteText.bytes(text.toString()));
        if (!result.ok()) {
            parent.stdio().err().writeBytes(ByteText.bytes(problems.toString()));
            return 1;
        }
        out.println();
        out.println(result.rules().size() + " rules parsed; each ike rule becomes isakmpd configuration sections");
        out.println("(peer, phase 1, phase 2, identities) for the IKE daemon to consume.");
        out.println();
        out.println("--- parts of the failover demo ---");
        for (String[] p : PARTS) {
            out.println(String.format("  %-10s %-56s %s", p[0], p[1], p[2]).stripTrailing());
        }
        return 0;
    }

    private static ConfCommand hideSecrets(ConfCommand c) {
        if (c instanceof ConfCommand.Set s && s.tag().equals("Authentication")) {
            return new ConfCommand.Set(s.section(), s.tag(), "********", s.force());
        }
        return c;
    }

    private static byte[] bundledExample() {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/tandem/" + EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("bundled example missing from the build: " + EXAMPLE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
