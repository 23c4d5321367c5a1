package dev.tandem.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a background process printed, line by line, with the moment each line
 * arrived; the lab waits for a line instead of sleeping.
 */
public final class LogLines {

    /** A line and the {@link System#nanoTime()} it was read at. */
    public record Line(String text, long nanos) { }

    private final List<Line> lines = new ArrayList<>();
    private boolean ended;

    synchronized void add(String line) {
        lines.add(new Line(line, System.nanoTime()));
        notifyAll();
    }

    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Lines so far. */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Number of lines so far: a mark to wait for lines after it. */
    public synchronized int mark() {
        return lines.size();
    }

    /**
     * Waits for the first line at index {@code from} or later that contains {@code text}.
     *
     * @throws IllegalStateException with everything printed when it does not come within {@code timeout}
     */
    public Line await(int from, String text, Duration timeout) throws InterruptedException {
        return await(from, l -> l.contains(text), "\"" + text + "\"", timeout);
    }

    public synchronized Line await(int from, Predicate<String> match, String what, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            for (; i < lines.size(); i++) {
                if (match.test(lines.get(i).text())) {
                    return lines.get(i);
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0 || ended) {
                throw new IllegalStateException("no line " + what + " within " + timeout.toMillis() + " ms"
                        + (ended ? " (the process ended)" : "") + ":\n" + this);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.text()).append('\n'));
        return sb.toString();
    }
}
