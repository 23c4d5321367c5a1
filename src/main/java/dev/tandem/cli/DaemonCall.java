package dev.tandem.cli;

import dev.tandem.control.ControlClient;
import dev.tandem.control.Message;
import java.io.IOException;
import java.nio.file.Path;

/** One request to tandemd for the status-like commands: its lines to stdout, its error to stderr, status 0 or 1. */
final class DaemonCall {

    private DaemonCall() {
    }

    static int run(Tandem tandem, Path control, Message request) {
        Path socket = ControlPath.resolve(control);
        try (ControlClient c = ControlClient.connect(socket)) {
            Message r = c.call(request, line -> tandem.stdio().out().print(line));
            if (!r.verb().equals("ok")) {
                tandem.stdio().err().println("tandem: " + r.get("message"));
                return 1;
            }
            return 0;
        } catch (IOException e) {
            tandem.stdio().err().println("tandem: no tandemd reachable at " + socket + ": " + e.getMessage());
            return 1;
        }
    }
}
