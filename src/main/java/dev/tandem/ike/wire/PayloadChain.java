package dev.tandem.ike.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chain of generic payloads that follows the ISAKMP header (RFC 2408
 * §3.2): each payload names the type of the next one, 0 ends the chain.
 * Kept apart from the header so that a caller can decode the chain from
 * decrypted octets (flag E) and encode one to encrypt.
 */
public final class PayloadChain {

    /** Bound on payloads per message; Quick Mode with NAT-OA needs fewer than 12. */
    public static final int MAX_PAYLOADS = 64;
    static final int GENERIC_HEADER = 4;

    private PayloadChain() {
    }

    /**
     * Decodes a chain that fills {@code body} exactly, the first payload being
     * of type {@code firstType} (the header's next payload; 0 for an empty chain).
     */
    public static List<Payload> decode(int firstType, byte[] body) throws MalformedIsakmp {
        return decode(firstType, body, 0, body.length, false);
    }

    /**
     * Decodes a chain from decrypted octets, where the cipher's padding may
     * follow the last payload (RFC 2409 §5.3); the padding is ignored.
     */
    public static List<Payload> decodePadded(int firstType, byte[] plaintext) throws MalformedIsakmp {
        return decode(firstType, plaintext, 0, plaintext.length, true);
    }

    static List<Payload> decode(int firstType, byte[] buf, int from, int end, boolean trailingAllowed)
            throws MalformedIsakmp {
        Cursor c = new Cursor(buf, from, end, "");
        List<Payload> out = new ArrayList<>();
        int next = firstType;
        while (next != PayloadType.NONE.code()) {
            String where = "payload[" + out.size() + "]";
            if (out.size() == MAX_PAYLOADS) {
                throw new MalformedIsakmp("payloads", "more than " + MAX_PAYLOADS + " payloads");
            }
            c.scope(where);
            if (next == PayloadType.PROPOSAL.code() || next == PayloadType.TRANSFORM.code()) {
                throw new MalformedIsakmp(out.isEmpty() ? "header.nextPayload"
                        : "payload[" + (out.size() - 1) + "].nextPayload",
                        "proposal and transform payloads only occur inside an SA");
            }
            int following = c.u8("nextPayload");
            c.zero(1, "reserved");
            int len = c.u16("length");
            if (len < GENERIC_HEADER) {
                throw new MalformedIsakmp(c.field("length"), len + " is below the generic header size 4");
            }
            if (len - GENERIC_HEADER > c.remaining()) {
                throw new MalformedIsakmp(c.field("length"), len + " overruns the message, "
                        + (c.remaining() + GENERIC_HEADER) + " left");
            }
            Cursor body = c.sub(len - GENERIC_HEADER, "length");
            out.add(decodeBody(next, body, where));
            next = following;
        }
        if (!trailingAllowed && c.remaining() != 0) {
            throw new MalformedIsakmp("trailing", c.remaining() + " octets after the last payload");
        }
        return out;
    }

    private static Payload decodeBody(int type, Cursor c, String where) throws MalformedIsakmp {
        PayloadType known = PayloadType.of(type).orElse(null);
        if (known == null) {
            return new Payload.Unknown(type, c.rest());
        }
        Payload p = switch (known) {
            case SECURITY_ASSOCIATION -> decodeSa(c, where);
            case KEY_EXCHANGE -> new Payload.KeyExchange(c.rest());
            case IDENTIFICATION -> decodeId(c);
            case CERTIFICATE -> new Payload.Certificate(c.u8("encoding"), c.rest());
            case CERTIFICATE_REQUEST -> new Payload.CertificateRequest(c.u8("certType"), c.rest());
            case HASH -> new Payload.Hash(c.rest());
            case SIGNATURE -> new Payload.Signature(c.rest());
            case NONCE -> new Payload.Nonce(c.rest());
            case NOTIFICATION -> decodeNotification(c);
            case DELETE -> decodeDelete(c);
            case VENDOR_ID -> new Payload.VendorId(c.rest());
            case NAT_D -> new Payload.NatDiscovery(c.rest());
            case NAT_OA -> decodeNatOa(c);
            case NONE, PROPOSAL, TRANSFORM -> throw new AssertionError("excluded by the chain walk");
        };
        return p;
    }

    private static Payload decodeSa(Cursor c, String where) throws MalformedIsakmp {
        long doi = c.u32("sa.doi");
        long situation = c.u32("sa.situation");
        // Secrecy and integrity situations append labelled-domain fields (RFC 2407 §4.2) we do not parse
        if ((situation & ~1L) != 0) {
            throw new MalformedIsakmp(c.field("sa.situation"), "only SIT_IDENTITY_ONLY is supported, was "
                    + situation);
        }
        List<Proposal> proposals = new ArrayList<>();
        int[] next = {PayloadType.PROPOSAL.code()};
        while (next[0] != PayloadType.NONE.code()) {
            if (proposals.size() == Payload.SecurityAssociation.MAX_PROPOSALS) {
                throw new MalformedIsakmp(where + ".sa.proposals", "more than "
                        + Payload.SecurityAssociation.MAX_PROPOSALS);
            }
            proposals.add(Proposal.read(c, where + ".sa.proposal[" + proposals.size() + "]", next));
        }
        c.scope(where);
        if (c.remaining() != 0) {
            throw new MalformedIsakmp(c.field("length"), c.remaining() + " octets after the last proposal");
        }
        return new Payload.SecurityAssociation(doi, situation, proposals);
    }

    private static Payload decodeId(Cursor c) throws MalformedIsakmp {
        int type = c.u8("id.type");
        int protocol = c.u8("id.protocol");
        int port = c.u16("id.port");
        String bad = idDataError(type, c.remaining());
        if (bad != null) {
            throw new MalformedIsakmp(c.field("id.data"), bad);
        }
        return new Payload.Identification(type, protocol, port, c.rest());
    }

    private static Payload decodeNotification(Cursor c) throws MalformedIsakmp {
        long doi = c.u32("notify.doi");
        int protocol = c.u8("notify.protocolId");
        int spiSize = c.u8("notify.spiSize");
        int type = c.u16("notify.type");
        byte[] spi = c.bytes(spiSize, "notify.spi");
        return new Payload.Notification(doi, protocol, spi, type, c.rest());
    }

    private static Payload decodeDelete(Cursor c) throws MalformedIsakmp {
        long doi = c.u32("delete.doi");
        int protocol = c.u8("delete.protocolId");
        int spiSize = c.u8("delete.spiSize");
        int count = c.u16("delete.spiCount");
        if ((long) spiSize * count != c.remaining()) {
            throw new MalformedIsakmp(c.field("delete.spiCount"), count + " SPIs of " + spiSize
                    + " octets do not fill the " + c.remaining() + " octets left");
        }
        List<byte[]> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(c.bytes(spiSize, "delete.spi"));
        }
        return new Payload.Delete(doi, protocol, spiSize, spis);
    }

    private static Payload decodeNatOa(Cursor c) throws MalformedIsakmp {
        int type = c.u8("natOa.idType");
        c.zero(3, "natOa.reserved");
        int want = type == IdType.IPV4_ADDR.code() ? 4 : type == IdType.IPV6_ADDR.code() ? 16 : -1;
        if (want < 0) {
            throw new MalformedIsakmp(c.field("natOa.idType"), "must be IPV4_ADDR or IPV6_ADDR, was " + type);
        }
        if (c.remaining() != want) {
            throw new MalformedIsakmp(c.field("natOa.address"), c.remaining() + " octets, expected " + want);
        }
        return new Payload.NatOriginalAddress(type, c.rest());
    }

    /** Why {@code length} octets cannot be identification data of {@code idType}, or null if they can. */
    static String idDataError(int idType, int length) {
        int want = switch (IdType.of(idType).orElse(IdType.KEY_ID)) {
            case IPV4_ADDR -> 4;
            case IPV4_ADDR_SUBNET, IPV4_ADDR_RANGE -> 8;
            case IPV6_ADDR -> 16;
            case IPV6_ADDR_SUBNET, IPV6_ADDR_RANGE -> 32;
            default -> -1;
        };
        return want < 0 || want == length ? null : "ID type " + idType + " needs " + want + " octets, got " + length;
    }

    /** The type code of the first payload, 0 for an empty chain: the header's next payload. */
    public static int firstType(List<? extends Payload> payloads) {
        return payloads.isEmpty() ? PayloadType.NONE.code() : payloads.getFirst().type();
    }

    /** The chain's octets, to follow the header or to be encrypted (the caller pads). */
    public static byte[] encode(List<? extends Payload> payloads) {
        Writer w = new Writer();
        write(w, payloads);
        return w.toArray();
    }

    static void write(Writer w, List<? extends Payload> payloads) {
        if (payloads.size() > MAX_PAYLOADS) {
            throw new IllegalArgumentException("more than " + MAX_PAYLOADS + " payloads");
        }
        for (int i = 0; i < payloads.size(); i++) {
            int next = i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.NONE.code();
            int start = w.length();
            w.u8(next);
            w.u8(0);
            w.u16(0);
            writeBody(w, payloads.get(i));
            int len = w.length() - start;
            if (len > 0xffff) {
                throw new IllegalArgumentException("payload " + i + " longer than 65535 octets");
            }
            w.patch16(start + 2, len);
        }
    }

    private static void writeBody(Writer w, Payload p) {
        switch (p) {
            case Payload.SecurityAssociation sa -> {
                w.u32(sa.doi());
                w.u32(sa.situation());
                List<Proposal> ps = sa.proposals();
                for (int i = 0; i < ps.size(); i++) {
                    ps.get(i).write(w, i == ps.size() - 1);
                }
            }
            case Payload.KeyExchange ke -> w.bytes(ke.data());
            case Payload.Identification id -> {
                w.u8(id.idType());
                w.u8(id.protocolId());
                w.u16(id.port());
                w.bytes(id.data());
            }
            case Payload.Certificate cert -> {
                w.u8(cert.encoding());
                w.bytes(cert.data());
            }
            case Payload.CertificateRequest cr -> {
                w.u8(cr.certType());
                w.bytes(cr.authority());
            }
            case Payload.Hash h -> w.bytes(h.data());
            case Payload.Signature s -> w.bytes(s.data());
            case Payload.Nonce n -> w.bytes(n.data());
            case Payload.Notification n -> {
                byte[] spi = n.spi();
                w.u32(n.doi());
                w.u8(n.protocolId());
                w.u8(spi.length);
                w.u16(n.notifyType());
                w.bytes(spi);
                w.bytes(n.data());
            }
            case Payload.Delete d -> {
                w.u32(d.doi());
                w.u8(d.protocolId());
                w.u8(d.spiSize());
                w.u16(d.spis().size());
                for (byte[] spi : d.spis()) {
                    w.bytes(spi);
                }
            }
            case Payload.VendorId v -> w.bytes(v.data());
            case Payload.NatDiscovery nd -> w.bytes(nd.hash());
            case Payload.NatOriginalAddress oa -> {
                w.u8(oa.idType());
                w.u8(0);
                w.u16(0);
                w.bytes(oa.address());
            }
            case Payload.Unknown u -> w.bytes(u.body());
        }
    }

    private static byte[] body(Payload p) {
        Writer w = new Writer();
        writeBody(w, p);
        return w.toArray();
    }

    static boolean sameBody(Payload a, Object o) {
        return o instanceof Payload b && a.getClass() == b.getClass() && a.type() == b.type()
                && Arrays.equals(body(a), body(b));
    }

    /** Type name and body in hex: none of these payloads carries a key, so the octets may be shown. */
    static String describe(Payload p) {
        return p.getClass().getSimpleName() + "[type=" + p.type() + ", body=" + java.util.HexFormat.of().formatHex(body(p))
                + "]";
    }

    static int bodyHash(Payload p) {
        return 31 * p.type() + Arrays.hashCode(body(p));
    }
}
