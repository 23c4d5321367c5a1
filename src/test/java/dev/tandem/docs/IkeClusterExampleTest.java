package dev.tandem.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.carp.CarpInterfaceConf;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.conf.sasyncd.ControlTarget;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.IkePolicies;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * examples/ike-cluster, the two-node IKE cluster of the admin guide: every
 * file is one the daemon accepts without a warning, and the files agree with
 * each other (same ipsec.conf on both nodes, matching carp and sync settings,
 * a strongSwan peer with the cluster's addresses, key and proposals).
 */
class IkeClusterExampleTest {

    static final Path DIR = Path.of("examples", "ike-cluster");
    static final IpAddress WAN_VIP = ip("192.0.2.100");
    static final IpAddress PEER = ip("192.0.2.3");

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    @Test
    void everyFileIsChecked() throws Exception {
        try (Stream<Path> files = Files.walk(DIR)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> DIR.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toSet())).containsExactlyInAnyOrder("README.md",
                    "gwa/ipsec.conf", "gwa/carp.conf", "gwa/sasyncd.conf",
                    "gwb/ipsec.conf", "gwb/carp.conf", "gwb/sasyncd.conf",
                    "peer/swanctl.conf");
        }
    }

    /** ipsec.conf parsed as ipsecctl does, its ike rules translated as ipsecctl does, then read as the IKE daemon does. */
    static IkePolicy policy(String node) throws Exception {
        Path file = DIR.resolve(node).resolve("ipsec.conf");
        List<String> diagnostics = new ArrayList<>();
        IpsecConfParser.Environment env = IpsecConfParser.Environment.system();
        IpsecConfParser.Result r = IpsecConfParser.parse(file.toString(), Files.readAllBytes(file), List.of(), env,
                rule -> { }, diagnostics::add);
        assertThat(diagnostics).as(file.toString()).isEmpty();
        assertThat(r.ok()).as(file.toString()).isTrue();
        assertThat(r.rules()).as(file + ": only ike rules").hasSize(1).allMatch(IkeRule.class::isInstance);
        IsakmpdConfig isakmpd = new IsakmpdConfig();
        IkeRuleTranslator translator = new IkeRuleTranslator(env.resolver()::hostname);
        for (IpsecRule rule : r.rules()) {
            IkeTranslation t = translator.configure((IkeRule) rule);
            assertThat(t.ok()).as(file + ": " + t.error()).isTrue();
            isakmpd.applyAll(t.commands());
        }
        return IkePolicies.from(isakmpd);
    }

    @Test
    void bothNodesLoadTheSameIkeRuleFromTheVip() throws Exception {
        assertThat(Files.readString(DIR.resolve("gwb/ipsec.conf")))
                .isEqualTo(Files.readString(DIR.resolve("gwa/ipsec.conf")));
        IkePolicy p = policy("gwa");
        assertThat(p.phase1()).singleElement().satisfies(p1 -> {
            assertThat(p1.local()).isEqualTo(WAN_VIP);
            assertThat(p1.peer()).isEqualTo(PEER);
            assertThat(p1.dpdSeconds()).isPositive();
        });
        assertThat(p.phase2()).singleElement().satisfies(p2 -> {
            assertThat(p2.active()).as("the master initiates").isTrue();
            assertThat(p2.localNet()).hasToString("10.1.0.0/24");
            assertThat(p2.remoteNet()).hasToString("10.2.0.0/24");
        });
        assertThat(policy("gwb")).isEqualTo(p);
    }

    private static CarpConf carp(String node) throws Exception {
        Path file = DIR.resolve(node).resolve("carp.conf");
        List<String> warnings = new ArrayList<>();
        CarpConf c = CarpConf.parse(file, Files.readString(file), warnings::add);
        assertThat(warnings).as(file.toString()).isEmpty();
        return c;
    }

    @Test
    void carpConfsDifferOnlyInAdvskewAndGwaIsThePreferredMaster() throws Exception {
        CarpConf a = carp("gwa");
        CarpConf b = carp("gwb");
        assertThat(a.interfaces()).extracting(CarpInterfaceConf::name).containsExactly("carp0", "carp1");
        assertThat(b.interfaces()).hasSameSizeAs(a.interfaces());
        for (int i = 0; i < a.interfaces().size(); i++) {
            CarpInterfaceConf x = a.interfaces().get(i);
            CarpInterfaceConf y = b.interfaces().get(i);
            assertThat(List.of(y.name(), y.vhid(), y.carpdev(), y.pass(), y.advbase(), y.vips(), y.preempt()))
                    .as(x.name()).isEqualTo(List.of(x.name(), x.vhid(), x.carpdev(), x.pass(), x.advbase(),
                            x.vips(), x.preempt()));
            assertThat(x.advskew()).as(x.name() + ": gwa advertises faster").isLessThan(y.advskew());
            assertThat(x.preempt()).as(x.name() + ": gwa takes mastership back").isTrue();
        }
        // the ike rule's local address is carp0's VIP: IKE and ESP follow the master
        assertThat(a.interfaces().getFirst().vips()).anySatisfy(v -> assertThat(v.address()).isEqualTo(WAN_VIP));
    }

    private static SasyncdConf sasyncd(String node) throws Exception {
        Path file = DIR.resolve(node).resolve("sasyncd.conf");
        List<String> warnings = new ArrayList<>();
        SasyncdConf c = SasyncdConf.parse(file, Files.readString(file), warnings::add);
        assertThat(warnings).as(file.toString()).isEmpty();
        return c;
    }

    @Test
    void sasyncdConfsPointAtEachOtherWithOneKey() throws Exception {
        SasyncdConf a = sasyncd("gwa");
        SasyncdConf b = sasyncd("gwb");
        assertThat(a.sharedKey()).isEqualTo(b.sharedKey());
        assertThat(a.peers()).containsExactly(ip(b.listen().getFirst().on()));
        assertThat(b.peers()).containsExactly(ip(a.listen().getFirst().on()));
        for (SasyncdConf s : List.of(a, b)) {
            assertThat(s.control()).as("IKE passive on the backup").isEqualTo(ControlTarget.ISAKMPD);
            // the daemon refuses to start when the interface is not in carp.conf
            assertThat(carp("gwa").interfaces()).extracting(CarpInterfaceConf::name).contains(s.interfaceName());
        }
    }

    /** The value of {@code key = value} in the swanctl.conf; exactly one such line. */
    private static String swanctl(String text, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + " = (.*)$").matcher(text);
        assertThat(m.find()).as(key).isTrue();
        String value = m.group(1).strip();
        assertThat(m.find()).as(key + " only once").isFalse();
        return value;
    }

    @Test
    void theStrongSwanPeerMatchesTheCluster() throws Exception {
        String text = Files.readString(DIR.resolve("peer/swanctl.conf"));
        Phase1Policy p1 = policy("gwa").phase1().getFirst();
        Phase2Policy p2 = policy("gwa").phase2().getFirst();
        assertThat(swanctl(text, "version")).isEqualTo("1");
        assertThat(text).doesNotContain("aggressive");
        assertThat(swanctl(text, "local_addrs")).isEqualTo(PEER.toString());
        assertThat(swanctl(text, "remote_addrs")).isEqualTo(WAN_VIP.toString());
        assertThat(swanctl(text, "local_ts")).isEqualTo(p2.remoteNet().toString());
        assertThat(swanctl(text, "remote_ts")).isEqualTo(p2.localNet().toString());
        assertThat(swanctl(text, "proposals")).isEqualTo(proposal(p1.transforms().getFirst()));
        assertThat(swanctl(text, "esp_proposals")).isEqualTo(proposal(p2.transforms().getFirst()));
        assertThat(swanctl(text, "secret")).isEqualTo("\"" + new String(p1.psk(), StandardCharsets.UTF_8) + "\"");
        assertThat(swanctl(text, "dpd_delay")).isEqualTo("10s");
        assertThat(swanctl(text, "dpd_action")).isEqualTo("restart");
    }

    /** strongSwan's name of a phase 1 transform, e.g. aes256-sha256-modp2048. */
    private static String proposal(Phase1Transform t) {
        String cipher = switch (t.cipher()) {
            case TRIPLE_DES_CBC -> "3des";
            default -> aes(t.cipher().keyLength());
        };
        return cipher + "-" + hash(t.hash()) + "-" + group(t.group());
    }

    /** strongSwan's name of a phase 2 transform, with the PFS group if any. */
    private static String proposal(Phase2Transform t) {
        String esp = switch (t.esp()) {
            case EspTransform.AesCbcHmac c -> aes(c.aesKeyLength()) + "-" + hash(c.integrity());
            case EspTransform.AesGcm g -> aes(g.aesKeyLength()) + "gcm16";
            case EspTransform.NullHmac n -> "null-" + hash(n.integrity());
        };
        return t.pfs() == null ? esp : esp + "-" + group(t.pfs());
    }

    private static String aes(int keyBytes) {
        return "aes" + keyBytes * 8;
    }

    private static String hash(Prf prf) {
        return switch (prf) {
            case HMAC_SHA1 -> "sha1";
            case HMAC_SHA2_256 -> "sha256";
            case HMAC_SHA2_384 -> "sha384";
            case HMAC_SHA2_512 -> "sha512";
        };
    }

    private static String hash(Integrity i) {
        return switch (i) {
            case HMAC_SHA1_96 -> "sha1";
            case HMAC_SHA2_256_128 -> "sha256";
            case HMAC_SHA2_384_192 -> "sha384";
            case HMAC_SHA2_512_256 -> "sha512";
        };
    }

    private static String group(DhGroup g) {
        return g.name().toLowerCase().replace("_", "");
    }
}
