package dev.tandem.ike.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.wire.IdType;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IkePoliciesTest {

    /** Parses ipsec.conf text and translates its ike rules the way ipsecctl -f does. */
    static IsakmpdConfig config(String text) {
        List<IkeRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        IpsecConfParser.Result r = IpsecConfParser.parse("test.conf", text.getBytes(StandardCharsets.ISO_8859_1),
                List.of(), IpsecConfParser.Environment.system(), rule -> rules.add((IkeRule) rule), problems::add);
        assertThat(r.ok()).as("%s", problems).isTrue();
        IkeRuleTranslator t = new IkeRuleTranslator(() -> "gw1.example.net");
        IsakmpdConfig c = new IsakmpdConfig();
        for (IkeRule rule : rules) {
            IkeTranslation x = t.configure(rule);
            assertThat(x.error()).isNull();
            c.applyAll(x.commands());
        }
        return c;
    }

    static IkePolicy policy(String text) throws IkePolicyException {
        return IkePolicies.from(config(text));
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private static IpNet net(String a, int prefix) {
        return new IpNet(ip(a), prefix);
    }

    @Test
    void emptyConfigurationIsTheEmptyPolicy() throws Exception {
        assertThat(IkePolicies.from(new IsakmpdConfig())).isEqualTo(IkePolicy.EMPTY);
    }

    @Test
    void defaultsOfAnIkeRule() throws Exception {
        IkePolicy p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk secret\n");
        assertThat(p.phase1()).hasSize(1);
        Phase1Policy p1 = p.phase1().getFirst();
        assertThat(p1.name()).isEqualTo("peer-198.51.100.10");
        assertThat(p1.peer()).isEqualTo(ip("198.51.100.10"));
        assertThat(p1.local()).isNull();
        assertThat(p1.mode()).isEqualTo(ExchangeMode.MAIN);
        assertThat(p1.psk()).isEqualTo("secret".getBytes(StandardCharsets.US_ASCII));
        assertThat(p1.localId()).isNull();
        assertThat(p1.remoteId()).isNull();
        assertThat(p1.dpdSeconds()).isEqualTo(IkePolicies.DEFAULT_DPD_SECONDS);
        assertThat(p1.transforms()).containsExactly(new Phase1Transform(IkeCipher.AES_128_CBC, 128, 256,
                Prf.HMAC_SHA1, DhGroup.MODP_3072, 3600));

        assertThat(p.phase2()).hasSize(1);
        Phase2Policy p2 = p.phase2().getFirst();
        assertThat(p2.name()).isEqualTo("from-10.1.0.0/24-to-10.2.0.0/24");
        assertThat(p2.phase1()).isEqualTo(p1.name());
        assertThat(p2.localNet()).isEqualTo(net("10.1.0.0", 24));
        assertThat(p2.remoteNet()).isEqualTo(net("10.2.0.0", 24));
        assertThat(p2.protocol()).isZero();
        assertThat(p2.localPort()).isZero();
        assertThat(p2.remotePort()).isZero();
        assertThat(p2.active()).isTrue();
        assertThat(p2.transforms()).containsExactly(new Phase2Transform(
                new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128), 128, 256, true, DhGroup.MODP_3072,
                1200));
    }

    @ParameterizedTest
    @CsvSource({
        "modp1024, MODP_1024", "modp1536, MODP_1536", "modp2048, MODP_2048", "modp3072, MODP_3072",
        "modp4096, MODP_4096", "modp6144, MODP_6144", "modp8192, MODP_8192", "ecp256, ECP_256",
        "ecp384, ECP_384", "grp14, MODP_2048", "grp20, ECP_384"})
    void everySupportedGroup(String keyword, DhGroup group) throws Exception {
        IkePolicy p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 main group " + keyword
                + " quick group " + keyword + " psk s\n");
        assertThat(p.phase1().getFirst().transforms().getFirst().group()).isEqualTo(group);
        assertThat(p.phase2().getFirst().transforms().getFirst().pfs()).isEqualTo(group);
    }

    @Test
    void curve25519ByItsIsakmpdName() throws Exception {
        IsakmpdConfig c = config("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n");
        String t = c.getList("phase1-peer-198.51.100.10", "Transforms").getFirst();
        c.apply(new ConfCommand.Set(t, "GROUP_DESCRIPTION", "CURVE25519", true));
        assertThat(IkePolicies.from(c).phase1().getFirst().transforms().getFirst().group())
                .isEqualTo(DhGroup.CURVE25519);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "main group modp768 | Diffie-Hellman group MODP_768 is not supported | GROUP_DESCRIPTION",
        "main group ecp521 | Diffie-Hellman group ECP_521 is not supported | GROUP_DESCRIPTION",
        "quick group bp256 | Diffie-Hellman group BP_256 is not supported | GROUP_DESCRIPTION",
        "main enc blowfish | phase 1 cipher BLOWFISH_CBC is not supported | ENCRYPTION_ALGORITHM",
        "main enc cast | phase 1 cipher CAST_CBC is not supported | ENCRYPTION_ALGORITHM",
        "main auth hmac-md5 | phase 1 hash MD5 is not supported | HASH_ALGORITHM",
        "quick enc aes-128-ctr | phase 2 transform AES_CTR is not supported by the data plane | TRANSFORM_ID",
        "quick enc 3des | phase 2 transform 3DES is not supported by the data plane | TRANSFORM_ID",
        "quick enc aes-256-gmac | phase 2 transform AES_GMAC is not supported by the data plane | TRANSFORM_ID",
        "quick auth hmac-md5 | phase 2 authentication HMAC_MD5 is not supported by the data plane"
                + " | AUTHENTICATION_ALGORITHM",
        "quick enc null | enc null without an authentication algorithm | AUTHENTICATION_ALGORITHM"})
    void unsupportedTransformsNameTheField(String words, String problem, String field) {
        assertThatThrownBy(() -> policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 " + words
                + " psk s\n"))
                .isInstanceOfSatisfying(IkePolicyException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(problem);
    }

    @Test
    void gcmWithAnHmacIsRefused() throws Exception {
        IsakmpdConfig c = config("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 quick enc aes-128-gcm"
                + " psk s\n");
        String t = c.getList("phase2-protocol-from-10.1.0.0/24-to-10.2.0.0/24", "Transforms").getFirst();
        assertThat(IkePolicies.from(c).phase2().getFirst().transforms().getFirst().esp())
                .isEqualTo(new EspTransform.AesGcm(16));
        c.apply(new ConfCommand.Set(t, "AUTHENTICATION_ALGORITHM", "HMAC_SHA", true));
        assertThatThrownBy(() -> IkePolicies.from(c)).hasMessageContaining("AES-GCM takes no authentication");
    }

    @Test
    void rsaIsRefusedAtTheTransform() {
        assertThatThrownBy(() -> policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10\n"))
                .isInstanceOf(IkePolicyException.class)
                .hasMessageContaining("phase 1 authentication RSA_SIG is not supported: only pre-shared keys");
    }

    @Test
    void ahIsRefused() {
        assertThatThrownBy(() -> policy("ike ah from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n"))
                .hasMessageContaining("phase 2 protocol IPSEC_AH is not supported by the data plane");
    }

    @Test
    void explicitAlgorithms() throws Exception {
        IkePolicy p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 "
                + "main auth hmac-sha2-512 enc aes-256 group ecp384 lifetime 10m "
                + "quick enc aes-192-gcm group none lifetime 2h psk s\n");
        assertThat(p.phase1().getFirst().transforms()).containsExactly(new Phase1Transform(IkeCipher.AES_256_CBC,
                256, 256, Prf.HMAC_SHA2_512, DhGroup.ECP_384, 600));
        assertThat(p.phase2().getFirst().transforms()).containsExactly(new Phase2Transform(
                new EspTransform.AesGcm(24), 192, 192, true, null, 7200));

        p = policy("ike esp transport from 192.0.2.1 to 198.51.100.10 main auth hmac-sha2-384 enc 3des "
                + "quick enc null auth hmac-sha1 psk s\n");
        assertThat(p.phase1().getFirst().transforms()).containsExactly(Phase1Transform.exactly(
                IkeCipher.TRIPLE_DES_CBC, Prf.HMAC_SHA2_384, DhGroup.MODP_3072, 3600));
        Phase2Transform t = p.phase2().getFirst().transforms().getFirst();
        assertThat(t.esp()).isEqualTo(new EspTransform.NullHmac(Integrity.HMAC_SHA1_96));
        assertThat(t.tunnel()).isFalse();
        assertThat(p.phase2().getFirst().localNet()).isEqualTo(IpNet.host(ip("192.0.2.1")));
        assertThat(p.phase2().getFirst().remoteNet()).isEqualTo(IpNet.host(ip("198.51.100.10")));
    }

    @Test
    void aggressiveMode() throws Exception {
        IkePolicy p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 aggressive psk s\n");
        assertThat(p.phase1().getFirst().mode()).isEqualTo(ExchangeMode.AGGRESSIVE);
    }

    @Test
    void passiveRulesOnlyAnswer() throws Exception {
        IkePolicy p = policy("ike passive esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n"
                + "ike esp from 10.1.0.0/24 to 10.3.0.0/24 peer 198.51.100.10 psk s\n");
        assertThat(p.phase2()).extracting(Phase2Policy::name, Phase2Policy::active).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("from-10.1.0.0/24-to-10.2.0.0/24", false),
                org.assertj.core.groups.Tuple.tuple("from-10.1.0.0/24-to-10.3.0.0/24", true));
        assertThat(p.phase1()).hasSize(1);
    }

    @Test
    void dynamicRulesUseTheirDpdIntervalAndTheHostName() throws Exception {
        IkePolicy p = policy("ike dynamic esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n");
        Phase1Policy p1 = p.phase1().getFirst();
        assertThat(p1.dpdSeconds()).isEqualTo(5);
        assertThat(p1.localId()).isEqualTo(new Identity(IdType.FQDN, "gw1.example.net"));
        assertThat(p.phase2().getFirst().active()).isTrue();
    }

    @Test
    void dpdIntervalFromGeneral() throws Exception {
        IsakmpdConfig c = config("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n");
        c.apply(new ConfCommand.Set("General", "DPD-check-interval", "0", true));
        assertThat(IkePolicies.from(c).phase1().getFirst().dpdSeconds()).isZero();
        c.apply(new ConfCommand.Set("General", "DPD-check-interval", "soon", true));
        assertThatThrownBy(() -> IkePolicies.from(c)).hasMessage("soon is not a number ([General]:DPD-check-interval)");
    }

    @Test
    void identities() throws Exception {
        IkePolicy p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 "
                + "srcid gw1@example.net dstid 198.51.100.10 psk s\n");
        assertThat(p.phase1().getFirst().localId()).isEqualTo(new Identity(IdType.USER_FQDN, "gw1@example.net"));
        assertThat(p.phase1().getFirst().remoteId()).isEqualTo(new Identity(IdType.IPV4_ADDR, "198.51.100.10"));
        p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 srcid a.example dstid 2001:db8::1 "
                + "psk s\n");
        assertThat(p.phase1().getFirst().localId()).isEqualTo(new Identity(IdType.FQDN, "a.example"));
        assertThat(p.phase1().getFirst().remoteId()).isEqualTo(new Identity(IdType.IPV6_ADDR, "2001:db8::1"));
    }

    @Test
    void noPeerIsTheDefaultPeer() throws Exception {
        IkePolicy p = policy("ike passive esp from 10.1.0.0/24 to any local 192.0.2.1 psk s\n");
        Phase1Policy p1 = p.phase1().getFirst();
        assertThat(p1.name()).isEqualTo("peer-default");
        assertThat(p1.peer()).isNull();
        assertThat(p.phase2().getFirst().remoteNet()).isEqualTo(net("0.0.0.0", 0));
    }

    @Test
    void localAddressAndPortsAndProtocol() throws Exception {
        IkePolicy p = policy("ike esp proto udp from 10.1.0.1 port 53 to 10.2.0.0/16 port 5353 "
                + "local 192.0.2.1 peer 198.51.100.10 psk s\n");
        Phase1Policy p1 = p.phase1().getFirst();
        assertThat(p1.local()).isEqualTo(ip("192.0.2.1"));
        assertThat(p1.name()).isEqualTo("peer-198.51.100.10-local-192.0.2.1");
        Phase2Policy p2 = p.phase2().getFirst();
        assertThat(p2.protocol()).isEqualTo(17);
        assertThat(p2.localPort()).isEqualTo(53);
        assertThat(p2.remotePort()).isEqualTo(5353);
        assertThat(p2.phase1()).isEqualTo(p1.name());
    }

    @Test
    void ipv6Subnets() throws Exception {
        IkePolicy p = policy("ike esp from 2001:db8:1::/48 to 2001:db8:2::/64 peer 2001:db8::10 psk s\n");
        assertThat(p.phase1().getFirst().peer()).isEqualTo(ip("2001:db8::10"));
        assertThat(p.phase2().getFirst().localNet()).isEqualTo(net("2001:db8:1::", 48));
        assertThat(p.phase2().getFirst().remoteNet()).isEqualTo(net("2001:db8:2::", 64));
    }

    @Test
    void tagsAreRefused() {
        assertThatThrownBy(() -> policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s tag x\n"))
                .isInstanceOfSatisfying(IkePolicyException.class, e -> assertThat(e.field()).isEqualTo("PF-Tag"));
    }

    @Test
    void missingSectionsAreNamed() throws Exception {
        IsakmpdConfig c = config("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n");
        c.apply(new ConfCommand.RemoveSection("to-10.2.0.0/24"));
        assertThatThrownBy(() -> IkePolicies.from(c)).hasMessage(
                "section to-10.2.0.0/24 is not configured ([to-10.2.0.0/24]:ID-type)");
    }

    @Test
    void nonContiguousNetmask() throws Exception {
        IsakmpdConfig c = config("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n");
        c.apply(new ConfCommand.Set("to-10.2.0.0/24", "Netmask", "255.0.255.0", true));
        assertThatThrownBy(() -> IkePolicies.from(c)).hasMessage(
                "netmask 255.0.255.0 is not contiguous ([to-10.2.0.0/24]:Netmask)");
    }

    @Test
    void pskIsNotInTheToStringOrMessage() throws Exception {
        IkePolicy p = policy("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk Sup3rSecretKey\n");
        assertThat(p.toString()).doesNotContain("Sup3rSecretKey");
    }

    @Test
    void teardownRemovesTheConnectionButKeepsThePeer() throws Exception {
        String rule = "ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk s\n";
        IsakmpdConfig c = config(rule + "ike esp from 10.1.0.0/24 to 10.3.0.0/24 peer 198.51.100.10 psk s\n");
        assertThat(IkePolicies.from(c).phase2()).hasSize(2);
        List<IkeRule> rules = new ArrayList<>();
        IpsecConfParser.parse("t", rule.getBytes(StandardCharsets.ISO_8859_1), List.of(),
                IpsecConfParser.Environment.system(), r -> rules.add((IkeRule) r), s -> { });
        c.applyAll(new IkeRuleTranslator(() -> "h").teardown(rules.getFirst()).commands());
        IkePolicy p = IkePolicies.from(c);
        assertThat(p.phase2()).extracting(Phase2Policy::name).containsExactly("from-10.1.0.0/24-to-10.3.0.0/24");
        assertThat(p.phase1()).hasSize(1);
    }

    /**
     * Every ike case of the ipsecctl conformance suite, as OpenBSD's ipsecctl
     * prints its commands: what the daemon makes of it, first as written
     * (most use RSA signatures), then with pre-shared keys instead.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ike1 | RSA_SIG | 1/1", "ike3 | RSA_SIG | 1/1", "ike4 | RSA_SIG | 1/1",
        "ike5 | 3DES | 3DES", "ike7 | RSA_SIG | 1/2", "ike8 | RSA_SIG | 1/1", "ike9 | RSA_SIG | 1/1",
        "ike14 | RSA_SIG | 1/9", "ike16 | 3DES | 3DES", "ike17 | RSA_SIG | 1/2", "ike18 | RSA_SIG | 1/2",
        "ike19 | RSA_SIG | 1/1", "ike20 | RSA_SIG | 1/1", "ike21 | RSA_SIG | 1/1", "ike23 | RSA_SIG | 1/1",
        "ike29 | RSA_SIG | 1/1", "ike31 | RSA_SIG | 1/1", "ike34 | RSA_SIG | 1/1", "ike35 | RSA_SIG | 1/1",
        "ike36 | RSA_SIG | 1/1", "ike37 | RSA_SIG | 1/1", "ike38 | 3DES | 3DES", "ike39 | RSA_SIG | 1/2",
        "ike40 | RSA_SIG | 1/2", "ike41 | RSA_SIG | 1/1", "ike42 | RSA_SIG | 1/1", "ike43 | RSA_SIG | 1/1",
        "ike46 | RSA_SIG | 1/1", "ike48 | 1/2 | 1/2", "ike49 | 1/1 | 1/1", "ike51 | 1/1 | 1/1",
        "ike53 | IPSEC_AH | IPSEC_AH", "ike54 | IPSEC_AH | IPSEC_AH", "ike55 | IPSEC_AH | IPSEC_AH",
        "ike56 | RSA_SIG | 1/1", "ike57 | RSA_SIG | 3/3", "ike59 | RSA_SIG | 1/1", "ike60 | RSA_SIG | 1/3",
        "ike61 | NAT-ID | NAT-ID", "ike62 | RSA_SIG | 3/3", "ike63 | RSA_SIG | 1/1", "ike64 | RSA_SIG | 1/1",
        "ike67 | RSA_SIG | 1/1"})
    void conformanceCases(String name, String asWritten, String withPsk) throws Exception {
        Path ok = Path.of(getClass().getResource("/conformance/ipsecctl/" + name + ".ok").toURI());
        String text = Files.readString(ok, StandardCharsets.ISO_8859_1);
        assertThat(outcome(text, false)).contains(asWritten);
        assertThat(outcome(text.replace("RSA_SIG", "PRE_SHARED"), true)).contains(withPsk);
    }

    @Test
    void everyConformanceCaseWithIkeCommandsIsListed() throws Exception {
        Path dir = Path.of(getClass().getResource("/conformance/ipsecctl/cases.tsv").toURI()).getParent();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.matches("ike\\d+\\.ok"))
                    .count()).isEqualTo(43);
        }
    }

    /** "peers/connections" or the error message. */
    private static String outcome(String okFile, boolean addPsk) {
        IsakmpdConfig c = new IsakmpdConfig();
        c.applyAll(RenderedCommands.parse(okFile));
        if (addPsk) {
            for (String peer : c.section("Phase 1").values()) {
                c.apply(new ConfCommand.Set(peer, "Authentication", "k", false));
            }
        }
        try {
            IkePolicy p = IkePolicies.from(c);
            return p.phase1().size() + "/" + p.phase2().size();
        } catch (IkePolicyException e) {
            return e.getMessage();
        }
    }
}
