package dev.tandem.daemon;

import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeTranslation;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.ike.policy.IkePolicies;
import dev.tandem.ike.policy.IkePolicyException;
import java.util.List;

/**
 * Checks of ike rules before they reach the IKE daemon: whether ipsecctl
 * could translate them and whether the daemon can run what they ask for,
 * so that a rule is refused with its number rather than failing later.
 */
final class IkeRules {

    private IkeRules() {
    }

    /** Why a translated rule cannot be run, or null when it can. */
    static String check(IkeTranslation t) {
        return t.ok() ? check(t.commands()) : t.error();
    }

    /** Why these commands, on an empty configuration, give no policy, or null when they do. */
    static String check(List<ConfCommand> commands) {
        IsakmpdConfig c = new IsakmpdConfig();
        c.applyAll(commands);
        try {
            IkePolicies.from(c);
            return null;
        } catch (IkePolicyException e) {
            return e.getMessage();
        }
    }

    /** The connection a rule's commands configure or remove, or null when there is none. */
    static String connection(List<ConfCommand> commands) {
        for (ConfCommand c : commands) {
            switch (c) {
                case ConfCommand.Teardown t -> {
                    return t.connection();
                }
                case ConfCommand.Add a when a.section().equals("Phase 2") -> {
                    return a.value();
                }
                default -> {
                }
            }
        }
        return null;
    }
}
