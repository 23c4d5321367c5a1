package dev.tandem.loop;

/** A scheduled task of an {@link EventLoop}. */
public interface Timer {

    /** Stops the task from running if it has not run yet; harmless afterwards. */
    void cancel();

    /** A timer that is never armed, so fields need no null checks. */
    Timer NONE = () -> { };
}
