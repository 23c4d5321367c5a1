package dev.tandem.ike.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A proposal payload inside an SA (RFC 2408 §3.5): number, protocol id
 * ({@link ProtocolId}), the SPI (empty for phase 1, 4 octets for ESP/AH) and
 * its transforms, which must fill the payload exactly and match the count.
 */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {

    public static final int MAX_TRANSFORMS = 64;
    static final int FIXED = 8;

    public Proposal {
        if (number < 0 || number > 0xff || protocolId < 0 || protocolId > 0xff) {
            throw new IllegalArgumentException("proposal number or protocol out of range");
        }
        if (spi.length > 0xff) {
            throw new IllegalArgumentException("SPI longer than 255 octets");
        }
        spi = spi.clone();
        transforms = List.copyOf(transforms);
        if (transforms.isEmpty() || transforms.size() > MAX_TRANSFORMS) {
            throw new IllegalArgumentException("a proposal carries 1.." + MAX_TRANSFORMS + " transforms");
        }
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    int encodedLength() {
        int n = FIXED + spi.length;
        for (Transform t : transforms) {
            n += t.encodedLength();
        }
        return n;
    }

    void write(Writer w, boolean last) {
        int len = encodedLength();
        if (len > 0xffff) {
            throw new IllegalArgumentException("proposal longer than 65535 octets");
        }
        w.u8(last ? PayloadType.NONE.code() : PayloadType.PROPOSAL.code());
        w.u8(0);
        w.u16(len);
        w.u8(number);
        w.u8(protocolId);
        w.u8(spi.length);
        w.u8(transforms.size());
        w.bytes(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).write(w, i == transforms.size() - 1);
        }
    }

    /** Reads one proposal payload from an SA's body; {@code next[0]} receives its next-payload code. */
    static Proposal read(Cursor c, String where, int[] next) throws MalformedIsakmp {
        c.scope(where);
        next[0] = c.u8("nextPayload");
        if (next[0] != PayloadType.NONE.code() && next[0] != PayloadType.PROPOSAL.code()) {
            throw new MalformedIsakmp(c.field("nextPayload"), "must be 2 (proposal) or 0, was " + next[0]);
        }
        c.zero(1, "reserved");
        int len = c.u16("length");
        if (len < FIXED) {
            throw new MalformedIsakmp(c.field("length"), len + " is below the proposal minimum of " + FIXED);
        }
        if (len - 4 > c.remaining()) {
            throw new MalformedIsakmp(c.field("length"), len + " overruns the SA, " + (c.remaining() + 4)
                    + " left");
        }
        Cursor body = c.sub(len - 4, "length");
        int number = body.u8("number");
        int protocol = body.u8("protocolId");
        int spiSize = body.u8("spiSize");
        int count = body.u8("transformCount");
        if (spiSize > body.remaining()) {
            throw new MalformedIsakmp(body.field("spiSize"), spiSize + " overruns the proposal");
        }
        byte[] spi = body.bytes(spiSize, "spi");
        if (count == 0) {
            throw new MalformedIsakmp(body.field("transformCount"), "a proposal needs at least one transform");
        }
        if (count > MAX_TRANSFORMS) {
            throw new MalformedIsakmp(body.field("transformCount"), count + " is above " + MAX_TRANSFORMS);
        }
        List<Transform> transforms = new ArrayList<>();
        int[] tnext = {PayloadType.TRANSFORM.code()};
        while (tnext[0] != PayloadType.NONE.code()) {
            if (transforms.size() == count) {
                throw new MalformedIsakmp(where + ".transformCount", "chain has more than " + count
                        + " transforms");
            }
            transforms.add(Transform.read(body, where + ".transform[" + transforms.size() + "]", tnext));
        }
        body.scope(where);
        if (transforms.size() != count) {
            throw new MalformedIsakmp(body.field("transformCount"), count + " announced, " + transforms.size()
                    + " present");
        }
        if (body.remaining() != 0) {
            throw new MalformedIsakmp(body.field("length"), body.remaining() + " octets after the last transform");
        }
        return new Proposal(number, protocol, spi, transforms);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proposal p && p.number == number && p.protocolId == protocolId
                && Arrays.equals(p.spi, spi) && p.transforms.equals(transforms);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spi) * 31 + transforms.hashCode() + number * 7 + protocolId;
    }

    @Override
    public String toString() {
        return "Proposal[number=" + number + ", protocolId=" + protocolId + ", spi=" + HexFormat.of().formatHex(spi)
                + ", transforms=" + transforms + "]";
    }
}
