package dev.tandem.ike;

import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import java.util.Arrays;
import java.util.List;

/** Picking payloads out of a decoded chain. */
final class Payloads {

    static final byte[] NAT_T_VID = java.util.HexFormat.of().parseHex("4a131c81070358455c5728f20e95452f");
    static final byte[] DPD_VID = java.util.HexFormat.of().parseHex("afcad71368a1f1c96b8696fc77570100");

    private Payloads() {
    }

    static <T extends Payload> List<T> all(List<Payload> ps, Class<T> type) {
        return ps.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static int indexOf(List<Payload> ps, Class<? extends Payload> type) {
        for (int i = 0; i < ps.size(); i++) {
            if (type.isInstance(ps.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The one payload of a type the message must carry. */
    static <T extends Payload> T required(List<Payload> ps, Class<T> type, String what) throws MalformedIsakmp {
        List<T> found = all(ps, type);
        if (found.size() != 1) {
            throw new MalformedIsakmp(what, found.isEmpty() ? "missing" : found.size() + " present, expected one");
        }
        return found.getFirst();
    }

    static <T extends Payload> T optional(List<Payload> ps, Class<T> type) {
        List<T> found = all(ps, type);
        return found.isEmpty() ? null : found.getFirst();
    }

    static boolean hasVendorId(List<Payload> ps, byte[] vid) {
        return all(ps, Payload.VendorId.class).stream().anyMatch(v -> Arrays.equals(v.data(), vid));
    }

    /** The body octets of a payload we build (for SAi_b, IDii_b). */
    static byte[] body(Payload p) {
        byte[] all = PayloadChain.encode(List.of(p));
        return Arrays.copyOfRange(all, 4, all.length);
    }

    static byte[] cookie(long c) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (c >>> (56 - 8 * i));
        }
        return b;
    }

    static long cookie(byte[] b, int off) {
        long c = 0;
        for (int i = 0; i < 8; i++) {
            c = (c << 8) | (b[off + i] & 0xff);
        }
        return c;
    }

    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static int int32(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
