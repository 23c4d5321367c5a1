package dev.tandem.cli;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpState;
import dev.tandem.carp.TransitionHooks;
import dev.tandem.conf.carp.CarpConf;
import dev.tandem.net.IpAddress;
import dev.tandem.sim.SimAddresses;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimSegment;
import dev.tandem.sim.SimWorld;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The CARP part of {@code tandem demo}: two nodes share a VIP on a simulated
 * segment with 10% loss; the master is killed and the backup takes the VIP
 * within its master-down time. Deterministic from the seed, on virtual time.
 */
final class CarpDemo {

    private static final String VIP = "198.51.100.1/24";
    private static final long ADVSKEW_A = 10;
    private static final long ADVSKEW_B = 20;

    private final PrintStream out;
    private final SimWorld world;
    private final SimSegment segment;

    CarpDemo(PrintStream out, long seed) {
        this.out = out;
        this.world = new SimWorld(seed);
        this.segment = new SimSegment(world, "wan").loss(0.1).delay(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private final class Node {
        final String name;
        final SimLoop loop;
        final SimAddresses addresses = new SimAddresses();
        Carp carp;

        Node(String name, int host, long advskew) {
            this.name = name;
            this.loop = world.loop(name);
            String line = "carp0 vhid 1 carpdev wan0 pass s3cret advbase 0 advskew " + advskew + " " + VIP + "\n";
            out.printf("  %s (192.0.2.%d) carp.conf: %s", name, host, line);
            // printed after the transition that caused it, which is still running
            addresses.listen(c -> loop.execute(() -> event(name + ": VIP " + c.vip()
                    + (c.added() ? " added" : " removed"))));
            loop.execute(() -> {
                try {
                    carp = Carp.open(CarpConf.parse(Path.of(name, "carp.conf"), line, w -> { }), loop,
                            segment.attach(loop, IpAddress.parse("192.0.2." + host).orElseThrow()), addresses,
                            Carp::authFor, TransitionHooks.NONE);
                    carp.subscribe(t -> event(name + ": " + t));
                    carp.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (CarpConf.Invalid e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        boolean master() {
            return loop.alive() && carp != null && carp.state("carp0") == CarpState.MASTER;
        }
    }

    private void event(String what) {
        out.printf(Locale.ROOT, "  %8.1f ms  %s%n", world.elapsed().toNanos() / 1e6, what);
    }

    /** Runs the scenario; true if the backup took over within its master-down time. */
    boolean run() {
        out.println("  advbase 0: a advertises every " + ADVSKEW_A + "/256 s; b takes over after 3 x " + ADVSKEW_B
                + "/256 s of silence (234 ms); 10% of advertisements are lost");
        Node a = new Node("a", 1, ADVSKEW_A);
        Node b = new Node("b", 2, ADVSKEW_B);
        world.runUntil(a::master, Duration.ofSeconds(5));
        world.run(Duration.ofMillis(1_013));
        event("a is killed (power off)");
        long killed = world.now();
        a.loop.kill();
        boolean took = world.runUntil(b::master, Duration.ofSeconds(5));
        double ms = (world.now() - killed) / 1e6;
        world.run(Duration.ofMillis(200));
        out.printf(Locale.ROOT, "  b holds the VIP %.1f ms after the kill (bound 3 x 20/256 s + 100 ms = 334 ms)%n", ms);
        return took && ms <= 334;
    }
}
