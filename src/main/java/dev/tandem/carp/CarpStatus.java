package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * A node's CARP at one moment: interfaces, devices and demotion groups.
 *
 * @param nowNanos loop time of the snapshot (ages are relative to it)
 */
public record CarpStatus(long nowNanos, List<CarpVhostStatus> interfaces, List<DeviceStatus> devices,
                         Map<String, Integer> demotion) {

    public CarpStatus {
        interfaces = List.copyOf(interfaces);
        devices = List.copyOf(devices);
    }

    /** A carpdev: the address advertisements leave from, its link, what arrived on it. */
    public record DeviceStatus(String name, IpAddress source, boolean linkUp, LinkStats.Snapshot stats) { }

    public static final CarpStatus NONE = new CarpStatus(0, List.of(), List.of(), Map.of());
}
