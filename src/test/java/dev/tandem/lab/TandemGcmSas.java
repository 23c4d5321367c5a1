package dev.tandem.lab;

import dev.tandem.control.ControlClient;
import dev.tandem.control.Message;
import dev.tandem.control.SadbCodec;
import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pair of AES-128-GCM tunnel SAs between two gateways, installed through
 * tandemd's control socket the way an IKE daemon would. ipsec.conf cannot
 * say this: like OpenBSD, manual keying refuses GCM (RFC 4106 forbids
 * static GCM keys, since the nonce counter restarts with the daemon), but the
 * data plane carries it, and a comparison with strongSwan's aes128gcm16 needs the same cipher on both
 * sides. The keys are fresh random bytes for every lab.
 *
 * @param a   one gateway's WAN address
 * @param b   the other's
 * @param udp ESP-in-UDP on port 4500 instead of IP protocol 50
 */
record TandemGcmSas(String a, String b, int spiAtoB, int spiBtoA, byte[] keyAtoB, byte[] keyBtoA, boolean udp) {

    /** AES-128 key plus the 4-byte salt of RFC 4106. */
    static final int KEY_BYTES = 16 + 4;

    static TandemGcmSas random(String a, String b, boolean udp) {
        SecureRandom r = new SecureRandom();
        byte[] k1 = new byte[KEY_BYTES];
        byte[] k2 = new byte[KEY_BYTES];
        r.nextBytes(k1);
        r.nextBytes(k2);
        // SPIs below 256 are reserved (RFC 4303)
        return new TandemGcmSas(a, b, 0x1000 + r.nextInt(0xffff), 0x20000 + r.nextInt(0xffff), k1, k2, udp);
    }

    /** Adds both SAs to the daemon behind {@code control}; each gateway needs both directions. */
    void install(Path control) throws IOException {
        try (ControlClient c = ControlClient.connect(control)) {
            add(c, spec(b, a, spiAtoB, keyAtoB));
            add(c, spec(a, b, spiBtoA, keyBtoA));
        }
    }

    private SaSpec spec(String dst, String src, int spi, byte[] key) {
        return new SaSpec(new SaId(address(dst), SaProtocol.ESP, spi), address(src), SaMode.TUNNEL,
                new EspKeys(new EspTransform.AesGcm(16), key, null),
                udp ? Encapsulation.NAT_T : Encapsulation.RAW, false, SaSpec.DEFAULT_REPLAY_WINDOW,
                SaLifetime.NONE, SaLifetime.NONE);
    }

    private static void add(ControlClient c, SaSpec spec) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>(SadbCodec.encode(spec));
        // the daemon's own replay-window setting, as for SAs from ipsec.conf
        fields.put("window", "default");
        Message answer = c.call(new Message("add-sa", fields), line -> { });
        if (!answer.verb().equals("ok")) {
            throw new IOException("tandemd refused SA " + spec.id() + ": " + answer.get("message"));
        }
    }

    private static IpAddress address(String s) {
        return IpAddress.parse(s).orElseThrow(() -> new IllegalArgumentException("not an address: " + s));
    }
}
