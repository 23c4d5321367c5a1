package dev.tandem.cli;

import dev.tandem.control.Message;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tandem sync}: replication between cluster nodes (sasyncd's role). */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Show replication to and from the peers.",
        subcommands = {SyncCommand.Status.class})
final class SyncCommand implements Runnable {

    @ParentCommand
    Tandem parent;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(new java.io.PrintWriter(parent.stdio().out(), true));
    }

    @Command(name = "status", description = "Role, peers, connection state, replication lag and counts.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        SyncCommand sync;

        @Option(names = "--json", description = "Machine-readable output (the sync section of tandem status --json).")
        boolean json;

        @Option(names = "--control", paramLabel = "PATH", description = "Control socket of tandemd.")
        Path control;

        @Override
        public Integer call() {
            return DaemonCall.run(sync.parent, control, new Message("sync-status", Map.of("json", json ? "yes" : "no")));
        }
    }
}
