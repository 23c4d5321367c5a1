package dev.tandem.conf.carp;

import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * One line of carp.conf: a carp interface with one virtual host.
 *
 * @param name     interface name (carp0)
 * @param line     line number in carp.conf
 * @param vhid     virtual host id, 1..255
 * @param carpdev  parent interface the advertisements and addresses use
 * @param pass     the shared password, "" for none; never printed
 * @param advbase  advertisement base interval, seconds
 * @param advskew  skew, 1/256 s
 * @param carppeer unicast destination of advertisements, or null for the multicast group
 * @param vips     the virtual addresses with their prefixes
 * @param preempt  take over from a slower master
 * @param groups   interface groups besides "carp", for demotion
 * @param auth     advertisement authentication
 * @param hook     script run on every state change, or null
 */
public record CarpInterfaceConf(String name, int line, int vhid, String carpdev, String pass, int advbase,
                                int advskew, IpAddress carppeer, List<InterfaceAddress> vips, boolean preempt,
                                List<String> groups, CarpAuthMode auth, Path hook) {

    /** Every carp interface is in this group (as in OpenBSD). */
    public static final String DEFAULT_GROUP = "carp";

    public CarpInterfaceConf {
        vips = List.copyOf(vips);
        groups = List.copyOf(groups);
    }

    /** The groups whose demotion counters this interface adds up, "carp" first. */
    public List<String> allGroups() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(DEFAULT_GROUP),
                groups.stream().filter(g -> !g.equals(DEFAULT_GROUP))).distinct().toList();
    }

    /** Equal but for the line number: a reload leaves such an interface alone. */
    public boolean sameSettings(CarpInterfaceConf o) {
        return withLine(0).equals(o.withLine(0));
    }

    private CarpInterfaceConf withLine(int l) {
        return new CarpInterfaceConf(name, l, vhid, carpdev, pass, advbase, advskew, carppeer, vips, preempt,
                groups, auth, hook);
    }

    @Override
    public String toString() {
        return name + " vhid " + vhid + " carpdev " + carpdev + (pass.isEmpty() ? "" : " pass <hidden>")
                + " advbase " + advbase + " advskew " + advskew + (carppeer == null ? "" : " carppeer " + carppeer)
                + (preempt ? " preempt" : "") + " auth " + auth.name().toLowerCase(java.util.Locale.ROOT)
                + " " + vips;
    }
}
