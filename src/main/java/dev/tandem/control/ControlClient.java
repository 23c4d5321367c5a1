package dev.tandem.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/** One connection to tandemd's control socket. */
public final class ControlClient implements AutoCloseable {

    private final SocketChannel channel;
    private final Writer out;
    private final BufferedReader in;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.out = new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8);
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    public static ControlClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new ControlClient(ch);
    }

    /**
     * Sends a request; lines of output go to {@code lines}; returns the final
     * message ("ok" or "error" with a "message" field).
     */
    public Message call(Message request, Consumer<String> lines) throws IOException {
        request.write(out);
        try {
            while (true) {
                Message m = Message.read(in);
                if (m == null) {
                    throw new IOException("tandemd closed the connection");
                }
                if (m.verb().equals("line")) {
                    lines.accept(m.get("text"));
                } else {
                    return m;
                }
            }
        } catch (Message.BadMessage e) {
            throw new IOException("bad answer from tandemd: " + e.getMessage(), e);
        }
    }

    /** Streams the daemon's monitor lines until the connection ends. */
    public void monitor(Consumer<String> lines) throws IOException {
        Message.of("monitor").write(out);
        try {
            Message m;
            while ((m = Message.read(in)) != null) {
                if (m.verb().equals("line")) {
                    lines.accept(m.get("text"));
                } else {
                    return;
                }
            }
        } catch (Message.BadMessage e) {
            throw new IOException("bad answer from tandemd: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
