package dev.tandem.os;

import java.io.IOException;

/** A failed system call, with its errno and the C library's text for it. */
public final class OsException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int errno;

    public OsException(String call, int errno) {
        super(call + ": " + Libc.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
