package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import javax.crypto.Mac;

/**
 * The HMAC-SHA1 of OpenBSD's CARP ({@code carp_hmac_generate}), bit for bit,
 * so that Tandem and OpenBSD (and ucarp, for one IPv4 address) nodes accept
 * each other. The message is the version byte 2, the type byte 1, the vhid,
 * the virtual addresses as {@link VipOrder#openBsd} orders them, and the 8
 * counter bytes as sent.
 *
 * <p>OpenBSD also hashes the carp interface's MAC address when an
 * administrator set one by hand (lladdr); Tandem always uses the virtual MAC,
 * so that part never occurs here.
 *
 * <p>What it leaves out is the protocol's weakness: advbase, advskew and
 * demote are not covered, so anyone on the segment can rewrite them in a
 * captured advertisement, and the constant counter makes every captured
 * advertisement valid forever. {@link CarpAuth#strict} closes both holes.
 */
public final class OpenBsdHmac {

    private static final int VERSION_BYTE = CarpAdvertisement.VERSION;
    private static final int TYPE_BYTE = CarpAdvertisement.TYPE_ADVERTISEMENT;

    private final CarpKey key;

    public OpenBsdHmac(CarpKey key) {
        this.key = key;
    }

    /** The HMAC OpenBSD sends: without link-local IPv6 addresses (its NOV6LL context). */
    public byte[] compute(int vhid, List<IpAddress> vips, long counter) {
        return compute(vhid, vips, counter, false);
    }

    /**
     * @param withLinkLocal whether link-local IPv6 addresses count (OpenBSD's ORIG
     *                      context) or are left out (NOV6LL)
     */
    byte[] compute(int vhid, List<IpAddress> vips, long counter, boolean withLinkLocal) {
        Mac mac = newMac();
        mac.update((byte) VERSION_BYTE);
        mac.update((byte) TYPE_BYTE);
        mac.update((byte) vhid);
        mac.update(VipOrder.openBsd(vips, withLinkLocal));
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (counter >>> shift));
        }
        return mac.doFinal();
    }

    /**
     * Whether {@code ad} carries the HMAC of this key and these addresses, with
     * or without link-local addresses as OpenBSD accepts either; constant time.
     */
    public boolean verify(CarpAdvertisement ad, List<IpAddress> vips) {
        byte[] md = ad.md();
        boolean without = MessageDigest.isEqual(md, compute(ad.vhid(), vips, ad.counter(), false));
        boolean with = MessageDigest.isEqual(md, compute(ad.vhid(), vips, ad.counter(), true));
        return without | with;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key.hmacSha1Key());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides HmacSHA1", e);
        }
    }

    @Override
    public String toString() {
        return "OpenBsdHmac[" + key + "]";
    }
}
