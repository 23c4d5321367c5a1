package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.dataplane.Datagram;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.net.IpAddress;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IkeInboxTest {

    private record Got(IkeEndpoint from, IpAddress local, int localPort, byte[] message) { }

    private final SimWorld world = new SimWorld(1);
    private final SimLoop loop = world.loop("node");
    private final List<Got> got = new ArrayList<>();
    private final IkeInbox inbox = new IkeInbox(loop, (f, l, p, m) -> {
        assertThat(loop.inLoop()).isTrue();
        got.add(new Got(f, l, p, m));
    });
    private final IpAddress peer = IpAddress.parse("198.51.100.10").orElseThrow();

    @Test
    void messagesArriveOnTheLoop() {
        assertThat(inbox.offer(peer, 500, null, 500, new byte[] {1, 2, 3})).isTrue();
        assertThat(got).isEmpty();
        world.run(Duration.ofMillis(1));
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().from()).isEqualTo(new IkeEndpoint(peer, 500));
        assertThat(got.getFirst().localPort()).isEqualTo(500);
        assertThat(got.getFirst().message()).containsExactly(1, 2, 3);
        assertThat(inbox.received()).isEqualTo(1);
    }

    @Test
    void natTLosesItsMarker() {
        Datagram d = new Datagram(16);
        byte[] data = {0, 0, 0, 0, 9, 8, 7};
        System.arraycopy(data, 0, d.buf, 0, data.length);
        d.length = data.length;
        d.peer = peer;
        d.peerPort = 4501;
        d.local = IpAddress.parse("192.0.2.1").orElseThrow();
        inbox.natT(d);
        Datagram empty = new Datagram(4);
        empty.length = 4;
        empty.peer = peer;
        empty.peerPort = 4500;
        inbox.natT(empty);
        world.run(Duration.ofMillis(1));
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().from()).isEqualTo(new IkeEndpoint(peer, 4501));
        assertThat(got.getFirst().localPort()).isEqualTo(4500);
        assertThat(got.getFirst().local()).isEqualTo(IpAddress.parse("192.0.2.1").orElseThrow());
        assertThat(got.getFirst().message()).containsExactly(9, 8, 7);
        assertThat(inbox.malformed()).isEqualTo(1);
    }

    @Test
    void aFloodIsCutAtTheLimit() {
        int accepted = 0;
        for (int i = 0; i < IkeInbox.LIMIT + 100; i++) {
            if (inbox.offer(peer, 500, null, 500, new byte[] {(byte) i})) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(IkeInbox.LIMIT);
        assertThat(inbox.dropped()).isEqualTo(100);
        world.run(Duration.ofMillis(1));
        assertThat(got).hasSize(IkeInbox.LIMIT);
        // drained: room again
        assertThat(inbox.offer(peer, 500, null, 500, new byte[1])).isTrue();
    }

    @Test
    void portZeroIsNoPeer() {
        assertThat(inbox.offer(peer, 0, null, 500, new byte[1])).isFalse();
        assertThat(inbox.malformed()).isEqualTo(1);
    }
}
