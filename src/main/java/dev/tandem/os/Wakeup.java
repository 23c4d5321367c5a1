package dev.tandem.os;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An eventfd a reader thread polls next to its sockets, so closing can wake
 * it at once instead of waiting for a poll timeout. Nobody reads it: once
 * woken it stays readable, and a wake-up can never be missed.
 */
final class Wakeup implements AutoCloseable {

    private final int fd;

    Wakeup() throws OsException {
        fd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (fd < 0) {
            throw new OsException("eventfd", Libc.errno());
        }
    }

    int fd() {
        return fd;
    }

    void wake() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            // only fails when the counter would overflow, which means it is readable anyway
            Libc.write(fd, one, 8);
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
