package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.ike.IkeStatus;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.Sadb;
import dev.tandem.sim.SimLoop;
import dev.tandem.sync.SimSyncCluster.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * IKE state replication in a simulated two-node cluster: a peer gateway
 * negotiates with the master at the VIP, the backup's IKE daemon learns the
 * same phase 1 and child SAs, and after the master dies the new master
 * answers the peer's DPD and quick mode over that phase 1: the peer never
 * negotiates a new main mode.
 */
class IkeReplicationSimTest {

    private static final IpAddress PEER = IpAddress.parse("203.0.113.2").orElseThrow();
    private static final IpAddress VIP = SimSyncCluster.VIP.address();
    private static final Duration DELAY = Duration.ofMillis(5);
    private static final byte[] PSK = "cluster and peer agree".getBytes(StandardCharsets.UTF_8);
    private static final List<Phase1Transform> P1 = List.of(
            Phase1Transform.exactly(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_2048, 3600));
    private static final List<Phase2Transform> P2 = List.of(new Phase2Transform(
            new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_256_128), 256, 256, true, null, 1200));
    private static final IpNet CLUSTER_NET = new IpNet(IpAddress.parse("10.1.0.0").orElseThrow(), 24);
    private static final IpNet PEER_NET = new IpNet(IpAddress.parse("10.2.0.0").orElseThrow(), 24);

    private static IkePolicy policy(IpAddress local, IpAddress peer, IpNet localNet, IpNet remoteNet,
            boolean active) {
        Phase1Policy p1 = new Phase1Policy("peer-" + peer, peer, local, ExchangeMode.MAIN, P1, PSK, null, null, 10);
        return new IkePolicy(List.of(p1), List.of(new Phase2Policy("from-" + localNet + "-to-" + remoteNet,
                p1.name(), localNet, remoteNet, 0, 0, 0, P2, active)));
    }

    /** The peer gateway on the simulated network; what it sends to the VIP reaches the master of the moment. */
    private static final class Peer {
        final SimLoop loop;
        final Sadb sadb;
        final IkeDaemon daemon;

        Peer(SimSyncCluster c) {
            loop = c.world.loop("peer");
            sadb = new Sadb(loop::nanoTime);
            daemon = new IkeDaemon(loop, sadb, (local, localPort, remote, message) -> loop.schedule(DELAY, () -> {
                List<Node> masters = c.masters();
                if (masters.size() == 1 && masters.getFirst().ike != null) {
                    Node m = masters.getFirst();
                    IkeDaemon ike = m.ike;
                    m.loop.execute(() -> ike.receive(new IkeEndpoint(PEER, localPort), VIP, remote.port(), message));
                }
            }), c.world.fork(), IkeDaemon.Options.DEFAULT);
            loop.execute(this::tick);
            loop.execute(() -> {
                daemon.configure(policy(PEER, VIP, PEER_NET, CLUSTER_NET, true));
                daemon.start();
            });
        }

        private void tick() {
            sadb.tick();
            loop.schedule(Duration.ofSeconds(1), this::tick);
        }

        long counter(SimSyncCluster c, String name) {
            return status(c).counters().get(name);
        }

        IkeStatus status(SimSyncCluster c) {
            IkeStatus[] s = new IkeStatus[1];
            loop.execute(() -> s[0] = daemon.status());
            c.world.run(Duration.ZERO);
            return s[0];
        }
    }

    private static IkeStatus status(Node n) {
        IkeStatus[] s = new IkeStatus[1];
        n.run(() -> s[0] = n.ike.status());
        return s[0];
    }

    private static Set<String> phase1s(IkeStatus s) {
        return s.phase1().stream().filter(p -> p.state().equals("established"))
                .map(p -> p.initiatorCookie() + ":" + p.responderCookie()).collect(Collectors.toSet());
    }

    private static Set<String> children(IkeStatus s) {
        return s.phase2().stream().map(c -> c.connection() + " " + c.phase1Cookies() + " "
                + Integer.toHexString(c.inboundSpi()) + "/" + Integer.toHexString(c.outboundSpi()))
                .collect(Collectors.toSet());
    }

    /** Two nodes with IKE, n0 master; the peer starts negotiating with it. */
    private SimSyncCluster cluster(long seed) {
        SimSyncCluster c = new SimSyncCluster(seed);
        Node n0 = c.add("n0", 1, "advskew 0 preempt");
        Node n1 = c.add("n1", 2, "advskew 50 preempt");
        IkePolicy clusterPolicy = policy(VIP, PEER, CLUSTER_NET, PEER_NET, false);
        c.ikeFactory = n -> {
            IkeDaemon d = new IkeDaemon(n.loop, n.sadb, (local, localPort, remote, message) ->
                    peerInbox.schedule(DELAY, () -> deliverToPeer(localPort, remote, message)),
                    c.world.fork(), IkeDaemon.Options.DEFAULT);
            d.configure(clusterPolicy);
            return d;
        };
        peerInbox = c.world.loop("peer-inbox");
        c.nodes.values().forEach(Node::start);
        assertThat(c.runUntil(() -> c.masters().size() == 1 && !n1.replicator.interlocked(), Duration.ofMinutes(1)))
                .isTrue();
        assertThat(c.masters()).containsExactly(n0);
        peer = new Peer(c);
        return c;
    }

    @Test
    void aBackupThatComesBackGetsTheIkeStateInTheSnapshot() {
        SimSyncCluster c = cluster(2028);
        Node n0 = c.node("n0");
        Node n1 = c.node("n1");
        assertThat(c.runUntil(() -> peer.sadb.sas().size() == 2 && !status(n1).phase2().isEmpty(),
                Duration.ofMinutes(1))).isTrue();
        n1.kill();
        c.run(Duration.ofSeconds(5));
        n1.start();
        assertThat(c.runUntil(() -> !n1.replicator.interlocked() && !status(n1).phase2().isEmpty(),
                Duration.ofMinutes(1))).as("snapshot applied").isTrue();
        assertThat(phase1s(status(n1))).isEqualTo(phase1s(status(n0))).hasSize(1);
        assertThat(children(status(n1))).isEqualTo(children(status(n0))).hasSize(1);
        // later changes follow live: the master tears its pair down, the peer renegotiates
        n0.run(() -> n0.ike.teardown("from-" + CLUSTER_NET + "-to-" + PEER_NET));
        assertThat(c.runUntil(() -> status(n1).phase2().isEmpty() || !children(status(n1))
                .equals(children(status(n0))), Duration.ofSeconds(5))).isTrue();
        assertThat(c.runUntil(() -> children(status(n1)).equals(children(status(n0)))
                && !status(n0).phase2().isEmpty(), Duration.ofSeconds(30))).as("the peer renegotiated").isTrue();
    }

    @Test
    void theBackupKnowsTheMastersIkeSasAndCarriesOnAfterTheMasterDies() {
        SimSyncCluster c = cluster(2027);
        Node n0 = c.node("n0");
        Node n1 = c.node("n1");

        assertThat(c.runUntil(() -> peer.sadb.sas().size() == 2 && !status(n1).phase2().isEmpty(),
                Duration.ofMinutes(1))).as("negotiated and replicated").isTrue();
        IkeStatus master = status(n0);
        IkeStatus backup = status(n1);
        assertThat(phase1s(master)).hasSize(1);
        assertThat(phase1s(backup)).isEqualTo(phase1s(master));
        assertThat(children(backup)).isEqualTo(children(master)).hasSize(1);
        assertThat(backup.passive()).isTrue();
        assertThat(backup.counters().get("sent")).isZero();

        long dpdAnswered = peer.counter(c, "dpd-answered");
        n0.kill();
        assertThat(c.runUntil(() -> c.masters().equals(List.of(n1)), Duration.ofSeconds(10))).isTrue();
        c.run(Duration.ofMinutes(1));
        assertThat(peer.counter(c, "dpd-answered")).as("the new master answers DPD").isGreaterThan(dpdAnswered)
                .isEqualTo(peer.counter(c, "dpd-sent"));
        assertThat(status(n1).counters().get("dpd-answered")).as("and asks itself").isPositive();

        // a quick mode over the replicated phase 1: the peer renews its pair after tearing it down
        peer.loop.execute(() -> peer.daemon.teardown("from-" + PEER_NET + "-to-" + CLUSTER_NET));
        assertThat(c.runUntil(() -> peer.sadb.sas().size() == 2
                && peer.counter(c, "phase2-established") == 2, Duration.ofSeconds(30))).isTrue();
        assertThat(peer.counter(c, "phase1-established")).as("no new main mode").isEqualTo(1);
        assertThat(phase1s(status(n1))).isEqualTo(phase1s(master));
        assertThat(status(n1).phase2()).singleElement()
                .satisfies(s -> assertThat(phase1s(master)).contains(s.phase1Cookies()));
    }

    private Peer peer;
    private SimLoop peerInbox;

    private void deliverToPeer(int localPort, IkeEndpoint remote, byte[] message) {
        if (peer != null && remote.address().equals(PEER)) {
            Peer p = peer;
            p.loop.execute(() -> p.daemon.receive(new IkeEndpoint(VIP, localPort), PEER, remote.port(), message));
        }
    }
}
