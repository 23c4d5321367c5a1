package dev.tandem.ike;

import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Gateway A (192.0.2.1, 10.1.0.0/24) and gateway B (192.0.2.2, 10.2.0.0/24), one connection between them. */
final class TestPolicies {

    static final String A = "192.0.2.1";
    static final String B = "192.0.2.2";
    static final IpNet NET_A = net("10.1.0.0", 24);
    static final IpNet NET_B = net("10.2.0.0", 24);
    static final String CONNECTION = "from-10.1.0.0/24-to-10.2.0.0/24";
    static final String CONNECTION_B = "from-10.2.0.0/24-to-10.1.0.0/24";

    static final Phase1Transform AES256_SHA256_MODP2048 =
            Phase1Transform.exactly(IkeCipher.AES_256_CBC, Prf.HMAC_SHA2_256, DhGroup.MODP_2048, 3600);
    static final Phase2Transform ESP_AES256_SHA256 = new Phase2Transform(
            new EspTransform.AesCbcHmac(32, Integrity.HMAC_SHA2_256_128), 256, 256, true, null, 1200);

    ExchangeMode mode = ExchangeMode.MAIN;
    List<Phase1Transform> phase1 = List.of(AES256_SHA256_MODP2048);
    List<Phase2Transform> phase2 = List.of(ESP_AES256_SHA256);
    String pskA = "correct horse battery staple";
    String pskB = "correct horse battery staple";
    int dpdSeconds;
    boolean activeA = true;
    boolean activeB = false;

    IkePolicy forA() {
        return policy(A, B, pskA, NET_A, NET_B, CONNECTION, activeA);
    }

    IkePolicy forB() {
        return policy(B, A, pskB, NET_B, NET_A, CONNECTION_B, activeB);
    }

    private IkePolicy policy(String local, String peer, String psk, IpNet localNet, IpNet remoteNet, String name,
            boolean active) {
        Phase1Policy p1 = new Phase1Policy("peer-" + peer, ip(peer), ip(local), mode, phase1,
                psk.getBytes(StandardCharsets.UTF_8), null, null, dpdSeconds);
        Phase2Policy p2 = new Phase2Policy(name, p1.name(), localNet, remoteNet, 0, 0, 0, phase2, active);
        return new IkePolicy(List.of(p1), List.of(p2));
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static IpNet net(String a, int prefix) {
        return new IpNet(ip(a), prefix);
    }
}
