package dev.tandem.sim.failover;

import dev.tandem.dataplane.DataPlaneCounters;
import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.dataplane.EspPipeline;
import dev.tandem.dataplane.EspPort;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.dataplane.PacketDevice;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Sadb;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A gateway's data plane in the simulation: the real {@link EspPipeline},
 * run on the node's event loop instead of data-plane threads, between the
 * hosts of its LAN and the {@link SimWan}. ESP goes as IP protocol 50 (no
 * NAT in the simulated network).
 */
final class SimDataPlane {

    private final EspPipeline pipeline;
    private final DataPlaneCounters counters = new DataPlaneCounters();
    private final PacketBatch outbound = new PacketBatch(EspPipeline.BUFFER);
    private final DatagramBatch inbound = new DatagramBatch(EspPipeline.BUFFER);

    /** @param lan receives the decrypted packets, for the hosts behind the gateway */
    SimDataPlane(Sadb sadb, SimWan wan, Consumer<byte[]> lan) {
        PacketDevice device = new PacketDevice() {
            @Override
            public int read(PacketBatch into) {
                throw new UnsupportedOperationException("the simulation hands packets to the pipeline");
            }

            @Override
            public void write(PacketBatch packets) {
                for (int i = 0; i < packets.count(); i++) {
                    int off = packets.offset(i);
                    lan.accept(Arrays.copyOfRange(packets.buf, off, off + packets.length(i)));
                }
            }

            @Override
            public void close() {
            }
        };
        EspPort raw = new EspPort() {
            @Override
            public int receive(DatagramBatch b) {
                throw new UnsupportedOperationException("the simulation hands datagrams to the pipeline");
            }

            @Override
            public void send(IpAddress src, IpAddress dst, int port, PacketBatch batch) {
                for (int i = 0; i < batch.count(); i++) {
                    int off = batch.offset(i);
                    wan.send(new WanPacket(src, 0, dst, 0, false,
                            Arrays.copyOfRange(batch.buf, off, off + batch.length(i))));
                }
            }

            @Override
            public void close() {
            }
        };
        pipeline = new EspPipeline(sadb, device, null, raw, null, counters, d -> { });
    }

    /** A cleartext packet from the LAN: protected and sent, or dropped (counted). */
    void fromLan(byte[] packet) {
        outbound.clear();
        System.arraycopy(packet, 0, outbound.buf, 0, packet.length);
        outbound.add(0, packet.length);
        pipeline.outbound(outbound);
    }

    /** A datagram from the WAN: IKE goes to {@code ike}, ESP into the pipeline; other UDP is not for us. */
    void fromWan(WanPacket p, IkeDaemon ike) {
        if (p.udp() && p.dstPort() == FailoverWorld.IKE_PORT) {
            ike.receive(new IkeEndpoint(p.src(), p.srcPort()), p.dst(), p.dstPort(), p.data());
        } else if (!p.udp()) {
            esp(p);
        }
    }

    /** An ESP packet from the WAN: checked, decrypted and delivered, or dropped (counted). */
    private void esp(WanPacket p) {
        inbound.packets.clear();
        System.arraycopy(p.data(), 0, inbound.packets.buf, 0, p.data().length);
        inbound.packets.add(0, p.data().length);
        inbound.peer = p.src();
        inbound.peerPort = 0;
        inbound.local = p.dst();
        pipeline.inbound(inbound, false);
    }

    DataPlaneCounters counters() {
        return counters;
    }
}
