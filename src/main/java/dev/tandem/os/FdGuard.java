package dev.tandem.os;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes a file descriptor only when no thread is inside a call using it:
 * closing under a thread blocked in poll() would not wake it, and the number
 * could be reused by the next open() while that thread still reads it.
 * Users wait in short poll() slices and check {@link #closing()} between them.
 */
final class FdGuard {

    private final int fd;
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean closing;
    private boolean closed;

    FdGuard(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    boolean closing() {
        return closing;
    }

    /** Marks a thread as using the descriptor; false when it is being closed. */
    boolean enter() {
        users.incrementAndGet();
        if (closing) {
            users.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        users.decrementAndGet();
    }

    /** Stops new use, waits for current users (they leave within one poll slice), closes. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closing = true;
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (users.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Libc.close(fd);
        closed = true;
    }
}
