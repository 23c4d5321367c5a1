package dev.tandem.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's AF_UNIX control socket. The socket file is made owner-only
 * and every connection is checked with SO_PEERCRED: only root and the
 * daemon's own user are served. One virtual thread per connection; the
 * requests themselves run on the daemon's control-plane thread.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final ServerSocketChannel server;
    private final ControlHandler handler;
    private final Set<String> allowedUsers;
    private final Thread acceptor;

    private ControlServer(Path path, ServerSocketChannel server, ControlHandler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.allowedUsers = new java.util.HashSet<>(java.util.List.of("root", System.getProperty("user.name")));
        this.acceptor = Thread.ofVirtual().name("control-accept").unstarted(this::acceptLoop);
    }

    /** Listens on {@code path}, replacing a stale socket file left by a crash. */
    public static ControlServer start(Path path, ControlHandler handler) throws IOException {
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                throw new IOException("another daemon is listening on " + path);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another daemon")) {
                    throw e;
                }
                Files.delete(path);
            }
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ControlServer s = new ControlServer(path, ch, handler);
        s.acceptor.start();
        return s;
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                Thread.ofVirtual().name("control").start(() -> serve(c));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket accept failed: {}", e.toString());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            UnixDomainPrincipal who = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            Writer w = new OutputStreamWriter(Channels.newOutputStream(c), StandardCharsets.UTF_8);
            String user = who.user().getName();
            if (!allowedUsers.contains(user)) {
                LOG.warn("control connection from user {} refused", user);
                new Message("error", Map.of("message", "permission denied for user " + user)).write(w);
                return;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8));
            Message req;
            while ((req = Message.read(r)) != null) {
                if (req.verb().equals("monitor")) {
                    handler.monitor(line -> send(w, line), () -> !c.isOpen());
                    return;
                }
                Message resp = handler.handle(req, line -> send(w, line));
                resp.write(w);
            }
        } catch (Message.BadMessage e) {
            LOG.warn("bad control request: {}", e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("control connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Output lines travel as "line" messages before the final answer. */
    private static void send(Writer w, String line) {
        try {
            new Message("line", Map.of("text", line)).write(w);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
