package dev.tandem.carp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tandem.net.Checksums;
import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of what arrives as IP protocol 112: any bytes. Only
 * {@link MalformedAdvertisement} may come out of decoding; whatever decodes
 * must encode and decode back to itself, and both authentication modes must
 * answer (not throw) for it, and accept it once they signed it themselves.
 * Half the inputs get a correct checksum so the fuzzer gets past it without a
 * seed corpus.
 */
class CarpAdvertisementFuzzTest {

    static final dev.tandem.net.IpAddress SRC = dev.tandem.net.IpAddress.parse("192.0.2.1").orElseThrow();

    private static final CarpAuth OPENBSD = CarpAuth.openBsd(CarpKey.fromPass("fuzz"));
    private static final CarpAuth STRICT = CarpAuth.strict("fuzz passphrase", 1, () -> 1_767_225_600_000_000L);

    @FuzzTest(maxDuration = "15s")
    void decodeAndVerify(FuzzedDataProvider data) {
        List<IpAddress> vips = new ArrayList<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            vips.add(new IpAddress(padded(data, data.consumeBoolean() ? 4 : 16)));
        }
        boolean fixChecksum = data.consumeBoolean();
        byte[] packet = data.consumeRemainingAsBytes();
        if (fixChecksum && packet.length >= CarpAdvertisement.LENGTH) {
            packet[6] = 0;
            packet[7] = 0;
            int sum = Checksums.checksum(packet, 0, CarpAdvertisement.LENGTH);
            packet[6] = (byte) (sum >>> 8);
            packet[7] = (byte) sum;
        }

        CarpAdvertisement ad;
        try {
            ad = CarpAdvertisement.decode(packet);
        } catch (MalformedAdvertisement e) {
            if (e.field() == null || e.field().isEmpty()) {
                throw new AssertionError("malformed without a field", e);
            }
            return;
        }
        CarpAdvertisement again;
        try {
            again = CarpAdvertisement.decode(ad.encode());
        } catch (MalformedAdvertisement e) {
            throw new AssertionError("our own encoding of " + ad + " does not decode", e);
        }
        if (!again.equals(ad)) {
            throw new AssertionError(ad + " came back as " + again);
        }
        for (CarpAuth auth : List.of(OPENBSD, STRICT)) {
            auth.verify(ad, SRC, vips);
            auth.isOwn(ad.counter());
            if (!auth.verify(auth.sign(ad, SRC, vips), SRC, vips)) {
                throw new AssertionError(auth + " refuses what it signed: " + ad);
            }
        }
    }

    private static byte[] padded(FuzzedDataProvider data, int length) {
        byte[] b = new byte[length];
        byte[] got = data.consumeBytes(length);
        System.arraycopy(got, 0, b, 0, got.length);
        return b;
    }
}
