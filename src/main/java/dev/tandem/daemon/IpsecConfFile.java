package dev.tandem.daemon;

import dev.tandem.conf.ManualKeying;
import dev.tandem.conf.ipsec.ByteText;
import dev.tandem.conf.ipsec.ConfigAbort;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.RulePrinter;
import dev.tandem.conf.ipsec.SaBundleRule;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaSpec;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads DIR/ipsec.conf for the daemon: the same parser and checks as
 * ipsecctl (including the file's permissions), then the SAs and flows to
 * install. Anything that cannot be installed fails the whole file, so a
 * broken configuration never half-applies.
 */
public final class IpsecConfFile {

    /**
     * What the file asks to be installed: SAs and flows into the SADB, and
     * the isakmpd configuration of its ike rules into the IKE daemon.
     */
    public record Contents(List<SaSpec> sas, List<Flow> flows, List<ConfCommand> ike) {
        static final Contents EMPTY = new Contents(List.of(), List.of(), List.of());
    }

    private IpsecConfFile() {
    }

    /**
     * @param warn receives warnings (rules understood but not acted on yet)
     * @return the contents; an absent file is an empty configuration
     */
    static Contents load(Path file, int replayWindow, Consumer<String> warn) throws ConfigError {
        IpsecConfParser.Environment env = IpsecConfParser.Environment.system();
        String name = ByteText.fromJava(file.toString());
        byte[] text;
        try {
            Optional<String> problem = env.files().secrecyProblem(name);
            if (problem.isPresent()) {
                throw new ConfigError(List.of(problem.get()));
            }
            text = env.files().read(name, env.limits().maxFileBytes());
        } catch (NoSuchFileException e) {
            warn.accept(file + " does not exist: starting with no rules");
            return Contents.EMPTY;
        } catch (IOException e) {
            throw new ConfigError(List.of(file + ": " + e.getMessage()));
        }
        return parse(file.toString(), text, env, replayWindow, warn);
    }

    /**
     * The text of an ipsec.conf named {@code file} (for messages), read as
     * {@link #load} reads the file: the same parser, translation and checks.
     */
    public static Contents parse(String file, byte[] text, IpsecConfParser.Environment env, int replayWindow,
                                 Consumer<String> warn) throws ConfigError {
        List<String> problems = new ArrayList<>();
        IpsecConfParser.Result result;
        try {
            result = IpsecConfParser.parse(ByteText.fromJava(file), text, List.of(), env, r -> { }, problems::add);
        } catch (ConfigAbort e) {
            problems.add(e.getMessage());
            throw new ConfigError(problems);
        }
        if (!result.ok()) {
            throw new ConfigError(problems);
        }
        problems.forEach(warn);
        List<String> errors = new ArrayList<>();
        RulePrinter printer = new RulePrinter(env.netdb());
        List<SaSpec> sas = new ArrayList<>();
        List<Flow> flows = new ArrayList<>();
        List<ConfCommand> ike = new ArrayList<>();
        IkeRuleTranslator translator = new IkeRuleTranslator(env.resolver()::hostname);
        for (IpsecRule r : result.rules()) {
            switch (r) {
                case FlowRule f -> flows.add(ManualKeying.flow(f));
                case SaRule s -> {
                    try {
                        sas.add(ManualKeying.sa(s, replayWindow));
                    } catch (ManualKeying.Unsupported e) {
                        errors.add(file + ": cannot install " + printer.sa(s, false).strip() + ": " + e.getMessage());
                    }
                }
                case SaBundleRule b -> errors.add(file + ": SA bundles are not supported: " + printer.bundle(b).strip());
                case IkeRule i -> {
                    IkeTranslation t = translator.configure(i);
                    String why = IkeRules.check(t);
                    if (why == null) {
                        ike.addAll(t.commands());
                    } else {
                        errors.add(file + ": ike rule " + i.number() + ": " + why);
                    }
                }
            }
        }
        if (errors.isEmpty()) {
            String why = IkeRules.check(ike);
            if (why != null) {
                errors.add(file + ": ike rules: " + why);
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigError(errors);
        }
        return new Contents(sas, flows, ike);
    }
}
