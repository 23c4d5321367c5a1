package dev.tandem.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code net.ipv4.ip_nonlocal_bind}: with it a backup can bind IKE sockets
 * to a VIP it does not hold yet, so a takeover needs no re-bind. The setting
 * belongs to the network namespace of the calling thread (/proc/sys/net
 * follows the thread that opens it).
 */
public final class NonlocalBind {

    private static final Path PATH = Path.of("/proc/sys/net/ipv4/ip_nonlocal_bind");

    private NonlocalBind() {
    }

    public static boolean enabled() throws IOException {
        return !Files.readString(PATH, StandardCharsets.US_ASCII).strip().equals("0");
    }

    /** Needs CAP_NET_ADMIN in the namespace. */
    public static void set(boolean on) throws IOException {
        Files.writeString(PATH, on ? "1\n" : "0\n", StandardCharsets.US_ASCII);
    }
}
