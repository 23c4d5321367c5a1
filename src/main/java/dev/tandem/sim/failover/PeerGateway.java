package dev.tandem.sim.failover;

import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.IkeStatus;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Sadb;
import dev.tandem.sim.SimLoop;
import java.time.Duration;

/**
 * The remote gateway the cluster serves: a Tandem with its own SADB, data
 * plane and an active IKE daemon that negotiates with the VIP, standing in
 * for a peer we do not control. What it counts is what the failover must
 * leave untouched: its phase 1 negotiations, DPD verdicts and drops.
 */
public final class PeerGateway {

    private final FailoverWorld world;
    private final SimLoop loop;
    private final Sadb sadb;
    private final SimDataPlane data;
    private IkeDaemon ike;

    PeerGateway(FailoverWorld world, IpAddress address, IkePolicy policy) {
        this.world = world;
        this.loop = world.sim().loop("peer");
        this.sadb = new Sadb(loop::nanoTime);
        this.data = new SimDataPlane(sadb, world.wan(), world::deliverToPeerHost);
        world.wan().attach(address, loop, p -> data.fromWan(p, ike));
        loop.execute(() -> {
            ike = new IkeDaemon(loop, sadb, world.wan().ikePort(address), world.sim().fork(),
                    IkeDaemon.Options.DEFAULT);
            ike.configure(policy);
            ike.start();
            tick();
        });
    }

    private void tick() {
        sadb.tick();
        loop.schedule(Duration.ofSeconds(1), this::tick);
    }

    public Sadb sadb() {
        return sadb;
    }

    /** The peer's IKE daemon now; the world runs one event at a time, so this may be asked from any event. */
    public IkeStatus ikeStatus() {
        return ike.status();
    }

    public long counter(String name) {
        return ikeStatus().counters().getOrDefault(name, 0L);
    }

    SimDataPlane dataPlane() {
        return data;
    }

    /** Hands a cleartext packet from the peer's LAN to its data plane. */
    void fromLan(byte[] packet) {
        loop.execute(() -> data.fromLan(packet));
    }
}
