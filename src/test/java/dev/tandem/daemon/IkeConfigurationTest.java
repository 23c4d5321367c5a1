package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.IkePolicyException;
import dev.tandem.ike.policy.Phase2Policy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ipsec.conf's ike rules and ipsecctl's changes on top: what the IKE daemon is told. */
class IkeConfigurationTest {

    private static final String A = "ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk a\n";
    private static final String B = "ike esp from 10.1.0.0/24 to 10.3.0.0/24 peer 198.51.100.10 psk a\n";
    private static final String C = "ike passive esp from 10.1.0.0/24 to 10.4.0.0/24 peer 198.51.100.11 psk c\n";
    private static final String A_CONN = "from-10.1.0.0/24-to-10.2.0.0/24";
    private static final String B_CONN = "from-10.1.0.0/24-to-10.3.0.0/24";
    private static final String C_CONN = "from-10.1.0.0/24-to-10.4.0.0/24";

    private final IkeRuleTranslator translator = new IkeRuleTranslator(() -> "gw");
    private final List<IkePolicy> configured = new ArrayList<>();
    private final List<String> tornDown = new ArrayList<>();
    private final IkeConfiguration conf = new IkeConfiguration(configured::add, tornDown::add);

    private List<IkeRule> rules(String text) {
        List<IkeRule> rules = new ArrayList<>();
        IpsecConfParser.parse("t", text.getBytes(StandardCharsets.ISO_8859_1), List.of(),
                IpsecConfParser.Environment.system(), r -> rules.add((IkeRule) r), s -> { });
        return rules;
    }

    private List<ConfCommand> add(String text) {
        List<ConfCommand> out = new ArrayList<>();
        rules(text).forEach(r -> out.addAll(translator.configure(r).commands()));
        return out;
    }

    private List<ConfCommand> delete(String rule) {
        return translator.teardown(rules(rule).getFirst()).commands();
    }

    private List<String> connections() {
        return conf.policy().phase2().stream().map(Phase2Policy::name).toList();
    }

    @Test
    void theFileConfiguresTheDaemon() throws Exception {
        conf.file(add(A + B));
        assertThat(configured).hasSize(1);
        assertThat(connections()).containsExactly(A_CONN, B_CONN);
        assertThat(tornDown).isEmpty();
    }

    @Test
    void aReloadTearsDownWhatIsGone() throws Exception {
        conf.file(add(A + B));
        conf.file(add(A));
        assertThat(tornDown).containsExactly(B_CONN);
        assertThat(connections()).containsExactly(A_CONN);
    }

    @Test
    void ipsecctlAddsAndDeletesOnTopOfTheFile() throws Exception {
        conf.file(add(A));
        assertThat(conf.rule(add(C), false)).isNull();
        assertThat(connections()).containsExactly(A_CONN, C_CONN);
        assertThat(conf.policy().phase2().get(1).active()).isFalse();
        // a reload keeps what ipsecctl loaded
        conf.file(add(A));
        assertThat(connections()).containsExactly(A_CONN, C_CONN);
        assertThat(conf.rule(delete(C), true)).isNull();
        assertThat(connections()).containsExactly(A_CONN);
        assertThat(tornDown).containsExactly(C_CONN);
        assertThat(conf.rule(delete(C), true)).isEqualTo("no ike connection " + C_CONN);
        assertThat(tornDown).containsExactly(C_CONN);
    }

    @Test
    void ipsecctlCanDeleteARuleOfTheFile() throws Exception {
        conf.file(add(A + B));
        assertThat(conf.rule(delete(A), true)).isNull();
        assertThat(connections()).containsExactly(B_CONN);
        // until ipsecctl loads it again
        conf.file(add(A + B));
        assertThat(connections()).containsExactly(B_CONN);
        assertThat(conf.rule(add(A), false)).isNull();
        assertThat(connections()).containsExactly(A_CONN, B_CONN);
    }

    @Test
    void aRuleTheDaemonCannotRunChangesNothing() throws Exception {
        conf.file(add(A));
        int before = configured.size();
        String why = conf.rule(add("ike esp from 10.1.0.0/24 to 10.5.0.0/24 peer 198.51.100.12 "
                + "quick enc aes-128-ctr psk x\n"), false);
        assertThat(why).startsWith("phase 2 transform AES_CTR is not supported by the data plane");
        assertThat(configured).hasSize(before);
        assertThat(connections()).containsExactly(A_CONN);
        // and it is not remembered for the next reload either
        conf.file(add(A));
        assertThat(connections()).containsExactly(A_CONN);
    }

    @Test
    void aBadFileChangesNothing() throws Exception {
        conf.file(add(A));
        List<ConfCommand> bad = new ArrayList<>(add(B));
        bad.add(new ConfCommand.Set("phase1-peer-198.51.100.10", "EXCHANGE_TYPE", "BASE", true));
        assertThatThrownBy(() -> conf.file(bad)).isInstanceOf(IkePolicyException.class);
        assertThat(connections()).containsExactly(A_CONN);
        assertThat(tornDown).isEmpty();
    }

    @Test
    void commandsWithoutAConnectionAreRefused() {
        assertThat(conf.rule(List.of(new ConfCommand.Set("General", "Check-interval", "5", true)), false))
                .isEqualTo("no connection in the ike commands");
    }
}
