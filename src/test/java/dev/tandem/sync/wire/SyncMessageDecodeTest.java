package dev.tandem.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Everything a decoder must refuse, and that it refuses it with the checked exception naming the field. */
class SyncMessageDecodeTest {

    static final HexFormat HEX = HexFormat.of();

    /** The SA_UPSERT of {@link SyncMessageTest#saUpsertHasTheDocumentedLayout}; offsets below refer to it. */
    static final String UPSERT = "05" + "04c0000202" + "32" + "00001234" + "04c0000201" + "01" + "01" + "10"
            + "14" + "000102030405060708090a0b0c0d0e0f10111213" + "00" + "02" + "1194" + "1194" + "01" + "00000040"
            + "000000000000000a" + "0000000000000014" + "000000000000001e"
            + "0000000000000028" + "0000000000000000" + "0000000000000000"
            + "0000000000000005" + "0000000000000007" + "0000000000000003" + "000000000000012c" + "00000000000005dc";

    /** The FLOW_ADD of {@link SyncMessageTest#flowAddHasTheDocumentedLayout}. */
    static final String FLOW = "07" + "02" + "04c0a80a00" + "18" + "04c0a81400" + "18" + "00" + "0000" + "0000"
            + "32" + "03" + "04c6336402" + "00" + "00" + "00";

    static byte[] with(String hex, int offset, String replacement) {
        byte[] b = HEX.parseHex(hex);
        byte[] r = HEX.parseHex(replacement);
        System.arraycopy(r, 0, b, offset, r.length);
        return b;
    }

    static void refused(byte[] b, String field) {
        assertThatThrownBy(() -> SyncMessage.decode(b)).as("%s", HEX.formatHex(b))
                .isInstanceOfSatisfying(MalformedSyncMessage.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void theBaseMessagesDecode() throws Exception {
        SyncMessage.decode(HEX.parseHex(UPSERT));
        SyncMessage.decode(HEX.parseHex(FLOW));
    }

    @Test
    void everyTruncationOfEveryMessageIsRefused() {
        for (SyncMessage m : SyncFixtures.samples()) {
            byte[] b = m.encode();
            for (int n = 0; n < b.length; n++) {
                byte[] prefix = Arrays.copyOf(b, n);
                assertThatThrownBy(() -> SyncMessage.decode(prefix)).as("%s cut to %d of %d bytes", m.type(), n, b.length)
                        .isInstanceOf(MalformedSyncMessage.class).hasMessageNotContaining("null");
            }
        }
    }

    @Test
    void aByteAfterAnyMessageIsRefused() {
        for (SyncMessage m : SyncFixtures.samples()) {
            byte[] b = Arrays.copyOf(m.encode(), m.encode().length + 1);
            refused(b, "trailing");
        }
    }

    @Test
    void unknownMessageTypes() {
        refused(new byte[] {0}, "type");
        refused(new byte[] {17}, "type");
        refused(new byte[] {(byte) 0xff, 0, 0}, "type");
        refused(new byte[0], "type");
    }

    @Test
    void badValuesInAnSaUpsert() {
        refused(with(UPSERT, 1, "05"), "sa.dst");
        refused(with(UPSERT, 6, "11"), "sa.protocol");
        refused(with(UPSERT, 6, "33"), "sa.protocol"); // AH: SaSpec is ESP only
        refused(with(UPSERT, 11, "06"), "src"); // an IPv6 source for an IPv4 destination
        refused(with(UPSERT, 16, "00"), "mode");
        refused(with(UPSERT, 16, "03"), "mode");
        refused(with(UPSERT, 17, "00"), "transform");
        refused(with(UPSERT, 17, "04"), "transform");
        refused(with(UPSERT, 18, "11"), "transform.aesKeyLength");
        refused(with(UPSERT, 19, "10"), "encKey"); // 16 bytes: the GCM salt is missing
        refused(with(UPSERT, 19, "ff"), "encKey");
        refused(with(UPSERT, 40, "01"), "authKey"); // GCM has no authentication key
        refused(with(UPSERT, 41, "00"), "encapsulation");
        refused(with(UPSERT, 41, "03"), "encapsulation");
        refused(with(UPSERT, 42, "0000"), "encapsulation.srcPort");
        refused(with(UPSERT, 44, "0000"), "encapsulation.dstPort");
        refused(with(UPSERT, 46, "02"), "esn");
        refused(with(UPSERT, 47, "0000001f"), "replayWindow");
        refused(with(UPSERT, 47, "00100001"), "replayWindow");
        refused(with(UPSERT, 47, "ffffffff"), "replayWindow");
        refused(with(UPSERT, 51, "80"), "soft.seconds");
        refused(with(UPSERT, 67, "ff"), "soft.packets");
        refused(with(UPSERT, 83, "80"), "hard.bytes");
        refused(with(UPSERT, 115, "80"), "packets");
        refused(with(UPSERT, 123, "80"), "bytes");
        refused(with(UPSERT, 131, "ff"), "ageMillis");
    }

    @Test
    void sequenceNumbersUseAll64Bits() throws Exception {
        SyncMessage.SaUpsert u = (SyncMessage.SaUpsert) SyncMessage.decode(
                with(UPSERT, 99, "ffffffffffffffff" + "8000000000000000"));
        assertThat(u.outboundSequence()).isEqualTo(-1L);
        assertThat(u.replayTop()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void badIntegrityCodes() {
        for (EspTransform t : new EspTransform[] {
            new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA1_96), new EspTransform.NullHmac(Integrity.HMAC_SHA1_96)}) {
            byte[] b = SyncFixtures.upsert(new dev.tandem.sadb.SaSpec(SyncFixtures.v4Gcm().id(),
                    SyncFixtures.ip("198.51.100.1"), dev.tandem.sadb.SaMode.TUNNEL, SyncFixtures.keys(t),
                    dev.tandem.sadb.Encapsulation.RAW, false, 64, dev.tandem.sadb.SaLifetime.NONE,
                    dev.tandem.sadb.SaLifetime.NONE)).encode();
            // CBC: kind, AES key length, integrity; NULL: kind, integrity
            int at = t instanceof EspTransform.AesCbcHmac ? 19 : 18;
            assertThat(b[at]).isEqualTo((byte) 1);
            b[at] = 0;
            refused(b.clone(), "transform.integrity");
            b[at] = 5;
            refused(b, "transform.integrity");
        }
    }

    @Test
    void badValuesInAFlow() {
        refused(with(FLOW, 1, "00"), "direction");
        refused(with(FLOW, 1, "03"), "direction");
        refused(with(FLOW, 2, "00"), "selector.src");
        refused(with(FLOW, 7, "21"), "selector.src.prefix"); // /33
        refused(with(FLOW, 7, "08"), "selector.src"); // 192.168.10.0/8 has host bits
        refused(with(FLOW, 13, "10"), "selector.dst"); // 192.168.20.0/16 has host bits
        refused(with(FLOW, 8, "06"), "selector.dst"); // IPv6 destination for an IPv4 source
        refused(with(FLOW, 19, "00"), "saProtocol");
        refused(with(FLOW, 20, "00"), "type");
        refused(with(FLOW, 20, "07"), "type");
        refused(with(FLOW, 21, "05"), "peer");
        refused(with(FLOW, 26, "01"), "local");
        refused(with(FLOW, 27, "02"), "srcId");
        refused(with(FLOW, 28, "02"), "dstId");
    }

    @Test
    void identitiesAreBoundedAndStrictUtf8() {
        String head = FLOW.substring(0, 27 * 2);
        refused(HEX.parseHex(head + "01" + "0401" + "61".repeat(1025) + "00"), "srcId");
        refused(HEX.parseHex(head + "01" + "0002" + "c328" + "00"), "srcId");
        refused(HEX.parseHex(head + "00" + "01" + "ffff"), "dstId");
    }

    @Test
    void badValuesInSmallMessages() {
        refused(HEX.parseHex("03" + "00" + "0000000000000001"), "state");
        refused(HEX.parseHex("03" + "04" + "0000000000000001"), "state");
        refused(HEX.parseHex("04" + "0000000000000001" + "80000000" + "00000000"), "saCount");
        refused(HEX.parseHex("04" + "0000000000000001" + "00000000" + "ffffffff"), "flowCount");
        refused(HEX.parseHex("01" + "00".repeat(31)), "transcriptHash");
        refused(HEX.parseHex("06" + "04c0000202" + "06" + "00001234"), "sa.protocol");
    }

    @Test
    void countersAreBounded() {
        refused(HEX.parseHex("0b" + "1001"), "count"); // 4097
        refused(HEX.parseHex("0b" + "ffff" + "00".repeat(64)), "count");
        refused(HEX.parseHex("0b" + "1000" + "00".repeat(100)), "count"); // 4096 entries cannot be in 100 bytes
        refused(HEX.parseHex("0b" + "0001" + "050a000001" + "32" + "00000002" + "00".repeat(16)), "entries[0].sa.dst");
        // an IPv6 entry first, so that the count passes the size check and the cut is found in place
        refused(HEX.parseHex("0b" + "0002" + "06" + "20010db8" + "00".repeat(12) + "32" + "00000002" + "00".repeat(16)
                + "040a000001" + "32" + "00000002" + "00".repeat(10)), "entries[1].replayTop");
    }

    @Test
    void byeReasonsAreBoundedAndStrictUtf8() {
        refused(HEX.parseHex("0c" + "0101" + "61".repeat(257)), "reason");
        refused(HEX.parseHex("0c" + "ffff"), "reason");
        refused(HEX.parseHex("0c" + "0001" + "ff"), "reason");
        refused(HEX.parseHex("0c" + "0002" + "c0af"), "reason"); // overlong '/'
        refused(HEX.parseHex("0c" + "0003" + "eda080"), "reason"); // a surrogate encoded in UTF-8
        refused(HEX.parseHex("0c" + "0005" + "61"), "reason"); // announces more than there is
    }

    /**
     * Random bytes behind every type code: only the checked exception may
     * come out, and whatever decodes encodes back to the very same bytes.
     */
    @Test
    void randomBytesNeverEscapeAsUncheckedExceptions() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[r.nextInt(0, 200)];
            r.nextBytes(b);
            if (b.length > 0) {
                b[0] = (byte) r.nextInt(0, 14);
            }
            try {
                SyncMessage m = SyncMessage.decode(b);
                assertThat(m.encode()).isEqualTo(b);
            } catch (MalformedSyncMessage expected) {
                assertThat(expected.field()).isNotBlank();
            } catch (RuntimeException e) {
                fail("unchecked exception for " + HEX.formatHex(b), e);
            }
        }
    }

    /** Each single-byte change of each sample: refused with the checked exception, or a message that re-encodes to it. */
    @Test
    void everySingleByteChangeIsRefusedOrCanonical() {
        for (SyncMessage m : SyncFixtures.samples()) {
            byte[] b = m.encode();
            for (int i = 0; i < b.length; i++) {
                for (int v : new int[] {0x00, 0x01, 0x7f, 0x80, 0xff, (b[i] & 0xff) ^ 0x10}) {
                    byte[] c = b.clone();
                    c[i] = (byte) v;
                    try {
                        assertThat(SyncMessage.decode(c).encode()).isEqualTo(c);
                    } catch (MalformedSyncMessage expected) {
                        // refused is fine
                    } catch (RuntimeException e) {
                        fail(m.type() + " byte " + i + " = " + v + ": " + e, e);
                    }
                }
            }
        }
    }
}
