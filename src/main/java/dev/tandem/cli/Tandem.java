package dev.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tandem} command: one entry point for the daemon's tools. */
@Command(name = "tandem", mixinStandardHelpOptions = true, versionProvider = Tandem.Version.class,
        description = "Tandem: an IPsec VPN gateway cluster whose failover the peer never notices.",
        subcommands = {IpsecctlCommand.class, DaemonCommand.class, StatusCommand.class, CarpCommand.class, SyncCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class Tandem implements Runnable {

    private final Stdio stdio;

    public Tandem(Stdio stdio) {
        this.stdio = stdio;
    }

    Stdio stdio() {
        return stdio;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(new PrintWriter(stdio.out(), true));
    }

    /** Runs one command line and returns its exit status; never calls System.exit. */
    public static int run(String[] args, Stdio stdio) {
        CommandLine cl = new CommandLine(new Tandem(stdio));
        cl.setOut(new PrintWriter(stdio.out(), true));
        cl.setErr(new PrintWriter(stdio.err(), true));
        // "-1" is a change of the demotion counter, not an option
        cl.getSubcommands().get("carp").getSubcommands().get("demote").setUnmatchedOptionsArePositionalParams(true);
        CommandLine.IParameterExceptionHandler picocliDefault = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, a) -> {
            if (!"ipsecctl".equals(ex.getCommandLine().getCommandName())) {
                return picocliDefault.handleParseException(ex, a);
            }
            // ipsecctl answers bad options as OpenBSD's does: one line, the usage, status 1
            stdio.err().println(IpsecctlCommand.PROGNAME + ": " + ex.getMessage());
            stdio.err().println(IpsecctlCommand.USAGE);
            return 1;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // a bug must not dump a stack trace on an admin; say what broke
            stdio.err().println(cmd.getCommandName() + ": internal error: " + ex);
            return 70;
        });
        if (args.length == 1 && args[0].equals("ipsecctl")) {
            stdio.err().println(IpsecctlCommand.USAGE);
            return 1;
        }
        return cl.execute(args);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("demo")) {
            // the demo prints its own timeline of the simulated nodes; their log lines would repeat it
            System.setProperty("org.slf4j.simpleLogger.log.dev.tandem.carp", "off");
        }
        System.exit(run(args, Stdio.system()));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tandem.class.getPackage().getImplementationVersion();
            return new String[] {"tandem " + (v == null ? "(development build)" : v)};
        }
    }
}
