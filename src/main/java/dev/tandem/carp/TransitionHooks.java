package dev.tandem.carp;

import java.nio.file.Path;

/** Runs an interface's hook script on a transition (like ucarp's up and down scripts); must not block the loop. */
public interface TransitionHooks {

    void run(Path script, CarpTransition transition);

    TransitionHooks NONE = (script, transition) -> { };
}
