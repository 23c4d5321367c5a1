package dev.tandem.cli;

import dev.tandem.conf.ipsec.ByteText;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.RulePrinter;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import java.io.ByteArrayOutputStream;
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
            new String[] {"built", "tandemd daemon, SADB, userspace ESP data plane, manual keying", ""},
            new String[] {"built", "CARP election and virtual address takeover", ""},
            new String[] {"built", "replication of SAs, flows and replay counters", ""},
            new String[] {"built", "IKEv1 daemon (isakmpd's role), with strongSwan interop", ""},
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
        out.println("as ipsecctl(8) does, carries traffic through manually keyed ESP tunnels, and");
        out.println("elects a CARP master that a backup replaces when it dies.");
        out.println("First the bundled cluster configuration and what it compiles to.");
        out.println();
        out.println("--- " + EXAMPLE + " ---");
        out.writeBytes(conf);
        out.println();
        out.println("--- parsed, as `tandem ipsecctl -nvf " + EXAMPLE + "` prints it (key hidden) ---");

        IpsecConfParser.Environment env = IpsecConfParser.Environment.system();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StringBuilder problems = new StringBuilder();
        RuleEcho echo = new RuleEcho(text, w -> problems.append("ipsecctl: ").append(w).append('\n'),
                new RulePrinter(env.netdb()), new IkeRuleTranslator(env.resolver()::hostname),
                new RuleEcho.Options(true, false, false, false, true));
        IpsecConfParser.Result result = IpsecConfParser.parse(EXAMPLE, conf, List.of(), env, echo,
                line -> problems.append(line).append('\n'));
        out.writeBytes(text.toByteArray());
        if (!result.ok()) {
            parent.stdio().err().writeBytes(ByteText.bytes(problems.toString()));
            return 1;
        }
        out.println();
        out.println(result.rules().size() + " rules parsed; each ike rule becomes isakmpd configuration sections");
        out.println("(peer, phase 1, phase 2, identities) for the IKE daemon to consume.");
        out.println();
        out.println("--- two gateways with manual keys, in this JVM on a simulated wire ---");
        boolean tunnelOk;
        try {
            tunnelOk = new TunnelDemo(out).run();
        } catch (Exception e) {
            parent.stdio().err().println("tandem demo: the tunnel part failed: " + e);
            return 1;
        }
        out.println("(on real machines: docs/admin-guide.md runs the same files with tandemd in network namespaces)");
        out.println();
        out.println("--- CARP: two nodes share a VIP on a simulated segment; the master dies ---");
        boolean carpOk = new CarpDemo(out, 1).run();
        out.println("(on real machines: bench/carp-takeover measures the same with tandemd in network namespaces)");
        out.println();
        out.println("--- parts of the failover demo ---");
        for (String[] p : PARTS) {
            out.println(String.format("  %-10s %-56s %s", p[0], p[1], p[2]).stripTrailing());
        }
        if (!carpOk) {
            parent.stdio().err().println("tandem demo: the backup did not take over in time (see above)");
            return 1;
        }
        if (!tunnelOk) {
            parent.stdio().err().println("tandem demo: the tunnel did not behave as it should (see above)");
            return 1;
        }
        return 0;
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
