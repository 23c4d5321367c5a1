package dev.tandem.cli;

import dev.tandem.daemon.ConfigError;
import dev.tandem.daemon.Tandemd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * {@code tandem daemon}: one gateway node in the foreground, logging to
 * stderr. SIGTERM and SIGINT stop it cleanly (routes removed, device and
 * control socket closed); SIGHUP re-reads ipsec.conf and applies the
 * difference.
 */
@Command(name = "daemon", sortOptions = false, description = "Run a gateway node (tandemd) in the foreground.")
final class DaemonCommand implements Callable<Integer> {

    @ParentCommand
    private Tandem parent;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "DIR",
            description = "Configuration directory holding ipsec.conf.")
    Path dir;

    @Option(names = "--control", paramLabel = "PATH", description = "Control socket (default DIR/tandemd.sock).")
    Path control;

    @Option(names = "--tun", paramLabel = "NAME", defaultValue = "tandem0",
            description = "TUN device to create (default ${DEFAULT-VALUE}).")
    String tun;

    @Option(names = "--mtu", defaultValue = "1400", description = "MTU of the TUN device (default ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--replay-window", defaultValue = "128", paramLabel = "N",
            description = "Anti-replay window of manual SAs, 32 to 1048576 packets (default ${DEFAULT-VALUE}).")
    int replayWindow;

    @Option(names = "--udp-port", defaultValue = "4500", description = "ESP-in-UDP port (default ${DEFAULT-VALUE}).")
    int udpPort;

    @Option(names = "--ike-port", defaultValue = "500", hidden = true,
            description = "IKE port (default ${DEFAULT-VALUE}); peers send to 500, another port is for tests.")
    int ikePort;

    @Option(names = "--no-routes", description = "Do not route the flows' remote networks into the TUN device.")
    boolean noRoutes;

    @Option(names = "--route-table", defaultValue = "4500", paramLabel = "N",
            description = {"Routing table for the tunnel routes, 1 to 32765 (default ${DEFAULT-VALUE}); also the",
                "priority of the rule that looks it up and the firewall mark of packets sent in the clear."})
    int routeTable;

    @Option(names = "--no-offload", description = {"Exchange single packets with the kernel instead of",
        "super-packets (TUN segmentation offloads, UDP GSO and GRO): slower, for troubleshooting."})
    boolean noOffload;

    @Override
    public Integer call() throws InterruptedException {
        if (replayWindow < 32 || replayWindow > 1 << 20) {
            parent.stdio().err().println("tandemd: --replay-window must be between 32 and 1048576");
            return 2;
        }
        if (routeTable < 1 || routeTable > 32765 || routeTable == 253 || routeTable == 254 || routeTable == 255) {
            parent.stdio().err().println("tandemd: --route-table must be between 1 and 32765 and not 253-255 "
                    + "(the kernel's default, main and local tables)");
            return 2;
        }
        Path socket = control != null ? control : dir.resolve("tandemd.sock");
        Tandemd d;
        try {
            d = Tandemd.start(new Tandemd.Options(dir, socket, tun, mtu, replayWindow, udpPort, !noRoutes, routeTable, !noOffload,
                    ikePort));
        } catch (ConfigError e) {
            e.problems().forEach(p -> parent.stdio().err().println(p));
            parent.stdio().err().println("tandemd: configuration not loaded, not starting");
            return 1;
        } catch (IOException e) {
            parent.stdio().err().println("tandemd: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            d.close();
            stopped.countDown();
        }));
        Signal.handle(new Signal("HUP"), s -> d.reload());
        stopped.await();
        return 0;
    }
}
