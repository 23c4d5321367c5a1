package dev.tandem.carp;

import dev.tandem.conf.carp.CarpAuthMode;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.util.List;

/**
 * One carp interface as {@code tandem carp status} shows it.
 *
 * @param master     the master last heard (ourselves when MASTER), or null
 * @param sinceNanos loop time of the last state change
 * @param reason     why the state is what it is
 */
public record CarpVhostStatus(String name, int vhid, String carpdev, CarpState state, int advbase, int advskew,
                              int demote, boolean preempt, CarpAuthMode auth, IpAddress carppeer, List<InterfaceAddress> vips,
                              IpAddress master, long sinceNanos, String reason, CarpStats.Snapshot stats) {

    public CarpVhostStatus {
        vips = List.copyOf(vips);
    }
}
