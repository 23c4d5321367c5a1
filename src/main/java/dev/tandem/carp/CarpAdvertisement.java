package dev.tandem.carp;

import dev.tandem.net.Checksums;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 36-byte CARP header (OpenBSD {@code struct carp_header}): version 2,
 * type 1, vhid, advskew, authlen 7, demote, advbase, checksum, an 8-byte
 * counter and a 20-byte HMAC. The checksum is computed by {@link #encode()}
 * and verified by {@link #decode}; the HMAC is the caller's business.
 *
 * @param vhid    virtual host id, 1..255
 * @param advskew skew in 1/256 s, 0..255 (255 with advbase 255 means "bowing out")
 * @param demote  sender's demotion, 0..255
 * @param advbase base interval in seconds, 0..255
 * @param counter replay cookie (OpenBSD: random and constant per vhost)
 * @param md      the 20-byte HMAC
 */
public record CarpAdvertisement(int vhid, int advskew, int demote, int advbase, long counter, byte[] md) {

    public static final int LENGTH = 36;
    public static final int VERSION = 2;
    public static final int TYPE_ADVERTISEMENT = 1;
    /** 32-bit words of counter and HMAC. */
    public static final int AUTH_LEN = 7;
    public static final int MD_LENGTH = 20;
    /** The advbase and advskew of a node leaving: others take over at once. */
    public static final int BOW_OUT = 255;

    static final int CHECKSUM_OFFSET = 6;
    static final int COUNTER_OFFSET = 8;
    static final int MD_OFFSET = 16;

    public CarpAdvertisement {
        check("vhid", vhid, 1, 255);
        check("advskew", advskew, 0, 255);
        check("demote", demote, 0, 255);
        check("advbase", advbase, 0, 255);
        if (md.length != MD_LENGTH) {
            throw new IllegalArgumentException("md must be " + MD_LENGTH + " bytes");
        }
        md = md.clone();
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " " + v + " outside " + min + ".." + max);
        }
    }

    @Override
    public byte[] md() {
        return md.clone();
    }

    /** Whether the sender is leaving (advbase and advskew 255). */
    public boolean bowOut() {
        return advbase == BOW_OUT && advskew == BOW_OUT;
    }

    /** The advertisement interval it announces, in 1/256 s. */
    public int intervalTicks() {
        return advbase * 256 + advskew;
    }

    /** The same header with another HMAC. */
    public CarpAdvertisement withMd(byte[] newMd) {
        return new CarpAdvertisement(vhid, advskew, demote, advbase, counter, newMd);
    }

    /** The wire form, checksum included. */
    public byte[] encode() {
        byte[] b = headerWithoutChecksum(md);
        int sum = Checksums.checksum(b, 0, LENGTH);
        b[CHECKSUM_OFFSET] = (byte) (sum >>> 8);
        b[CHECKSUM_OFFSET + 1] = (byte) sum;
        return b;
    }

    /** The header with the checksum zero and the given MD, as a MAC over every field covers it. */
    byte[] headerWithoutChecksum(byte[] withMd) {
        byte[] b = new byte[LENGTH];
        b[0] = (byte) (VERSION << 4 | TYPE_ADVERTISEMENT);
        b[1] = (byte) vhid;
        b[2] = (byte) advskew;
        b[3] = (byte) AUTH_LEN;
        b[4] = (byte) demote;
        b[5] = (byte) advbase;
        for (int i = 0; i < 8; i++) {
            b[COUNTER_OFFSET + i] = (byte) (counter >>> (56 - 8 * i));
        }
        System.arraycopy(withMd, 0, b, MD_OFFSET, MD_LENGTH);
        return b;
    }

    /**
     * Reads an advertisement from an IP payload. The checksum covers the 36-byte
     * header only and bytes after it are ignored, as OpenBSD's
     * {@code carp_proto_input_if} and {@code carp6_proto_input_if} check it
     * ({@code carp_cksum} over {@code sizeof(struct carp_header)}).
     */
    public static CarpAdvertisement decode(byte[] p) throws MalformedAdvertisement {
        if (p.length < LENGTH) {
            throw new MalformedAdvertisement("length", p.length + " bytes, a CARP header has " + LENGTH);
        }
        if (Checksums.checksum(p, 0, LENGTH) != 0) {
            throw new MalformedAdvertisement("checksum", "does not verify");
        }
        int version = (p[0] & 0xff) >>> 4;
        if (version != VERSION) {
            throw new MalformedAdvertisement("version", version + ", expected " + VERSION);
        }
        int type = p[0] & 0x0f;
        if (type != TYPE_ADVERTISEMENT) {
            throw new MalformedAdvertisement("type", type + ", expected " + TYPE_ADVERTISEMENT);
        }
        int vhid = p[1] & 0xff;
        if (vhid == 0) {
            throw new MalformedAdvertisement("vhid", "0");
        }
        long counter = 0;
        for (int i = 0; i < 8; i++) {
            counter = counter << 8 | (p[COUNTER_OFFSET + i] & 0xff);
        }
        return new CarpAdvertisement(vhid, p[2] & 0xff, p[4] & 0xff, p[5] & 0xff, counter,
                Arrays.copyOfRange(p, MD_OFFSET, MD_OFFSET + MD_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CarpAdvertisement a && a.vhid == vhid && a.advskew == advskew && a.demote == demote
                && a.advbase == advbase && a.counter == counter && Arrays.equals(a.md, md);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(md) * 31 + Long.hashCode(counter) + vhid;
    }

    @Override
    public String toString() {
        return "CARP vhid " + vhid + " advbase " + advbase + " advskew " + advskew + " demote " + demote
                + " counter " + HexFormat.of().toHexDigits(counter);
    }
}
