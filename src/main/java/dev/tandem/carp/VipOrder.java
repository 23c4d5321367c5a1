package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * How the virtual addresses enter a CARP MAC. Both ends must feed the same
 * bytes whatever order their configuration lists the addresses in, so they are
 * sorted: IPv4 before IPv6, each family ascending as unsigned bytes (for IPv4
 * that is numeric order).
 */
final class VipOrder {

    private VipOrder() {
    }

    /**
     * The address part of OpenBSD's HMAC message ({@code carp_hmac_prepare_ctx}).
     * Its selection loop repeatedly picks the smallest address strictly between
     * the last one hashed and all-ones, starting from all-zeros; so duplicates
     * count once and the all-zeros and all-ones addresses never count.
     * Scope-embedding IPv6 addresses (link-local unicast, interface- and
     * link-local multicast) have bytes 2-3 zeroed, where the kernel keeps the
     * scope, or are left out altogether in the NOV6LL variant that OpenBSD sends.
     */
    static byte[] openBsd(List<IpAddress> vips, boolean withLinkLocal) {
        TreeSet<byte[]> v4 = new TreeSet<>(Arrays::compareUnsigned);
        TreeSet<byte[]> v6 = new TreeSet<>(Arrays::compareUnsigned);
        for (IpAddress vip : vips) {
            byte[] a = vip.octets();
            if (vip.family() == IpAddress.Family.INET) {
                v4.add(a);
            } else if (scopeEmbedded(a)) {
                if (withLinkLocal) {
                    a[2] = 0;
                    a[3] = 0;
                    v6.add(a);
                }
            } else {
                v6.add(a);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TreeSet<byte[]> family : List.of(v4, v6)) {
            for (byte[] a : family) {
                if (!allBytes(a, 0) && !allBytes(a, 0xff)) {
                    out.writeBytes(a);
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * The address part of Tandem's strict MAC: distinct addresses in the same
     * order, each after a length byte (4 or 16) so that no list of one family
     * reads as a list of the other.
     */
    static byte[] strict(List<IpAddress> vips) {
        TreeSet<byte[]> v4 = new TreeSet<>(Arrays::compareUnsigned);
        TreeSet<byte[]> v6 = new TreeSet<>(Arrays::compareUnsigned);
        for (IpAddress vip : vips) {
            (vip.family() == IpAddress.Family.INET ? v4 : v6).add(vip.octets());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TreeSet<byte[]> family : List.of(v4, v6)) {
            for (byte[] a : family) {
                out.write(a.length);
                out.writeBytes(a);
            }
        }
        return out.toByteArray();
    }

    /** OpenBSD's {@code IN6_IS_SCOPE_EMBED}: fe80::/10, or multicast of interface- or link-local scope. */
    static boolean scopeEmbedded(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        return b0 == 0xfe && (b1 & 0xc0) == 0x80 || b0 == 0xff && ((b1 & 0x0f) == 0x01 || (b1 & 0x0f) == 0x02);
    }

    private static boolean allBytes(byte[] a, int value) {
        for (byte b : a) {
            if ((b & 0xff) != value) {
                return false;
            }
        }
        return true;
    }
}
