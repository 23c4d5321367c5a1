package dev.tandem.cli;

import dev.tandem.control.ControlClient;
import dev.tandem.control.Message;
import java.io.IOException;
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
        Path socket = ControlPath.resolve(control);
        try (ControlClient c = ControlClient.connect(socket)) {
            Message r = c.call(new Message("status", Map.of("json", json ? "yes" : "no")),
                    line -> parent.stdio().out().print(line));
            if (!r.verb().equals("ok")) {
                parent.stdio().err().println("tandem: " + r.get("message"));
                return 1;
            }
            return 0;
        } catch (IOException e) {
            parent.stdio().err().println("tandem: no tandemd reachable at " + socket + ": " + e.getMessage());
            return 1;
        }
    }
}
