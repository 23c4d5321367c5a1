package dev.tandem.cli;

import java.nio.file.Path;

/** Where the tools find tandemd: --control, then $TANDEM_CONTROL, then the default directory's socket. */
final class ControlPath {

    static final Path DEFAULT = Path.of("/etc/tandem/tandemd.sock");

    private ControlPath() {
    }

    static Path resolve(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("TANDEM_CONTROL");
        return env != null && !env.isEmpty() ? Path.of(env) : DEFAULT;
    }
}
