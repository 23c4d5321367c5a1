package dev.tandem.daemon;

import java.util.List;

/** A configuration that cannot be applied, with every problem found ("file: line: message"). */
public final class ConfigError extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigError(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
