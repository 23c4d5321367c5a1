package dev.tandem.carp;

import static dev.tandem.carp.OpenBsdHmacTest.ips;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenBsdAuthTest {

    static final dev.tandem.net.IpAddress SRC = dev.tandem.net.IpAddress.parse("192.0.2.1").orElseThrow();

    private final List<IpAddress> vips = ips("192.0.2.10");

    @Test
    void theCounterIsOneRandomCookieForTheLifeOfTheVhost() {
        CarpAuth auth = CarpAuth.openBsd(CarpKey.fromPass("s3cret"));
        long cookie = auth.nextCounter();
        for (int i = 0; i < 5; i++) {
            assertThat(auth.nextCounter()).isEqualTo(cookie);
        }
        assertThat(auth.isOwn(cookie)).isTrue();
        assertThat(auth.isOwn(cookie + 1)).isFalse();
        assertThat(cookie).isNotZero();
        // two vhosts draw different cookies (a 2^-64 chance of a false failure)
        assertThat(CarpAuth.openBsd(CarpKey.fromPass("s3cret")).nextCounter()).isNotEqualTo(cookie);
    }

    @Test
    void signsWithTheOpenBsdHmacAndVerifiesWhatItSigned() {
        CarpKey key = CarpKey.fromPass("s3cret");
        OpenBsdAuth auth = new OpenBsdAuth(new OpenBsdHmac(key), 0x1234L);
        CarpAdvertisement ad = auth.sign(new CarpAdvertisement(3, 50, 0, 1, auth.nextCounter(), new byte[20]), SRC, vips);
        assertThat(ad.counter()).isEqualTo(0x1234L);
        assertThat(ad.md()).isEqualTo(new OpenBsdHmac(key).compute(3, vips, 0x1234L));
        assertThat(auth.verify(ad, SRC, vips)).isTrue();
        assertThat(auth.verify(ad, SRC, ips("192.0.2.11"))).isFalse();
    }

    @Test
    void everyAuthenticCounterIsAcceptedBecauseOpenBsdHasNoReplayCheck() {
        CarpAuth auth = CarpAuth.openBsd(CarpKey.fromPass("s3cret"));
        IpAddress peer = IpAddress.parse("192.0.2.20").orElseThrow();
        assertThat(auth.acceptCounter(peer, 5)).isTrue();
        assertThat(auth.acceptCounter(peer, 5)).isTrue();
        assertThat(auth.acceptCounter(peer, 1)).isTrue();
    }
}
