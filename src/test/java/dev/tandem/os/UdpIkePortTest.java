package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.dataplane.EspPort;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpIkePortTest {

    private record Sent(IpAddress src, IpAddress dst, int port, byte[] datagram) { }

    /** Records what it is asked to send; fails while {@code failing}. */
    private static final class FakePort implements EspPort {
        final List<Sent> sent = new ArrayList<>();
        boolean failing;

        @Override
        public int receive(DatagramBatch b) {
            return -1;
        }

        @Override
        public void send(IpAddress src, IpAddress dst, int port, PacketBatch batch) throws IOException {
            if (failing) {
                throw new IOException("sendmsg: Network is unreachable");
            }
            for (int i = 0; i < batch.count(); i++) {
                sent.add(new Sent(src, dst, port, Arrays.copyOfRange(batch.buf, batch.offset(i),
                        batch.offset(i) + batch.length(i))));
            }
        }

        @Override
        public void close() {
        }
    }

    private final FakePort ike = new FakePort();
    private final FakePort natT = new FakePort();
    private final long[] now = {0};
    private final UdpIkePort port = new UdpIkePort(ike, natT, () -> now[0]);
    private final IpAddress vip = IpAddress.parse("192.0.2.1").orElseThrow();
    private final IkeEndpoint peer = new IkeEndpoint(IpAddress.parse("198.51.100.10").orElseThrow(), 500);

    @Test
    void port500SendsTheMessageAsItIs() {
        port.send(vip, 500, peer, new byte[] {1, 2, 3});
        assertThat(natT.sent).isEmpty();
        assertThat(ike.sent).hasSize(1);
        Sent s = ike.sent.getFirst();
        assertThat(s.src()).isEqualTo(vip);
        assertThat(s.dst()).isEqualTo(peer.address());
        assertThat(s.port()).isEqualTo(500);
        assertThat(s.datagram()).containsExactly(1, 2, 3);
        assertThat(port.sent()).isEqualTo(1);
    }

    @Test
    void port4500PrependsTheNonEspMarker() {
        port.send(null, 4500, peer.floated(), new byte[] {1, 2, 3});
        assertThat(ike.sent).isEmpty();
        assertThat(natT.sent.getFirst().datagram()).containsExactly(0, 0, 0, 0, 1, 2, 3);
        assertThat(natT.sent.getFirst().port()).isEqualTo(4500);
        assertThat(natT.sent.getFirst().src()).isNull();
    }

    @Test
    void failuresAreCountedNeverThrown() {
        ike.failing = true;
        port.send(vip, 500, peer, new byte[] {1});
        port.send(vip, 500, peer, new byte[] {1});
        port.send(vip, 4501, peer, new byte[] {1});
        assertThat(port.failed()).isEqualTo(3);
        assertThat(port.sent()).isZero();
        ike.failing = false;
        port.send(vip, 500, peer, new byte[] {1});
        assertThat(port.sent()).isEqualTo(1);
    }
}
