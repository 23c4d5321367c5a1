package dev.tandem.sim.failover;

import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.daemon.ConfigError;
import dev.tandem.daemon.IpsecConfFile;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.policy.IkePolicies;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.IkePolicyException;
import java.nio.charset.StandardCharsets;

/**
 * The IKE policy of a simulated gateway, from ipsec.conf text with ike
 * rules, read as tandemd reads its ipsec.conf (parser, ipsecctl
 * translation, checks): the simulation runs what an admin writes.
 */
final class IkeRuleText {

    private IkeRuleText() {
    }

    static IkePolicy policy(String file, String text) {
        try {
            IpsecConfFile.Contents c = IpsecConfFile.parse(file, text.getBytes(StandardCharsets.UTF_8),
                    IpsecConfParser.Environment.system(), IkeDaemon.Options.DEFAULT.replayWindow(), w -> { });
            if (!c.sas().isEmpty() || !c.flows().isEmpty()) {
                throw new IllegalArgumentException(file + ": only ike rules here");
            }
            IsakmpdConfig config = new IsakmpdConfig();
            config.applyAll(c.ike());
            return IkePolicies.from(config);
        } catch (ConfigError e) {
            throw new IllegalArgumentException(String.join("\n", e.problems()), e);
        } catch (IkePolicyException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
