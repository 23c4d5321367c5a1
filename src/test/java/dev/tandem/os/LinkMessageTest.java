package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** rtnetlink link messages: the RTM_GETLINK request, and decoding what the kernel sends back. */
class LinkMessageTest {

    private static final int UP = NetDevice.IFF_UP;
    private static final int RUNNING = NetDevice.IFF_RUNNING;
    private static final int LOWER_UP = NetDevice.IFF_LOWER_UP;

    /** nlmsghdr + ifinfomsg + {@code attributes} bytes of rtattrs (zero here), padded to 4. */
    private static ByteBuffer link(ByteBuffer b, int type, int seq, int ifindex, int flags, int attributes) {
        int len = 16 + 16 + attributes;
        b.putInt(len).putShort((short) type).putShort((short) 0).putInt(seq).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(ifindex).putInt(flags).putInt(0);
        b.position(b.position() + ((attributes + 3) & ~3));
        return b;
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    }

    private static List<LinkMessage> decode(ByteBuffer b) throws MalformedPacket {
        return LinkMessage.decode(b.array(), b.position());
    }

    @Test
    void requestAsksForOneDevice() {
        ByteBuffer b = ByteBuffer.wrap(LinkMessage.request(7, 42)).order(ByteOrder.nativeOrder());
        assertThat(b.capacity()).isEqualTo(32);
        assertThat(b.getInt(0)).as("nlmsg_len").isEqualTo(32);
        assertThat(b.getShort(4)).as("RTM_GETLINK").isEqualTo((short) 18);
        assertThat(b.getShort(6)).as("NLM_F_REQUEST, no dump").isEqualTo((short) 1);
        assertThat(b.getInt(8)).as("seq").isEqualTo(42);
        assertThat(b.get(16)).as("AF_UNSPEC").isZero();
        assertThat(b.getInt(20)).as("ifi_index").isEqualTo(7);
    }

    @Test
    void upNeedsAdminUpAndCarrier() throws Exception {
        ByteBuffer b = buffer();
        link(b, LinkMessage.RTM_NEWLINK, 0, 3, UP | RUNNING | LOWER_UP, 0);
        link(b, LinkMessage.RTM_NEWLINK, 0, 3, UP, 0);
        link(b, LinkMessage.RTM_NEWLINK, 0, 3, LOWER_UP, 0);
        link(b, LinkMessage.RTM_DELLINK, 0, 3, UP | RUNNING | LOWER_UP, 0);
        List<LinkMessage> m = decode(b);
        assertThat(m).extracting(LinkMessage::up).containsExactly(true, false, false, false);
        assertThat(m).extracting(LinkMessage::ifindex).containsOnly(3);
        assertThat(m.get(3).type()).isEqualTo(LinkMessage.RTM_DELLINK);
    }

    @Test
    void attributesArePaddedToFourBytes() throws Exception {
        ByteBuffer b = buffer();
        link(b, LinkMessage.RTM_NEWLINK, 9, 5, UP | LOWER_UP, 13);
        link(b, LinkMessage.RTM_NEWLINK, 0, 6, 0, 0);
        List<LinkMessage> m = decode(b);
        assertThat(m).extracting(LinkMessage::ifindex).containsExactly(5, 6);
        assertThat(m.get(0).sequence()).isEqualTo(9);
    }

    @Test
    void errorCarriesTheNegativeErrno() throws Exception {
        ByteBuffer b = buffer();
        b.putInt(36).putShort((short) LinkMessage.NLMSG_ERROR).putShort((short) 0).putInt(4).putInt(0);
        b.putInt(-19);
        b.position(36);
        List<LinkMessage> m = decode(b);
        assertThat(m).containsExactly(new LinkMessage(LinkMessage.NLMSG_ERROR, 4, 0, 0, -19));
        assertThat(m.get(0).up()).isFalse();
    }

    @Test
    void otherMessagesAreSkipped() throws Exception {
        ByteBuffer b = buffer();
        b.putInt(20).putShort((short) 3).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        link(b, LinkMessage.RTM_NEWLINK, 0, 2, UP | LOWER_UP, 0);
        assertThat(decode(b)).extracting(LinkMessage::ifindex).containsExactly(2);
    }

    @Test
    void lengthShorterThanTheHeader() {
        ByteBuffer b = buffer();
        b.putInt(15).putShort((short) 16).putShort((short) 0).putInt(0).putInt(0);
        assertThatThrownBy(() -> decode(b)).isInstanceOf(MalformedPacket.class).hasMessageContaining("nlmsg_len 15");
    }

    @Test
    void lengthBeyondTheDatagram() {
        ByteBuffer b = buffer();
        link(b, LinkMessage.RTM_NEWLINK, 0, 2, UP, 0);
        assertThatThrownBy(() -> LinkMessage.decode(b.array(), 31)).isInstanceOf(MalformedPacket.class)
                .hasMessageContaining("nlmsg_len 32");
    }

    @Test
    void linkMessageWithoutRoomForIfinfomsg() {
        ByteBuffer b = buffer();
        b.putInt(24).putShort((short) LinkMessage.RTM_NEWLINK).putShort((short) 0).putInt(0).putInt(0).putLong(0);
        assertThatThrownBy(() -> decode(b)).isInstanceOf(MalformedPacket.class).hasMessageContaining("ifinfomsg");
    }

    @Test
    void errorWithoutRoomForTheErrno() {
        ByteBuffer b = buffer();
        b.putInt(16).putShort((short) LinkMessage.NLMSG_ERROR).putShort((short) 0).putInt(0).putInt(0);
        assertThatThrownBy(() -> decode(b)).isInstanceOf(MalformedPacket.class).hasMessageContaining("nlmsgerr");
    }

    @Test
    void arbitraryBytesNeverThrowUnchecked() {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = buffer();
            link(b, random.nextBoolean() ? 16 : 17, random.nextInt(), random.nextInt(8), random.nextInt(), 0);
            byte[] bytes = b.array();
            int len = random.nextInt(80);
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                bytes[random.nextInt(len + 1)] = (byte) random.nextInt();
            }
            try {
                LinkMessage.decode(bytes, len);
            } catch (MalformedPacket e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }
}
