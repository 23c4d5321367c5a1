package dev.tandem.sync.wire;

import static dev.tandem.sync.wire.SyncFixtures.ip;
import static dev.tandem.sync.wire.SyncFixtures.net;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Selector;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyncMessageTest {

    static final HexFormat HEX = HexFormat.of();

    @Test
    void theSamplesCoverEveryMessageType() {
        Set<SyncMessage.Type> seen = SyncFixtures.samples().stream().map(SyncMessage::type)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(SyncMessage.Type.class)));
        assertThat(seen).isEqualTo(EnumSet.allOf(SyncMessage.Type.class));
    }

    @Test
    void everyMessageRoundTripsAndEncodesCanonically() throws Exception {
        for (SyncMessage m : SyncFixtures.samples()) {
            byte[] b = m.encode();
            assertThat(b[0] & 0xff).as("type code of %s", m).isEqualTo(m.type().code());
            SyncMessage back = SyncMessage.decode(b);
            assertThat(back).as("%s", m.type()).isEqualTo(m);
            assertThat(back.encode()).as("%s re-encoded", m.type()).isEqualTo(b);
        }
    }

    @Test
    void saUpsertRoundTripsWithEveryTransform() throws Exception {
        List<EspTransform> all = SyncFixtures.allTransforms();
        assertThat(all).hasSize(19);
        for (int i = 0; i < all.size(); i++) {
            SaSpec s = SyncFixtures.spec(all.get(i), i);
            SyncMessage.SaUpsert u = new SyncMessage.SaUpsert(s, i * 1_000_003L, i * 999L, i, i * 1400L, i * 60_000L);
            SyncMessage.SaUpsert back = (SyncMessage.SaUpsert) SyncMessage.decode(u.encode());
            assertThat(back).isEqualTo(u);
            // EspKeys.equals compares key bytes; check them here too, to not rely on it alone
            assertThat(back.spec().keys().encKeyBytes()).isEqualTo(s.keys().encKeyBytes());
            assertThat(back.spec().keys().authKeyBytes()).isEqualTo(s.keys().authKeyBytes());
            assertThat(back.spec().keys().transform()).isEqualTo(all.get(i));
        }
    }

    /** The layout written out by hand, so that a change of the format cannot pass unnoticed. */
    @Test
    void saUpsertHasTheDocumentedLayout() throws Exception {
        byte[] key = new byte[20];
        for (int i = 0; i < 20; i++) {
            key[i] = (byte) i;
        }
        SaSpec s = new SaSpec(new SaId(ip("192.0.2.2"), SaProtocol.ESP, 0x1234), ip("192.0.2.1"), SaMode.TUNNEL,
                new EspKeys(new EspTransform.AesGcm(16), key, null), Encapsulation.NAT_T, true, 64,
                new SaLifetime(10, 20, 30), new SaLifetime(40, 0, 0));
        String expected = "05" // SA_UPSERT
                + "04c0000202" + "32" + "00001234" // dst, ESP, SPI
                + "04c0000201" // src
                + "01" + "01" + "10" // tunnel, AES-GCM, 16-byte key
                + "14" + "000102030405060708090a0b0c0d0e0f10111213" + "00" // enc key with salt, no auth key
                + "02" + "1194" + "1194" // UDP 4500 -> 4500
                + "01" + "00000040" // ESN, window 64
                + "000000000000000a" + "0000000000000014" + "000000000000001e" // soft
                + "0000000000000028" + "0000000000000000" + "0000000000000000" // hard
                + "0000000000000005" + "0000000000000007" // outbound sequence, replay top
                + "0000000000000003" + "000000000000012c" + "00000000000005dc"; // packets, bytes, age ms
        SyncMessage.SaUpsert u = new SyncMessage.SaUpsert(s, 5, 7, 3, 300, 1500);
        assertThat(HEX.formatHex(u.encode())).isEqualTo(expected);
        assertThat(SyncMessage.decode(HEX.parseHex(expected))).isEqualTo(u);
    }

    @Test
    void flowAddHasTheDocumentedLayout() throws Exception {
        String expected = "07" + "02" // FLOW_ADD, out
                + "04c0a80a00" + "18" + "04c0a81400" + "18" // 192.168.10.0/24 -> 192.168.20.0/24
                + "00" + "0000" + "0000" // any protocol and ports
                + "32" + "03" // ESP, require
                + "04c6336402" + "00" // peer 198.51.100.2, no local address
                + "00" + "00"; // no identities
        assertThat(HEX.formatHex(new SyncMessage.FlowAdd(SyncFixtures.v4OutFlow()).encode())).isEqualTo(expected);
    }

    @Test
    void smallMessagesHaveTheDocumentedLayout() {
        assertThat(HEX.formatHex(new SyncMessage.Role(RunState.BACKUP, 9).encode()))
                .isEqualTo("03" + "02" + "0000000000000009");
        assertThat(HEX.formatHex(new SyncMessage.Ack(0x0102030405060708L, 1).encode()))
                .isEqualTo("0a" + "0102030405060708" + "0000000000000001");
        assertThat(HEX.formatHex(new SyncMessage.SnapshotBegin(1, 3, 2).encode()))
                .isEqualTo("04" + "0000000000000001" + "00000003" + "00000002");
        assertThat(HEX.formatHex(new SyncMessage.Bye("ok").encode())).isEqualTo("0c" + "0002" + "6f6b");
        assertThat(HEX.formatHex(new SyncMessage.SaDelete(new SaId(ip("::1"), SaProtocol.AH, -1)).encode()))
                .isEqualTo("06" + "06" + "00000000000000000000000000000001" + "33" + "ffffffff");
        assertThat(HEX.formatHex(new SyncMessage.Counters(List.of(
                new SyncMessage.Counters.Entry(new SaId(ip("10.0.0.1"), SaProtocol.ESP, 2), 3, 4))).encode()))
                .isEqualTo("0b" + "0001" + "040a000001" + "32" + "00000002" + "0000000000000003" + "0000000000000004");
    }

    @Test
    void aFullCountersBatchFitsInOneFrame() throws Exception {
        List<SyncMessage.Counters.Entry> entries = new ArrayList<>();
        for (int i = 0; i < SyncMessage.Counters.MAX_ENTRIES; i++) {
            entries.add(new SyncMessage.Counters.Entry(
                    new SaId(ip("2001:db8::" + Integer.toHexString(i + 1)), SaProtocol.ESP, i), -1L - i, i));
        }
        SyncMessage.Counters c = new SyncMessage.Counters(entries);
        byte[] b = c.encode();
        assertThat(b.length).isLessThanOrEqualTo(Frame.MAX_PLAINTEXT);
        assertThat(SyncMessage.decode(b)).isEqualTo(c);
    }

    @Test
    void keysNeverAppearInToString() {
        SaSpec s = SyncFixtures.v6GcmUdpEsn();
        String text = SyncFixtures.upsert(s).toString();
        assertThat(text).contains("2001:db8:1::2");
        assertThat(text.toLowerCase()).doesNotContain(HEX.formatHex(s.keys().encKeyBytes()).substring(0, 8));
    }

    @Test
    void messagesTheWireCannotCarryAreRefusedWhenMade() {
        assertThatThrownBy(() -> new SyncMessage.Bye("x".repeat(SyncMessage.Bye.MAX_REASON_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        // 128 two-byte characters are 256 bytes: the limit counts bytes, not characters
        new SyncMessage.Bye("é".repeat(128));
        assertThatThrownBy(() -> new SyncMessage.Bye("é".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncMessage.Bye("\ud800")).isInstanceOf(IllegalArgumentException.class);
        List<SyncMessage.Counters.Entry> tooMany = IntStream.rangeClosed(0, SyncMessage.Counters.MAX_ENTRIES)
                .mapToObj(i -> new SyncMessage.Counters.Entry(SyncFixtures.v4Gcm().id(), i, i)).toList();
        assertThatThrownBy(() -> new SyncMessage.Counters(tooMany)).isInstanceOf(IllegalArgumentException.class);
        Flow longId = new Flow(FlowDirection.OUT, new Selector(net("10.0.0.0/8"), net("10.1.0.0/16"), 0, 0, 0),
                SaProtocol.ESP, FlowType.USE, null, null, "a".repeat(1025), null);
        assertThatThrownBy(() -> new SyncMessage.FlowAdd(longId)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncMessage.Auth(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncMessage.SnapshotBegin(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodingWithAnOffsetReadsOnlyThatRange() throws Exception {
        byte[] m = new SyncMessage.SnapshotEnd(77).encode();
        byte[] padded = new byte[m.length + 6];
        System.arraycopy(m, 0, padded, 3, m.length);
        padded[0] = 9;
        padded[padded.length - 1] = 9;
        assertThat(SyncMessage.decode(padded, 3, m.length)).isEqualTo(new SyncMessage.SnapshotEnd(77));
    }
}
