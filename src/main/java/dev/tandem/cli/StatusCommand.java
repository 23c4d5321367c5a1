package dev.tandem.cli;

import dev.tandem.control.Message;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tandem status}: the running node's SAs, counters, drops and flows. */
@Command(name = "status", description = "Show the running node: SAs with counters and drops, flows, data plane.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    private Tandem parent;

    @Option(names = "--json", description = "Machine-readable output (stable format, see docs/admin-guide.md).")
    boolean json;

    @Option(names = "--control", paramLabel = "PATH", description = "Control socket of tandemd.")
    Path control;

    @Override
    public Integer call() {
        return DaemonCall.run(parent, control, new Message("status", Map.of("json", json ? "yes" : "no")));
    }
}
