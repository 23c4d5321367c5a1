package dev.tandem.conf.ipsec;

import java.util.List;

/** The "from ... to ..." part of a rule before expansion; ports are 0 when not given. */
record HostsSpec(List<HostSpec> src, int srcPort, List<HostSpec> dst, int dstPort) {
}
