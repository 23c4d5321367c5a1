package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.ike.policy.IkePolicies;
import dev.tandem.ike.policy.IkePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ike rules in the daemon's ipsec.conf: translated for the IKE daemon, or refused with the rule's number. */
class IpsecConfFileIkeTest {

    @TempDir
    Path dir;

    private Path conf(String text) throws Exception {
        Path f = dir.resolve("ipsec.conf");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void ikeRulesBecomeIsakmpdCommands() throws Exception {
        List<String> warnings = new ArrayList<>();
        IpsecConfFile.Contents c = IpsecConfFile.load(conf("""
                ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk one
                ike passive esp from 10.1.0.0/24 to 10.3.0.0/24 peer 198.51.100.11 psk two
                flow esp from 10.9.0.0/24 to 10.8.0.0/24 peer 198.51.100.9
                """), 64, warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(c.flows()).hasSize(2);
        assertThat(c.sas()).isEmpty();
        IsakmpdConfig i = new IsakmpdConfig();
        i.applyAll(c.ike());
        IkePolicy p = IkePolicies.from(i);
        assertThat(p.phase1()).hasSize(2);
        assertThat(p.phase2()).hasSize(2);
        assertThat(IkeRules.connection(c.ike())).isEqualTo("from-10.1.0.0/24-to-10.2.0.0/24");
    }

    @Test
    void unsupportedRulesAreRefusedByNumber() throws Exception {
        Path f = conf("""
                flow esp from 10.9.0.0/24 to 10.8.0.0/24 peer 198.51.100.9
                ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 quick enc aes-128-ctr psk one
                ike esp from 10.1.0.0/24 to 10.4.0.0/24 peer 198.51.100.12
                ike esp from 10.1.0.0/24 to 10.5.0.0/24 peer 198.51.100.13 main enc aes-128-gcm psk x
                """);
        assertThatThrownBy(() -> IpsecConfFile.load(f, 64, w -> { }))
                .isInstanceOfSatisfying(ConfigError.class, e -> assertThat(e.problems()).containsExactly(
                        f + ": ike rule 2: phase 2 transform AES_CTR is not supported by the data plane "
                                + "(AES, AES_GCM_16, NULL) ([phase2-transform-from-10.1.0.0/24-to-10.2.0.0/24-"
                                + "AES_CTR128-SHA2_256-MODP_3072-TUNNEL]:TRANSFORM_ID)",
                        f + ": ike rule 3: phase 1 authentication RSA_SIG is not supported: only pre-shared keys "
                                + "(psk) ([phase1-transform-peer-198.51.100.12-RSA_SIG-SHA-AES128-MODP_3072]"
                                + ":AUTHENTICATION_METHOD)",
                        f + ": ike rule 4: illegal transform aes-128-gcm"));
    }

    @Test
    void connectionOfTeardownCommands() {
        assertThat(IkeRules.connection(List.of(new ConfCommand.Teardown("c1"),
                new ConfCommand.RemoveSection("c1")))).isEqualTo("c1");
        assertThat(IkeRules.connection(List.of(new ConfCommand.RemoveSection("c1")))).isNull();
    }
}
