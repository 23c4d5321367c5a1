package dev.tandem.sim.failover;

import dev.tandem.net.IpAddress;

/**
 * A datagram on the simulated WAN: UDP (IKE on 500, ESP-in-UDP on 4500) or
 * ESP as IP protocol 50 ({@code udp} false, ports 0).
 */
public record WanPacket(IpAddress src, int srcPort, IpAddress dst, int dstPort, boolean udp, byte[] data) {
}
