package dev.tandem.esp;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * Builds and opens ESP packets (RFC 4303): header, IV, encrypted payload with
 * padding, pad length and next header, and ICV. One engine per thread: it
 * holds the JCA objects (re-initialised per packet, never re-created) and its
 * scratch space.
 *
 * <p>{@link #open} takes the full sequence number the caller inferred from
 * the replay window; it checks integrity before it decrypts (in constant time
 * for HMACs, by the AEAD tag for GCM) and then the padding.
 */
public final class EspEngine {

    /** ESP header: SPI and sequence number. */
    public static final int HEADER = 8;

    /** {@link #open} results below zero. */
    public static final int BAD_ICV = -1;
    public static final int MALFORMED = -2;
    public static final int BAD_PADDING = -3;

    private final Cipher gcm;
    private final Cipher cbc;
    private final Mac[] macs = new Mac[Integrity.values().length];
    private final SecureRandom random;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[12];
    private final byte[] icv = new byte[64];
    private final byte[] iv = new byte[16];

    private int innerOffset;
    private int nextHeader;

    public EspEngine() {
        try {
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
            cbc = Cipher.getInstance("AES/CBC/NoPadding");
            for (Integrity i : Integrity.values()) {
                macs[i.ordinal()] = Mac.getInstance(i.jcaName());
            }
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("the JDK lacks a required algorithm", e);
        }
    }

    /**
     * Seals and opens one packet with throwaway keys for every transform, so
     * the first real packet does not pay for loading and initialising the
     * JCA's classes (about 25 ms on an idle machine, far more on a busy one).
     * That matters on a cluster backup, whose first packets come at the
     * moment it takes over.
     */
    public void warmUp() {
        List<EspKeys> all = new ArrayList<>();
        all.add(new EspKeys(new EspTransform.AesGcm(16), new byte[20], null));
        for (Integrity i : Integrity.values()) {
            all.add(new EspKeys(new EspTransform.AesCbcHmac(16, i), new byte[16], new byte[i.keyLength()]));
            all.add(new EspKeys(new EspTransform.NullHmac(i), null, new byte[i.keyLength()]));
        }
        byte[] payload = new byte[64];
        byte[] packet = new byte[256];
        for (EspKeys k : all) {
            try {
                int n = seal(k, 0x100, 1, false, payload, 0, payload.length, 4, packet, 0);
                open(k, 1, false, packet, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK refuses a transform", e);
            }
        }
    }

    /** Length of the ESP packet for {@code payloadLength} bytes of payload. */
    public static int sealedLength(EspTransform t, int payloadLength) {
        int body = payloadLength + 2;
        int padded = (body + t.blockSize() - 1) / t.blockSize() * t.blockSize();
        return HEADER + t.ivLength() + padded + t.icvLength();
    }

    /**
     * Writes the ESP packet for one payload to {@code out}.
     *
     * @param seq        the full sequence number (64 bits with ESN)
     * @param nextHeader the protocol of the payload (4 or 41 in tunnel mode)
     * @return the packet length
     * @throws GeneralSecurityException only if the JCA refuses the key or
     *         nonce (e.g. a repeated GCM nonce); the packet must be dropped
     */
    public int seal(EspKeys keys, int spi, long seq, boolean esn, byte[] in, int inOff, int inLen, int nextHeader,
                    byte[] out, int outOff) throws GeneralSecurityException {
        EspTransform t = keys.transform();
        int total = sealedLength(t, inLen);
        int dataOff = outOff + HEADER + t.ivLength();
        int padded = total - HEADER - t.ivLength() - t.icvLength();
        putInt(out, outOff, spi);
        putInt(out, outOff + 4, (int) seq);
        System.arraycopy(in, inOff, out, dataOff, inLen);
        int padLen = padded - inLen - 2;
        for (int i = 0; i < padLen; i++) {
            out[dataOff + inLen + i] = (byte) (i + 1);
        }
        out[dataOff + padded - 2] = (byte) padLen;
        out[dataOff + padded - 1] = (byte) nextHeader;

        switch (t) {
            case EspTransform.AesGcm g -> {
                putLong(out, outOff + HEADER, seq);
                System.arraycopy(keys.salt(), 0, nonce, 0, 4);
                putLong(nonce, 4, seq);
                gcm.init(Cipher.ENCRYPT_MODE, keys.enc(), new GCMParameterSpec(128, nonce));
                gcm.updateAAD(aad, 0, aad(spi, seq, esn));
                gcm.doFinal(out, dataOff, padded, out, dataOff);
            }
            case EspTransform.AesCbcHmac c -> {
                random.nextBytes(iv);
                System.arraycopy(iv, 0, out, outOff + HEADER, 16);
                cbc.init(Cipher.ENCRYPT_MODE, keys.enc(), new IvParameterSpec(iv));
                cbc.doFinal(out, dataOff, padded, out, dataOff);
                sign(c.integrity(), keys, out, outOff, total - c.icvLength(), seq, esn, out, outOff + total - c.icvLength());
            }
            case EspTransform.NullHmac n ->
                    sign(n.integrity(), keys, out, outOff, total - n.icvLength(), seq, esn,
                            out, outOff + total - n.icvLength());
        }
        return total;
    }

    /**
     * Verifies and decrypts an ESP packet in place.
     *
     * @param seq the full sequence number inferred for this packet
     * @return the length of the inner payload (at {@link #innerOffset()},
     *         protocol {@link #nextHeader()}), or BAD_ICV, MALFORMED, BAD_PADDING
     */
    public int open(EspKeys keys, long seq, boolean esn, byte[] pkt, int off, int len) {
        EspTransform t = keys.transform();
        int dataOff = off + HEADER + t.ivLength();
        int dataLen = len - HEADER - t.ivLength() - t.icvLength();
        if (dataLen < 2 || dataLen % t.blockSize() != 0) {
            return MALFORMED;
        }
        try {
            switch (t) {
                case EspTransform.AesGcm g -> {
                    System.arraycopy(keys.salt(), 0, nonce, 0, 4);
                    System.arraycopy(pkt, off + HEADER, nonce, 4, 8);
                    gcm.init(Cipher.DECRYPT_MODE, keys.enc(), new GCMParameterSpec(128, nonce));
                    gcm.updateAAD(aad, 0, aad(getInt(pkt, off), seq, esn));
                    gcm.doFinal(pkt, dataOff, dataLen + 16, pkt, dataOff);
                }
                case EspTransform.AesCbcHmac c -> {
                    if (!verify(c.integrity(), keys, pkt, off, len, seq, esn)) {
                        return BAD_ICV;
                    }
                    cbc.init(Cipher.DECRYPT_MODE, keys.enc(), new IvParameterSpec(pkt, off + HEADER, 16));
                    cbc.doFinal(pkt, dataOff, dataLen, pkt, dataOff);
                }
                case EspTransform.NullHmac n -> {
                    if (!verify(n.integrity(), keys, pkt, off, len, seq, esn)) {
                        return BAD_ICV;
                    }
                }
            }
        } catch (AEADBadTagException e) {
            return BAD_ICV;
        } catch (GeneralSecurityException e) {
            return MALFORMED;
        }
        int padLen = pkt[dataOff + dataLen - 2] & 0xff;
        int innerLen = dataLen - 2 - padLen;
        if (innerLen < 0) {
            return BAD_PADDING;
        }
        for (int i = 0; i < padLen; i++) {
            if ((pkt[dataOff + innerLen + i] & 0xff) != i + 1) {
                return BAD_PADDING;
            }
        }
        innerOffset = dataOff;
        nextHeader = pkt[dataOff + dataLen - 1] & 0xff;
        return innerLen;
    }

    /** Where the payload of the last successful {@link #open} starts. */
    public int innerOffset() {
        return innerOffset;
    }

    /** The next header of the last successful {@link #open}. */
    public int nextHeader() {
        return nextHeader;
    }

    /** GCM's additional data: SPI and sequence number, the high half too with ESN (RFC 4106 section 5). */
    private int aad(int spi, long seq, boolean esn) {
        putInt(aad, 0, spi);
        if (esn) {
            putLong(aad, 4, seq);
            return 12;
        }
        putInt(aad, 4, (int) seq);
        return 8;
    }

    /** HMAC over the packet up to the ICV, then the high sequence bits with ESN (RFC 4303 section 2.2.1). */
    private Mac mac(Integrity i, EspKeys keys, byte[] pkt, int off, int len, long seq, boolean esn)
            throws GeneralSecurityException {
        Mac m = macs[i.ordinal()];
        m.init(keys.auth());
        m.update(pkt, off, len);
        if (esn) {
            putInt(icv, 0, (int) (seq >>> 32));
            m.update(icv, 0, 4);
        }
        return m;
    }

    private void sign(Integrity i, EspKeys keys, byte[] pkt, int off, int len, long seq, boolean esn,
                      byte[] out, int outOff) throws GeneralSecurityException {
        Mac m = mac(i, keys, pkt, off, len, seq, esn);
        m.doFinal(icv, 0);
        System.arraycopy(icv, 0, out, outOff, i.icvLength());
    }

    private boolean verify(Integrity i, EspKeys keys, byte[] pkt, int off, int len, long seq, boolean esn)
            throws GeneralSecurityException {
        int icvLen = i.icvLength();
        Mac m = mac(i, keys, pkt, off, len - icvLen, seq, esn);
        m.doFinal(icv, 0);
        // constant time: the loop never stops early, so timing reveals nothing about the ICV
        int diff = 0;
        int at = off + len - icvLen;
        for (int k = 0; k < icvLen; k++) {
            diff |= icv[k] ^ pkt[at + k];
        }
        return diff == 0;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
