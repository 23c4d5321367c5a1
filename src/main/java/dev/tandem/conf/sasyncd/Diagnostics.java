package dev.tandem.conf.sasyncd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects problems and passes on warnings, both as "file: line: message".
 * Both are capped so that a huge broken file cannot flood the log or memory.
 */
final class Diagnostics {

    static final int MAX_PROBLEMS = 50;
    static final int MAX_WARNINGS = 50;

    private final String file;
    private final Consumer<String> warn;
    private final List<String> problems = new ArrayList<>();
    private int warnings;
    private boolean full;

    Diagnostics(String file, Consumer<String> warn) {
        this.file = file;
        this.warn = warn;
    }

    void error(int line, String message) {
        if (full) {
            return;
        }
        if (problems.size() == MAX_PROBLEMS) {
            problems.add(format(line, "too many problems; the rest of the file was not checked"));
            full = true;
            return;
        }
        problems.add(format(line, message));
    }

    void warn(int line, String message) {
        if (warnings < MAX_WARNINGS) {
            warn.accept(format(line, message));
        } else if (warnings == MAX_WARNINGS) {
            warn.accept(format(line, "more warnings follow; they are not shown"));
        }
        warnings++;
    }

    /** True once the problem cap is reached; parsing stops there. */
    boolean full() {
        return full;
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private String format(int line, String message) {
        return file + ": " + line + ": " + message;
    }
}
