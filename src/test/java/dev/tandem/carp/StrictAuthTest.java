package dev.tandem.carp;

import static dev.tandem.carp.OpenBsdHmacTest.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StrictAuthTest {

    static final dev.tandem.net.IpAddress SRC = dev.tandem.net.IpAddress.parse("192.0.2.1").orElseThrow();

    private static final HexFormat HEX = HexFormat.of();
    /** 2026-01-01T00:00:00Z in microseconds. */
    static final long T0 = 1_767_225_600_000_000L;

    private final AtomicLong clock = new AtomicLong(T0);
    private final List<IpAddress> vips = ips("192.0.2.2", "192.0.2.1", "2001:db8::7");

    static byte[] hmacSha256(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Test
    void knownAnswerFromHkdfAndHmacWrittenOut() throws Exception {
        // RFC 5869 with one block of output: PRK = HMAC(salt, IKM), OKM = HMAC(PRK, info | 0x01)
        byte[] prk = hmacSha256("dev.tandem.carp strict v1".getBytes(StandardCharsets.US_ASCII),
                "correct horse battery staple, and then some".getBytes(StandardCharsets.UTF_8));
        byte[] info = "dev.tandem.carp hmac-sha256 vhid \u0009\u0001".getBytes(StandardCharsets.US_ASCII);
        byte[] key = hmacSha256(prk, info);
        String header = "21" + "09" + "64" + "07" + "03" + "01" + "0000" + "0006543210fedcba" + "00".repeat(20);
        String sender = "04c0000201";
        String addresses = "04c0000201" + "04c0000202" + "1020010db8000000000000000000000007";
        byte[] expected = Arrays.copyOf(hmacSha256(key, HEX.parseHex(header + sender + addresses)), 20);

        CarpAuth auth = CarpAuth.strict("correct horse battery staple, and then some", 9, clock::get);
        CarpAdvertisement ad = auth.sign(new CarpAdvertisement(9, 100, 3, 1, 0x0006543210fedcbaL, new byte[20]), SRC, vips);
        assertThat(HEX.formatHex(ad.md())).isEqualTo(HEX.formatHex(expected));
        assertThat(auth.verify(ad, SRC, vips)).isTrue();
    }

    @Test
    void everyHeaderFieldIsCovered() {
        CarpAuth auth = CarpAuth.strict("passphrase", 9, clock::get);
        CarpAdvertisement ad = auth.sign(new CarpAdvertisement(9, 100, 3, 1, auth.nextCounter(), new byte[20]), SRC, vips);
        assertThat(auth.verify(ad, SRC, vips)).isTrue();
        assertThat(auth.verify(ad, SRC, List.of(vips.get(2), vips.get(0), vips.get(1)))).as("order of configuration")
                .isTrue();
        byte[] md = ad.md();
        long c = ad.counter();
        assertThat(auth.verify(new CarpAdvertisement(9, 101, 3, 1, c, md), SRC, vips)).as("advskew").isFalse();
        assertThat(auth.verify(new CarpAdvertisement(9, 100, 4, 1, c, md), SRC, vips)).as("demote").isFalse();
        assertThat(auth.verify(new CarpAdvertisement(9, 100, 3, 2, c, md), SRC, vips)).as("advbase").isFalse();
        assertThat(auth.verify(new CarpAdvertisement(9, 255, 3, 255, c, md), SRC, vips)).as("bow-out").isFalse();
        assertThat(auth.verify(new CarpAdvertisement(8, 100, 3, 1, c, md), SRC, vips)).as("vhid").isFalse();
        assertThat(auth.verify(new CarpAdvertisement(9, 100, 3, 1, c + 1, md), SRC, vips)).as("counter").isFalse();
        assertThat(auth.verify(ad, SRC, vips.subList(0, 2))).as("addresses").isFalse();
        assertThat(auth.verify(ad, IpAddress.parse("192.0.2.66").orElseThrow(), vips)).as("sender").isFalse();
        assertThat(auth.verify(ad, SRC, ips("192.0.2.1", "192.0.2.2", "2001:db8::8"))).as("addresses").isFalse();
        assertThat(CarpAuth.strict("passphrasE", 9, clock::get).verify(ad, SRC, vips)).as("passphrase").isFalse();
    }

    @Test
    void theWholePassphraseCountsAndEachVhidHasItsOwnKey() {
        CarpAdvertisement unsigned = new CarpAdvertisement(1, 0, 0, 1, T0, new byte[20]);
        byte[] a = CarpAuth.strict("0123456789abcdefghiXXX", 1, clock::get).sign(unsigned, SRC, vips).md();
        byte[] b = CarpAuth.strict("0123456789abcdefghiYYY", 1, clock::get).sign(unsigned, SRC, vips).md();
        assertThat(a).isNotEqualTo(b);
        byte[] otherVhidKey = new StrictMac("0123456789abcdefghiXXX", 2).compute(unsigned, SRC, vips);
        assertThat(otherVhidKey).isNotEqualTo(a);
    }

    @Test
    void modesDoNotAcceptEachOther() {
        CarpAuth strict = CarpAuth.strict("samepass", 4, clock::get);
        CarpAuth openBsd = CarpAuth.openBsd(CarpKey.fromPass("samepass"));
        CarpAdvertisement unsigned = new CarpAdvertisement(4, 0, 0, 1, T0, new byte[20]);
        assertThat(strict.verify(openBsd.sign(unsigned, SRC, vips), SRC, vips)).isFalse();
        assertThat(openBsd.verify(strict.sign(unsigned, SRC, vips), SRC, vips)).isFalse();
    }

    @Test
    void needsAPassphraseAndAValidVhid() {
        assertThatThrownBy(() -> CarpAuth.strict("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CarpAuth.strict(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CarpAuth.strict("x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CarpAuth.strict("x", 1).toString()).doesNotContain("x");
    }

    @Test
    void countersIncreaseAndOurLastEightAreRecognisedAsOwn() {
        CarpAuth auth = CarpAuth.strict("passphrase", 9, clock::get);
        long[] sent = new long[10];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = auth.nextCounter();
            if (i % 3 == 0) {
                clock.addAndGet(1_000_000);
            }
        }
        for (int i = 1; i < sent.length; i++) {
            assertThat(sent[i]).isGreaterThan(sent[i - 1]);
        }
        assertThat(auth.isOwn(sent[0])).as("forgotten").isFalse();
        assertThat(auth.isOwn(sent[1])).as("forgotten").isFalse();
        for (int i = 2; i < sent.length; i++) {
            assertThat(auth.isOwn(sent[i])).as("sent #%d", i).isTrue();
        }
        assertThat(auth.isOwn(sent[9] + 1)).isFalse();
        assertThat(CarpAuth.strict("passphrase", 9, clock::get).isOwn(0)).as("nothing sent yet").isFalse();
    }

    @Test
    void acceptCounterRefusesReplays() {
        CarpAuth auth = CarpAuth.strict("passphrase", 9, clock::get);
        IpAddress peer = IpAddress.parse("192.0.2.50").orElseThrow();
        assertThat(auth.acceptCounter(peer, T0 - 1_000)).isTrue();
        assertThat(auth.acceptCounter(peer, T0 - 1_000)).isFalse();
        assertThat(auth.acceptCounter(peer, T0 + 1_000_000)).isTrue();
        assertThat(auth.acceptCounter(peer, T0)).isFalse();
    }
}
