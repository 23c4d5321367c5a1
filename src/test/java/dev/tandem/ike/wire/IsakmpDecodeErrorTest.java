package dev.tandem.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Every way the decoder must refuse, with the field it must name. Offsets
 * refer to main mode message 1 ({@link IsakmpSamples#mainMode1()}): header
 * 0-27, SA 28 (DOI 32, situation 36), proposal 40, transform 48, attributes
 * 56 (the TLV life duration at 80), vendor ID 88, 108 octets in all.
 */
class IsakmpDecodeErrorTest {

    private static byte[] sample() {
        return IsakmpSamples.mainMode1().encode();
    }

    private static String fieldOf(byte[] datagram) {
        MalformedIsakmp e = catchThrowableOfType(MalformedIsakmp.class, () -> IsakmpMessage.decode(datagram));
        assertThat(e).as("decode must refuse").isNotNull();
        return e.field();
    }

    private static String chainFieldOf(int first, String hex) {
        MalformedIsakmp e = catchThrowableOfType(MalformedIsakmp.class,
                () -> PayloadChain.decode(first, HexFormat.of().parseHex(hex.replace(" ", ""))));
        assertThat(e).as("decode must refuse").isNotNull();
        return e.field();
    }

    private static byte[] patched(int at, int... values) {
        byte[] b = sample();
        for (int i = 0; i < values.length; i++) {
            b[at + i] = (byte) values[i];
        }
        return b;
    }

    private static void setLength(byte[] b, int length) {
        b[24] = (byte) (length >>> 24);
        b[25] = (byte) (length >>> 16);
        b[26] = (byte) (length >>> 8);
        b[27] = (byte) length;
    }

    @Test
    void sampleItselfDecodes() throws Exception {
        assertThat(IsakmpMessage.decode(sample()).payloads()).hasSize(2);
    }

    @Test
    void everyTruncatedDatagramIsRefusedAtTheHeader() {
        byte[] full = sample();
        for (int n = 0; n < full.length; n++) {
            assertThat(fieldOf(Arrays.copyOf(full, n))).as("prefix %d", n).startsWith("header.");
        }
    }

    @Test
    void everyTruncationWithAConsistentHeaderLengthIsRefusedInTheChain() {
        for (IsakmpMessage m : IsakmpSamples.plaintext()) {
            byte[] full = m.encode();
            for (int n = IsakmpHeader.SIZE; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                setLength(cut, n);
                assertThat(fieldOf(cut)).as("prefix %d", n).startsWith("payload");
            }
        }
    }

    @Test
    void everyTruncationOfABareChainIsRefused() {
        for (IsakmpMessage m : IsakmpSamples.plaintext()) {
            byte[] chain = PayloadChain.encode(m.payloads());
            int first = PayloadChain.firstType(m.payloads());
            for (int n = 0; n < chain.length; n++) {
                byte[] cut = Arrays.copyOf(chain, n);
                assertThat(catchThrowableOfType(MalformedIsakmp.class, () -> PayloadChain.decode(first, cut)))
                        .as("prefix %d", n).isNotNull();
                assertThat(catchThrowableOfType(MalformedIsakmp.class, () -> PayloadChain.decodePadded(first, cut)))
                        .as("padded prefix %d", n).isNotNull();
            }
        }
    }

    @Test
    void headerLengthMustEqualTheDatagram() {
        byte[] longer = sample();
        setLength(longer, 109);
        assertThat(fieldOf(longer)).isEqualTo("header.length");
        byte[] shorter = sample();
        setLength(shorter, 100);
        assertThat(fieldOf(shorter)).isEqualTo("header.length");
        assertThat(fieldOf(new byte[70000])).isEqualTo("header.length");
    }

    @Test
    void otherMajorVersionsAreRefused() {
        assertThat(fieldOf(patched(17, 0x20))).isEqualTo("header.version");
        assertThat(fieldOf(patched(17, 0x00))).isEqualTo("header.version");
    }

    @Test
    void payloadLengthBelowTheGenericHeaderIsRefused() {
        assertThat(fieldOf(patched(30, 0, 3))).isEqualTo("payload[0].length");
        // a zero length would make the walk stand still: refused, not looped on
        assertThat(fieldOf(patched(90, 0, 0))).isEqualTo("payload[1].length");
    }

    @Test
    void payloadOverrunningTheMessageIsRefused() {
        assertThat(fieldOf(patched(90, 0, 21))).isEqualTo("payload[1].length");
        assertThat(fieldOf(patched(30, 0, 81))).isEqualTo("payload[0].length");
    }

    @Test
    void trailingOctetsAfterTheLastPayloadAreRefused() {
        byte[] b = Arrays.copyOf(sample(), 110);
        setLength(b, 110);
        assertThat(fieldOf(b)).isEqualTo("trailing");
    }

    @Test
    void proposalMustFitTheSa() {
        // SA cut to 56 octets: the 48-octet proposal no longer fits
        assertThat(fieldOf(patched(30, 0, 56))).isEqualTo("payload[0].sa.proposal[0].length");
        // proposal claims more than the SA holds
        assertThat(fieldOf(patched(42, 0, 52))).isEqualTo("payload[0].sa.proposal[0].length");
        assertThat(fieldOf(patched(42, 0, 7))).isEqualTo("payload[0].sa.proposal[0].length");
    }

    @Test
    void transformMustFitTheProposal() {
        assertThat(fieldOf(patched(42, 0, 44))).isEqualTo("payload[0].sa.proposal[0].transform[0].length");
        assertThat(fieldOf(patched(50, 0, 42))).isEqualTo("payload[0].sa.proposal[0].transform[0].length");
        assertThat(fieldOf(patched(50, 0, 7))).isEqualTo("payload[0].sa.proposal[0].transform[0].length");
    }

    @Test
    void shorterTransformLeavesOctetsInTheProposal() {
        // transform of 36 octets: the TLV's value overruns it
        assertThat(fieldOf(patched(50, 0, 36)))
                .isEqualTo("payload[0].sa.proposal[0].transform[0].attribute[6].length");
        // transform of 32 octets ending cleanly after six TV attributes: 8 octets left in the proposal
        assertThat(fieldOf(patched(50, 0, 32))).isEqualTo("payload[0].sa.proposal[0].length");
    }

    @Test
    void attributeLengthMustFitTheTransform() {
        assertThat(fieldOf(patched(82, 0, 5))).isEqualTo("payload[0].sa.proposal[0].transform[0].attribute[6].length");
        assertThat(fieldOf(patched(82, 0xff, 0xff)))
                .isEqualTo("payload[0].sa.proposal[0].transform[0].attribute[6].length");
    }

    @Test
    void attributeCutInItsHeaderIsRefused() {
        // transform of 34 octets: six TV attributes, then half of the TLV header
        byte[] b = patched(50, 0, 34);
        assertThat(fieldOf(b)).startsWith("payload[0].sa.proposal[0].transform[0].attribute[6]");
    }

    @Test
    void transformCountMustMatchTheChain() {
        assertThat(fieldOf(patched(47, 2))).isEqualTo("payload[0].sa.proposal[0].transformCount");
        assertThat(fieldOf(patched(47, 0))).isEqualTo("payload[0].sa.proposal[0].transformCount");
        assertThat(fieldOf(patched(47, 200))).isEqualTo("payload[0].sa.proposal[0].transformCount");
        // the transform says another follows, but the proposal is over
        assertThat(fieldOf(patched(48, 3))).isEqualTo("payload[0].sa.proposal[0].transformCount");
        byte[] twoAnnounced = patched(47, 2);
        twoAnnounced[48] = 3;
        assertThat(fieldOf(twoAnnounced)).isEqualTo("payload[0].sa.proposal[0].transform[1].nextPayload");
    }

    @Test
    void nestedNextPayloadsMustBeTheirOwnKind() {
        assertThat(fieldOf(patched(48, 5))).isEqualTo("payload[0].sa.proposal[0].transform[0].nextPayload");
        assertThat(fieldOf(patched(40, 3))).isEqualTo("payload[0].sa.proposal[0].nextPayload");
        // proposal announces another proposal the SA has no room for
        assertThat(fieldOf(patched(40, 2))).isEqualTo("payload[0].sa.proposal[1].nextPayload");
    }

    @Test
    void proposalOrTransformOutsideAnSaIsRefused() {
        assertThat(fieldOf(patched(16, 2))).isEqualTo("header.nextPayload");
        assertThat(fieldOf(patched(28, 3))).isEqualTo("payload[0].nextPayload");
    }

    @Test
    void reservedOctetsMustBeZero() {
        assertThat(fieldOf(patched(29, 1))).isEqualTo("payload[0].reserved");
        assertThat(fieldOf(patched(41, 1))).isEqualTo("payload[0].sa.proposal[0].reserved");
        assertThat(fieldOf(patched(49, 1))).isEqualTo("payload[0].sa.proposal[0].transform[0].reserved");
        assertThat(fieldOf(patched(55, 1))).isEqualTo("payload[0].sa.proposal[0].transform[0].reserved2");
        assertThat(fieldOf(patched(89, 0x80))).isEqualTo("payload[1].reserved");
    }

    @Test
    void spiSizeMustFitTheProposal() {
        assertThat(fieldOf(patched(46, 200))).isEqualTo("payload[0].sa.proposal[0].spiSize");
        // a 4-octet SPI eats the transform's header: the transform chain is then malformed
        assertThat(fieldOf(patched(46, 4))).startsWith("payload[0].sa.proposal[0].transform[0]");
    }

    @Test
    void labelledSituationsAreRefused() {
        assertThat(fieldOf(patched(39, 3))).isEqualTo("payload[0].sa.situation");
    }

    @Test
    void tooManyPayloadsAreRefused() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < PayloadChain.MAX_PAYLOADS + 1; i++) {
            hex.append("0d000004");
        }
        hex.append("00000004");
        assertThat(chainFieldOf(13, hex.toString())).isEqualTo("payloads");
    }

    @Test
    void payloadBodiesAreChecked() {
        assertThat(chainFieldOf(12, "00000010 00000001 03 04 0002 01020304")).isEqualTo("payload[0].delete.spiCount");
        assertThat(chainFieldOf(12, "0000000c 00000001 03 04 0001")).isEqualTo("payload[0].delete.spiCount");
        assertThat(chainFieldOf(5, "0000000b 01 00 0000 0a0000")).isEqualTo("payload[0].id.data");
        assertThat(chainFieldOf(5, "0000001e 06 00 0000 20010db8000000000000000000000000ffffffffffff")).isEqualTo(
                "payload[0].id.data");
        assertThat(chainFieldOf(5, "00000006 01 00")).isEqualTo("payload[0].id.port");
        assertThat(chainFieldOf(21, "0000000c 02000000 01020304")).isEqualTo("payload[0].natOa.idType");
        assertThat(chainFieldOf(21, "0000000c 01000100 01020304")).isEqualTo("payload[0].natOa.reserved");
        assertThat(chainFieldOf(21, "0000000b 01000000 010203")).isEqualTo("payload[0].natOa.address");
        assertThat(chainFieldOf(11, "00000010 00000001 03 08 0018 01020304")).isEqualTo("payload[0].notify.spi");
        assertThat(chainFieldOf(11, "0000000b 00000001 03 00 00")).isEqualTo("payload[0].notify.type");
        assertThat(chainFieldOf(1, "00000008 00000001")).isEqualTo("payload[0].sa.situation");
        assertThat(chainFieldOf(1, "0000000c 00000001 00000001")).isEqualTo("payload[0].sa.proposal[0].nextPayload");
        assertThat(chainFieldOf(6, "00000004")).isEqualTo("payload[0].encoding");
        assertThat(chainFieldOf(7, "00000004")).isEqualTo("payload[0].certType");
    }

    @Test
    void wellFormedBodiesOfTheSameKindsDecode() throws Exception {
        // the counterparts of the refusals above, so a refusal is not just any failure
        assertThat(PayloadChain.decode(12, HexFormat.of().parseHex("000000140000000103040002" + "0102030405060708")))
                .hasSize(1);
        assertThat(PayloadChain.decode(5, HexFormat.of().parseHex("0000000c010000000a000001"))).hasSize(1);
        assertThat(PayloadChain.decode(21, HexFormat.of().parseHex("0000000c0100000001020304"))).hasSize(1);
        assertThat(PayloadChain.decode(6, HexFormat.of().parseHex("0000000504"))).hasSize(1);
        assertThat(PayloadChain.decode(0, new byte[0])).isEmpty();
    }

    @Test
    void everySingleByteChangeIsRefusedOrCanonical() {
        int[] edits = {0x00, 0x01, 0x02, 0x03, 0x04, 0x7f, 0x80, 0xff};
        int accepted = 0;
        for (IsakmpMessage m : IsakmpSamples.plaintext()) {
            byte[] wire = m.encode();
            for (int at = 0; at < wire.length; at++) {
                for (int v : edits) {
                    byte[] b = wire.clone();
                    b[at] = (byte) v;
                    try {
                        IsakmpMessage back = IsakmpMessage.decode(b);
                        accepted++;
                        if (!Arrays.equals(back.encode(), b)) {
                            fail("accepted non-canonical input, change at %d to %d", at, v);
                        }
                    } catch (MalformedIsakmp refused) {
                        assertThat(refused.field()).isNotBlank();
                    } catch (RuntimeException unchecked) {
                        throw new AssertionError("unchecked exception at " + at + " = " + v, unchecked);
                    }
                }
            }
        }
        // cookies, opaque data and attribute values change freely, so most edits are accepted
        assertThat(accepted).isPositive();
    }
}
