package dev.tandem.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Network namespaces created by {@code ip netns add} (/run/netns/NAME),
 * entered per thread with setns(2): sockets a thread opens belong to the
 * namespace it is in at that moment, and threads and processes it starts
 * inherit it. Lets one JVM open devices in several namespaces, as the
 * namespace labs do.
 */
public final class Netns {

    private Netns() {
    }

    /**
     * Runs {@code body} on a new platform thread inside namespace {@code name}
     * and returns its result; the caller's own namespace is untouched. What
     * the body opens stays in the namespace, what it starts runs there.
     */
    public static <T> T call(String name, Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("netns-" + name).start(() -> {
            try {
                enter(name);
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } finally {
            t.join();
        }
    }

    /** Moves the calling thread into namespace {@code name} for the rest of its life. */
    public static void enter(String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IOException("not a namespace name: \"" + name + "\"");
        }
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.open(a.allocateFrom("/run/netns/" + name), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new OsException("open /run/netns/" + name, Libc.errno());
            }
            try {
                if (Libc.setns(fd, Libc.CLONE_NEWNET) < 0) {
                    throw new OsException("setns " + name, Libc.errno());
                }
            } finally {
                Libc.close(fd);
            }
        }
    }
}
