package dev.tandem.daemon;

import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.ike.policy.IkePolicies;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.IkePolicyException;
import dev.tandem.ike.policy.Phase2Policy;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The node's isakmpd configuration: ipsec.conf's ike rules, then what
 * ipsecctl -f and -d -f changed since (OpenBSD's ipsecctl writes those to
 * isakmpd, not the kernel). Every change is checked as a whole before the
 * IKE daemon sees it; connections that disappear are torn down first,
 * telling the peer. Runs on the event loop.
 */
final class IkeConfiguration {

    /** Runtime ike connections (ipsecctl -f / -d -f) at most: each holds one rule's commands. */
    static final int MAX_RUNTIME_CONNECTIONS = 10_000;

    private final Consumer<IkePolicy> configure;
    private final Consumer<String> teardown;
    private IkePolicy policy = IkePolicy.EMPTY;
    /** The commands of ipsec.conf's ike rules, as last applied. */
    private List<ConfCommand> file = List.of();
    /** Each connection ipsecctl changed: its last add or delete, applied after the file's. */
    private final LinkedHashMap<String, List<ConfCommand>> runtime = new LinkedHashMap<>();

    /**
     * @param configure hands the IKE daemon its new policy
     * @param teardown  deletes a connection's SAs, telling the peer
     */
    IkeConfiguration(Consumer<IkePolicy> configure, Consumer<String> teardown) {
        this.configure = configure;
        this.teardown = teardown;
    }

    IkePolicy policy() {
        return policy;
    }

    /** ipsec.conf (re)loaded: its rules replace the previous version's; ipsecctl's changes stay on top. */
    void file(List<ConfCommand> commands) throws IkePolicyException {
        install(commands, runtime);
        file = List.copyOf(commands);
    }

    /**
     * ipsecctl -f (or -d -f) with one ike rule: its commands.
     *
     * @return null when applied, else why not (nothing changed then)
     */
    String rule(List<ConfCommand> commands, boolean delete) {
        String connection = IkeRules.connection(commands);
        if (connection == null) {
            return "no connection in the ike commands";
        }
        if (delete && !has(connection)) {
            return "no ike connection " + connection;
        }
        LinkedHashMap<String, List<ConfCommand>> next = new LinkedHashMap<>(runtime);
        next.remove(connection);
        next.put(connection, commands.stream().filter(c -> !(c instanceof ConfCommand.Teardown)).toList());
        if (next.size() > MAX_RUNTIME_CONNECTIONS) {
            return "more than " + MAX_RUNTIME_CONNECTIONS + " ike connections changed by ipsecctl; "
                    + "put the rules in ipsec.conf and reload";
        }
        try {
            install(file, next);
        } catch (IkePolicyException e) {
            return e.getMessage();
        }
        runtime.clear();
        runtime.putAll(next);
        for (ConfCommand c : commands) {
            // "t name" of a connection that stays (install tore down those that went)
            if (c instanceof ConfCommand.Teardown t && has(t.connection())) {
                teardown.accept(t.connection());
            }
        }
        return null;
    }

    private boolean has(String connection) {
        return policy.phase2().stream().anyMatch(p -> p.name().equals(connection));
    }

    private void install(List<ConfCommand> fileCommands, Map<String, List<ConfCommand>> changes)
            throws IkePolicyException {
        IsakmpdConfig c = new IsakmpdConfig();
        c.applyAll(fileCommands);
        changes.values().forEach(c::applyAll);
        IkePolicy next = IkePolicies.from(c);
        Set<String> kept = new HashSet<>();
        next.phase2().forEach(p -> kept.add(p.name()));
        for (Phase2Policy p : policy.phase2()) {
            if (!kept.contains(p.name())) {
                teardown.accept(p.name());
            }
        }
        configure.accept(next);
        policy = next;
    }
}
