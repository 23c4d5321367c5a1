package dev.tandem.os;

import dev.tandem.dataplane.Datagram;
import dev.tandem.dataplane.EspPort;
import dev.tandem.net.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The UDP socket of ESP-in-UDP (RFC 3948), normally port 4500. IKE shares it:
 * datagrams starting with four zero bytes are IKE, the others ESP. Plain JDK
 * channel; closing it wakes a blocked receiver.
 */
public final class UdpEspPort implements EspPort {

    private final DatagramChannel channel;

    private UdpEspPort(DatagramChannel channel) {
        this.channel = channel;
    }

    /** Binds {@code local:port}; a null address means every local address. */
    public static UdpEspPort open(IpAddress local, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(local != null && local.family() == IpAddress.Family.INET6
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(new InetSocketAddress(local == null ? null : InetAddress.getByAddress(local.octets()), port));
        return new UdpEspPort(ch);
    }

    @Override
    public int receive(Datagram d) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(d.buf);
        SocketAddress from;
        try {
            from = channel.receive(b);
        } catch (ClosedChannelException e) {
            return -1;
        }
        InetSocketAddress sa = (InetSocketAddress) from;
        d.length = b.position();
        d.peer = new IpAddress(sa.getAddress().getAddress());
        d.peerPort = sa.getPort();
        return d.length;
    }

    @Override
    public void send(IpAddress dst, int port, byte[] buf, int off, int len) throws IOException {
        channel.send(ByteBuffer.wrap(buf, off, len), new InetSocketAddress(InetAddress.getByAddress(dst.octets()), port));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
