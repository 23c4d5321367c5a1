package dev.tandem.sim;

import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import java.time.Duration;

/**
 * One simulated node's event loop on the world's virtual clock. Killing it
 * drops every task it has pending, as a power loss would; a restarted node
 * gets a new loop.
 */
public final class SimLoop implements EventLoop {

    private final SimWorld world;
    private final String node;
    private boolean alive = true;

    SimLoop(SimWorld world, String node) {
        this.world = world;
        this.node = node;
    }

    public String node() {
        return node;
    }

    public SimWorld world() {
        return world;
    }

    public boolean alive() {
        return alive;
    }

    /** The node dies: nothing it scheduled runs any more. */
    public void kill() {
        alive = false;
    }

    @Override
    public long nanoTime() {
        return world.now();
    }

    @Override
    public void execute(Runnable task) {
        world.post(this, 0, task);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return world.post(this, delay.toNanos(), task);
    }

    @Override
    public boolean inLoop() {
        return world.running() == this;
    }

    @Override
    public String toString() {
        return "loop of " + node + (alive ? "" : " (dead)");
    }
}
