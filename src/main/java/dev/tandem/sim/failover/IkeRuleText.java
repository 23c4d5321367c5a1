package dev.tandem.sim.failover;

import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.ike.policy.IkePolicies;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.IkePolicyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The IKE policy of a simulated gateway, from ipsec.conf text with ike
 * rules, through the same parser, ipsecctl translation and isakmpd
 * configuration model as tandemd: the simulation runs what an admin writes.
 */
final class IkeRuleText {

    private IkeRuleText() {
    }

    static IkePolicy policy(String file, String text) {
        List<String> problems = new ArrayList<>();
        IpsecConfParser.Result r = IpsecConfParser.parse(file, text.getBytes(StandardCharsets.UTF_8), List.of(),
                IpsecConfParser.Environment.system(), rule -> { }, problems::add);
        if (!r.ok()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        IkeRuleTranslator translator = new IkeRuleTranslator(() -> "tandem");
        IsakmpdConfig config = new IsakmpdConfig();
        for (IpsecRule rule : r.rules()) {
            if (!(rule instanceof IkeRule ike)) {
                throw new IllegalArgumentException(file + ": only ike rules here: " + rule);
            }
            config.applyAll(translator.configure(ike).commands());
        }
        try {
            return IkePolicies.from(config);
        } catch (IkePolicyException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
