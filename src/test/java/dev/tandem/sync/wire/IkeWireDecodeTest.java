package dev.tandem.sync.wire;

import static dev.tandem.sync.wire.SyncMessageDecodeTest.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.ike.Phase1State;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The IKE state messages: exact round trips, every bad field named, keys never printed. */
class IkeWireDecodeTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] with(byte[] b, int offset, String replacement) {
        byte[] c = b.clone();
        byte[] r = HEX.parseHex(replacement);
        System.arraycopy(r, 0, c, offset, r.length);
        return c;
    }

    @Test
    void phase1StateRoundTripsExactly() throws Exception {
        for (Phase1State s : new Phase1State[] {SyncFixtures.phase1Main(), SyncFixtures.phase1AggressiveNatV6()}) {
            byte[] b = new SyncMessage.IkePhase1Upsert(s).encode();
            SyncMessage back = SyncMessage.decode(b);
            assertThat(back).isEqualTo(new SyncMessage.IkePhase1Upsert(s));
            assertThat(((SyncMessage.IkePhase1Upsert) back).state().skeyidE()).isEqualTo(s.skeyidE());
            assertThat(back.encode()).isEqualTo(b);
        }
    }

    @Test
    void childStateRoundTripsExactly() throws Exception {
        for (var s : new dev.tandem.ike.ChildState[] {SyncFixtures.childTunnel(), SyncFixtures.childTransportPfsNat()}) {
            byte[] b = new SyncMessage.IkeChildUpsert(s).encode();
            assertThat(SyncMessage.decode(b)).isEqualTo(new SyncMessage.IkeChildUpsert(s));
        }
    }

    @Test
    void badValuesInAPhase1Upsert() {
        // layout of phase1Main: type, policy (2 + 17), initiator 20, mode 21, cookies 22/30, cipher 38, hash 39,
        // group 40, life 42, transform 50, SKEYID_d 51 (1 + 32), _a 84, _e 117, IV 150 (1 + 16), local 167,
        // local port 168, peer 170 (1 + 4), peer port 175, natT 177, DPD 178, sequence 179, id type 183
        byte[] b = new SyncMessage.IkePhase1Upsert(SyncFixtures.phase1Main()).encode();
        refused(with(b, 20, "02"), "initiator");
        refused(with(b, 21, "03"), "mode");
        refused(with(b, 22, "0000000000000000"), "initiatorCookie");
        refused(with(b, 30, "0000000000000000"), "responderCookie");
        refused(with(b, 38, "07"), "choice.cipher");
        refused(with(b, 39, "01"), "choice.hash");
        refused(with(b, 40, "0003"), "choice.group");
        refused(with(b, 42, "80"), "choice.lifeSeconds");
        refused(with(b, 51, "14"), "skeyidD");
        refused(with(b, 84, "30"), "skeyidA");
        refused(with(b, 117, "ff"), "skeyidE");
        refused(with(b, 150, "08"), "phase1Iv");
        refused(with(b, 167, "05"), "localAddress");
        refused(with(b, 168, "0000"), "localPort");
        refused(with(b, 175, "0000"), "peer.port");
        refused(with(b, 177, "02"), "natT");
        refused(with(b, 183, "04"), "remoteId.type");
        // id value 184 (2 + 12), age 198, last received 206 (2 + 92), last answer 300 (2 + 76)
        refused(with(b, 206, "1001"), "lastReceived");
        refused(with(b, 300, "0000"), "lastAnswer");
    }

    @Test
    void badValuesInAChildUpsert() {
        byte[] b = new SyncMessage.IkeChildUpsert(SyncFixtures.childTunnel()).encode();
        int afterName = 3 + "from-10.1.0.0/24-to-10.2.0.0/24".length();
        refused(with(b, afterName, "0000000000000000"), "initiatorCookie");
        refused(with(b, afterName + 16, "05"), "inbound.dst");
        refused(with(b, afterName + 16 + 5, "11"), "inbound.protocol");
    }

    @Test
    void keysNeverPrint() {
        Phase1State s = SyncFixtures.phase1Main();
        String text = new SyncMessage.IkePhase1Upsert(s).toString();
        assertThat(text).doesNotContainIgnoringCase(HEX.formatHex(s.skeyidD()))
                .doesNotContainIgnoringCase(HEX.formatHex(s.skeyidE())).contains("keys hidden");
    }

    @Test
    void namesTooLongForTheWireAreRefusedWhenTheMessageIsMade() {
        Phase1State s = SyncFixtures.phase1Main();
        Phase1State longName = new Phase1State("p".repeat(257), s.initiator(), s.mode(), s.initiatorCookie(),
                s.responderCookie(), s.choice(), s.skeyidD(), s.skeyidA(), s.skeyidE(), s.phase1Iv(),
                s.localAddress(), s.localPort(), s.peer(), s.natT(), s.peerDpd(), s.dpdSequence(), s.remoteId(),
                s.ageMillis(), s.lastReceived(), s.lastAnswer());
        assertThatThrownBy(() -> new SyncMessage.IkePhase1Upsert(longName))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
