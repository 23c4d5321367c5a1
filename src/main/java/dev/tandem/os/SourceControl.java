package dev.tandem.os;

import dev.tandem.net.IpAddress;

/**
 * The source-address control message (IP_PKTINFO / IPV6_PKTINFO) at the
 * start of a sending thread's control buffer, rewritten only when the
 * source changes: one SA sends most packets, so the hot path allocates and
 * encodes nothing.
 */
final class SourceControl {

    private IpAddress source;
    private long bytes;

    /** Makes {@code msg}'s control buffer start with {@code src}; returns that message's room, 0 for none. */
    long put(MsgHdr msg, IpAddress src) {
        if (src == null) {
            return 0;
        }
        if (src != source && !src.equals(source)) {
            bytes = msg.putSourceCmsg(0, src);
            source = src;
        }
        return bytes;
    }
}
