package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.ike.IkeEndpoint;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.net.IpAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The IKE socket on loopback: messages in with the address they were sent to, and out from a chosen source. */
class IkeListenerTest {

    private record Got(IkeEndpoint from, IpAddress local, int localPort, byte[] message, boolean onLoop) { }

    @Test
    void receivesWithTheDestinationAndSendsFromTheSameSocket() throws Exception {
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        try (ThreadEventLoop loop = new ThreadEventLoop("ike-test");
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            IkeInbox inbox = new IkeInbox(loop, (f, l, p, m) -> got.add(new Got(f, l, p, m, loop.inLoop())));
            try (IkeListener l = IkeListener.open(0, inbox)) {
                l.start();
                byte[] msg = {1, 2, 3, 4, 5};
                // 127.0.0.2 is loopback too: the listener must say which address was used
                peer.send(new DatagramPacket(msg, msg.length, InetAddress.getByName("127.0.0.2"), l.localPort()));
                Got g = got.poll(10, TimeUnit.SECONDS);
                assertThat(g).isNotNull();
                assertThat(g.onLoop()).isTrue();
                assertThat(g.message()).containsExactly(msg);
                assertThat(g.local()).isEqualTo(IpAddress.parse("127.0.0.2").orElseThrow());
                assertThat(g.localPort()).isEqualTo(IkeEndpoint.IKE_PORT);
                assertThat(g.from()).isEqualTo(new IkeEndpoint(IpAddress.parse("127.0.0.1").orElseThrow(),
                        peer.getLocalPort()));

                UdpIkePort port = new UdpIkePort(l.port(), l.port(), loop::nanoTime);
                port.send(IpAddress.parse("127.0.0.3").orElseThrow(), 500, g.from(), new byte[] {9, 9});
                DatagramPacket answer = new DatagramPacket(new byte[64], 64);
                peer.setSoTimeout(10_000);
                peer.receive(answer);
                assertThat(Arrays.copyOf(answer.getData(), answer.getLength())).containsExactly(9, 9);
                assertThat(answer.getAddress().getHostAddress()).isEqualTo("127.0.0.3");
                assertThat(answer.getPort()).isEqualTo(l.localPort());
                assertThat(port.sent()).isEqualTo(1);
            }
        }
    }
}
