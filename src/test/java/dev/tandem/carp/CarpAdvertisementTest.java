package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CarpAdvertisementTest {

    private static final HexFormat HEX = HexFormat.of();

    static byte[] md(int seed) {
        byte[] md = new byte[20];
        for (int i = 0; i < md.length; i++) {
            md[i] = (byte) (seed * 31 + i * 7);
        }
        return md;
    }

    /** The RFC 1071 sum written out word by word, independently of Checksums. */
    static int onesComplementSum(byte[] b, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    /** Sets the checksum of the first 36 bytes of {@code b} so that only the field we altered is wrong. */
    static void fixChecksum(byte[] b) {
        b[6] = 0;
        b[7] = 0;
        int c = ~onesComplementSum(b, 36) & 0xffff;
        b[6] = (byte) (c >>> 8);
        b[7] = (byte) c;
    }

    @Test
    void encodesEveryFieldWhereTheHeaderHasIt() {
        CarpAdvertisement ad = new CarpAdvertisement(42, 100, 7, 3, 0x0102030405060708L, md(1));
        byte[] b = ad.encode();
        assertThat(b).hasSize(36);
        assertThat(HEX.formatHex(b, 0, 6)).isEqualTo("212a6407" + "0703");
        assertThat(HEX.formatHex(b, 8, 16)).isEqualTo("0102030405060708");
        assertThat(Arrays.copyOfRange(b, 16, 36)).isEqualTo(md(1));
        assertThat(onesComplementSum(b, 36)).as("sum including the checksum").isEqualTo(0xffff);
    }

    @Test
    void roundTrips() throws Exception {
        for (CarpAdvertisement ad : new CarpAdvertisement[] {
            new CarpAdvertisement(1, 0, 0, 1, 0, md(2)),
            new CarpAdvertisement(255, 255, 255, 255, -1L, md(3)),
            new CarpAdvertisement(17, 128, 32, 0, Long.MIN_VALUE, md(4)),
        }) {
            CarpAdvertisement back = CarpAdvertisement.decode(ad.encode());
            assertThat(back).isEqualTo(ad);
            assertThat(back.md()).isEqualTo(ad.md());
        }
    }

    @Test
    void tooShortIsALengthError() {
        byte[] b = new CarpAdvertisement(1, 0, 0, 1, 5, md(5)).encode();
        assertThatThrownBy(() -> CarpAdvertisement.decode(Arrays.copyOf(b, 35)))
                .isInstanceOfSatisfying(MalformedAdvertisement.class, e -> assertThat(e.field()).isEqualTo("length"));
        assertThatThrownBy(() -> CarpAdvertisement.decode(new byte[0]))
                .isInstanceOfSatisfying(MalformedAdvertisement.class, e -> assertThat(e.field()).isEqualTo("length"));
    }

    @Test
    void anyAlteredHeaderByteFailsTheChecksum() {
        byte[] good = new CarpAdvertisement(9, 10, 11, 1, 0x1122334455667788L, md(6)).encode();
        for (int i = 0; i < 36; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x01;
            assertThatThrownBy(() -> CarpAdvertisement.decode(b)).as("byte %d", i)
                    .isInstanceOfSatisfying(MalformedAdvertisement.class,
                            e -> assertThat(e.field()).isEqualTo("checksum"));
        }
    }

    @Test
    void checksumCoversTheHeaderOnlyAndTrailingBytesAreIgnored() throws Exception {
        // OpenBSD checks carp_cksum over sizeof(struct carp_header) and reads no further.
        CarpAdvertisement ad = new CarpAdvertisement(9, 10, 11, 1, 99, md(7));
        byte[] longer = Arrays.copyOf(ad.encode(), 40);
        longer[36] = 0x12;
        longer[39] = 0x7f;
        assertThat(onesComplementSum(longer, 40)).as("the whole payload would not verify").isNotEqualTo(0xffff);
        assertThat(CarpAdvertisement.decode(longer)).isEqualTo(ad);
    }

    @Test
    void versionOtherThanTwoIsRefused() {
        byte[] b = new CarpAdvertisement(3, 0, 0, 1, 1, md(8)).encode();
        b[0] = 0x31;
        fixChecksum(b);
        assertThatThrownBy(() -> CarpAdvertisement.decode(b))
                .isInstanceOfSatisfying(MalformedAdvertisement.class, e -> assertThat(e.field()).isEqualTo("version"));
    }

    @Test
    void typeOtherThanAdvertisementIsRefused() {
        byte[] b = new CarpAdvertisement(3, 0, 0, 1, 1, md(9)).encode();
        b[0] = 0x22;
        fixChecksum(b);
        assertThatThrownBy(() -> CarpAdvertisement.decode(b))
                .isInstanceOfSatisfying(MalformedAdvertisement.class, e -> assertThat(e.field()).isEqualTo("type"));
    }

    @Test
    void vhidZeroIsRefused() {
        byte[] b = new CarpAdvertisement(3, 0, 0, 1, 1, md(10)).encode();
        b[1] = 0;
        fixChecksum(b);
        assertThatThrownBy(() -> CarpAdvertisement.decode(b))
                .isInstanceOfSatisfying(MalformedAdvertisement.class, e -> assertThat(e.field()).isEqualTo("vhid"));
    }

    @Test
    void authLenIsNotChecked() throws Exception {
        // Neither OpenBSD nor ucarp looks at it; encode always writes 7.
        CarpAdvertisement ad = new CarpAdvertisement(3, 0, 0, 1, 1, md(11));
        byte[] b = ad.encode();
        b[3] = 0;
        fixChecksum(b);
        assertThat(CarpAdvertisement.decode(b)).isEqualTo(ad);
    }

    @Test
    void constructorRefusesOutOfRangeFields() {
        assertThatThrownBy(() -> new CarpAdvertisement(0, 0, 0, 1, 0, md(1))).hasMessageContaining("vhid");
        assertThatThrownBy(() -> new CarpAdvertisement(256, 0, 0, 1, 0, md(1))).hasMessageContaining("vhid");
        assertThatThrownBy(() -> new CarpAdvertisement(1, -1, 0, 1, 0, md(1))).hasMessageContaining("advskew");
        assertThatThrownBy(() -> new CarpAdvertisement(1, 0, 256, 1, 0, md(1))).hasMessageContaining("demote");
        assertThatThrownBy(() -> new CarpAdvertisement(1, 0, 0, 256, 0, md(1))).hasMessageContaining("advbase");
        assertThatThrownBy(() -> new CarpAdvertisement(1, 0, 0, 1, 0, new byte[19])).hasMessageContaining("md");
    }

    @Test
    void mdIsCopiedInAndOut() {
        byte[] md = md(12);
        CarpAdvertisement ad = new CarpAdvertisement(1, 0, 0, 1, 0, md);
        md[0] ^= 1;
        assertThat(ad.md()).isEqualTo(md(12));
        ad.md()[1] ^= 1;
        assertThat(ad.md()).isEqualTo(md(12));
    }

    @Test
    void bowOutIsAdvbaseAndAdvskew255() {
        assertThat(new CarpAdvertisement(1, 255, 0, 255, 0, md(1)).bowOut()).isTrue();
        assertThat(new CarpAdvertisement(1, 254, 0, 255, 0, md(1)).bowOut()).isFalse();
        assertThat(new CarpAdvertisement(1, 255, 0, 254, 0, md(1)).bowOut()).isFalse();
        assertThat(new CarpAdvertisement(1, 100, 0, 1, 0, md(1)).intervalTicks()).isEqualTo(356);
    }
}
