package dev.tandem.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The rtnetlink messages that tell a device's state: RTM_NEWLINK (a device
 * appeared or changed, or the answer to RTM_GETLINK), RTM_DELLINK, and the
 * NLMSG_ERROR that answers a failed request. Netlink is in host byte order.
 *
 * @param type     nlmsg_type
 * @param sequence nlmsg_seq (ours for an answer, 0 for a notification)
 * @param ifindex  ifi_index (0 for an error)
 * @param flags    ifi_flags: IFF_UP, IFF_RUNNING, IFF_LOWER_UP (carrier), ...
 * @param error    the negative errno of an NLMSG_ERROR, else 0
 */
record LinkMessage(int type, int sequence, int ifindex, int flags, int error) {

    static final int NLMSG_HEADER = 16;
    static final int NLMSG_ERROR = 2;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int NLM_F_REQUEST = 1;
    /** Multicast group of link notifications (bit mask for sockaddr_nl.nl_groups). */
    static final int RTMGRP_LINK = 1;
    private static final int IFINFOMSG = 16;

    /** Administratively up and with carrier: what a carpdev needs to carry advertisements. */
    boolean up() {
        int both = NetDevice.IFF_UP | NetDevice.IFF_LOWER_UP;
        return type == RTM_NEWLINK && (flags & both) == both;
    }

    /** An RTM_GETLINK request for one device; the kernel answers with one RTM_NEWLINK (or an error). */
    static byte[] request(int ifindex, int sequence) {
        ByteBuffer b = ByteBuffer.allocate(NLMSG_HEADER + IFINFOMSG).order(ByteOrder.nativeOrder());
        b.putInt(NLMSG_HEADER + IFINFOMSG).putShort((short) RTM_GETLINK).putShort((short) NLM_F_REQUEST)
                .putInt(sequence).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(0).putInt(0);
        return b.array();
    }

    /** The link and error messages in one netlink datagram, in order; others (NLMSG_DONE, ...) are skipped. */
    static List<LinkMessage> decode(byte[] buf, int length) throws MalformedPacket {
        if (length < 0 || length > buf.length) {
            throw new MalformedPacket("netlink datagram: length " + length);
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length).order(ByteOrder.nativeOrder());
        List<LinkMessage> out = new ArrayList<>();
        int off = 0;
        while (length - off >= NLMSG_HEADER) {
            long len = Integer.toUnsignedLong(b.getInt(off));
            if (len < NLMSG_HEADER || len > length - off) {
                throw new MalformedPacket("nlmsghdr: nlmsg_len " + len + " with " + (length - off) + " bytes left");
            }
            int type = Short.toUnsignedInt(b.getShort(off + 4));
            int seq = b.getInt(off + 8);
            if (type == RTM_NEWLINK || type == RTM_DELLINK) {
                if (len < NLMSG_HEADER + IFINFOMSG) {
                    throw new MalformedPacket("ifinfomsg: nlmsg_len " + len + " has no room for it");
                }
                out.add(new LinkMessage(type, seq, b.getInt(off + 20), b.getInt(off + 24), 0));
            } else if (type == NLMSG_ERROR) {
                if (len < NLMSG_HEADER + 4) {
                    throw new MalformedPacket("nlmsgerr: nlmsg_len " + len + " has no room for the error");
                }
                out.add(new LinkMessage(type, seq, 0, 0, b.getInt(off + 16)));
            }
            off += (int) ((len + 3) & ~3L);
        }
        return out;
    }
}
