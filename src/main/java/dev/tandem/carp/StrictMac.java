package dev.tandem.carp;

import dev.tandem.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MAC of Tandem's strict mode: HMAC-SHA256, cut to the 20 bytes of the md
 * field, over the whole 36-byte header with checksum and md zero (so advbase,
 * advskew, demote, vhid and counter are all covered), the sender's IP
 * address (so a captured advertisement cannot be replayed from elsewhere)
 * and the sorted virtual addresses, each address preceded by its length. The key comes from the whole passphrase through
 * HKDF-SHA256, with no 19-byte cut, and is different for every vhid.
 */
final class StrictMac {

    /** HKDF salt: names the protocol and its version, so these keys are never reused elsewhere. */
    static final byte[] SALT = "dev.tandem.carp strict v1".getBytes(StandardCharsets.US_ASCII);
    /** HKDF info, followed by the vhid byte. */
    static final byte[] INFO_PREFIX = "dev.tandem.carp hmac-sha256 vhid ".getBytes(StandardCharsets.US_ASCII);
    static final int KEY_LENGTH = 32;

    private final SecretKeySpec key;

    StrictMac(String passphrase, int vhid) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw new IllegalArgumentException("strict CARP authentication needs a passphrase");
        }
        if (vhid < 1 || vhid > 255) {
            throw new IllegalArgumentException("vhid " + vhid + " outside 1..255");
        }
        byte[] info = Arrays.copyOf(INFO_PREFIX, INFO_PREFIX.length + 1);
        info[INFO_PREFIX.length] = (byte) vhid;
        byte[] ikm = passphrase.getBytes(StandardCharsets.UTF_8);
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            byte[] k = hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(SALT)
                    .thenExpand(info, KEY_LENGTH));
            this.key = new SecretKeySpec(k, "HmacSHA256");
            Arrays.fill(k, (byte) 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides HKDF-SHA256", e);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    byte[] compute(CarpAdvertisement ad, IpAddress source, List<IpAddress> vips) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(ad.headerWithoutChecksum(new byte[CarpAdvertisement.MD_LENGTH]));
            if (source == null) {
                // a carpdev without an IPv4 address: nothing to bind the advertisement to
                mac.update((byte) 0);
            } else {
                mac.update((byte) source.octets().length);
                mac.update(source.octets());
            }
            mac.update(VipOrder.strict(vips));
            return Arrays.copyOf(mac.doFinal(), CarpAdvertisement.MD_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides HmacSHA256", e);
        }
    }

    boolean verify(CarpAdvertisement ad, IpAddress source, List<IpAddress> vips) {
        return MessageDigest.isEqual(ad.md(), compute(ad, source, vips));
    }

    @Override
    public String toString() {
        return "StrictMac[key hidden]";
    }
}
