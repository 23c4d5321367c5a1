package dev.tandem.cli;

import dev.tandem.conf.ipsec.ByteText;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.RulePrinter;
import dev.tandem.conf.ipsec.RuleSink;
import dev.tandem.conf.ipsec.SaBundleRule;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Prints rules as they are parsed, the way {@code ipsecctl -v} does: flows
 * and SAs in ipsec.conf syntax, ike rules as the isakmpd commands they become
 * (their teardown commands with -d), macros as {@code name = "value"}.
 */
final class RuleEcho implements RuleSink {

    /**
     * What to show: verbose2 adds the rule number, showKeys the SA keys;
     * hidePsk masks pre-shared keys, for output that is not the admin's own check.
     */
    record Options(boolean verbose, boolean verbose2, boolean showKeys, boolean delete, boolean hidePsk) { }

    private final OutputStream out;
    private final Consumer<String> warn;
    private final RulePrinter printer;
    private final IkeRuleTranslator ike;
    private final Options opts;

    RuleEcho(OutputStream out, Consumer<String> warn, RulePrinter printer, IkeRuleTranslator ike,
             Options opts) {
        this.out = out;
        this.warn = warn;
        this.printer = printer;
        this.ike = ike;
        this.opts = opts;
    }

    @Override
    public void rule(IpsecRule rule) {
        if (!opts.verbose()) {
            return;
        }
        if (opts.verbose2()) {
            print("@" + rule.number() + " ");
        }
        switch (rule) {
            case FlowRule f -> print(printer.flow(f));
            case SaRule s -> print(printer.sa(s, opts.showKeys()));
            case SaBundleRule b -> print(printer.bundle(b));
            case IkeRule r -> {
                IkeTranslation t = opts.delete() ? ike.teardown(r) : ike.configure(r);
                StringBuilder sb = new StringBuilder();
                for (ConfCommand c : t.commands()) {
                    sb.append((opts.hidePsk() ? hidePsk(c) : c).render()).append('\n');
                }
                print(sb.toString());
                if (!t.ok()) {
                    warn.accept(t.error());
                }
            }
        }
    }

    @Override
    public void macro(String name, String value) {
        if (opts.verbose()) {
            print(name + " = \"" + value + "\"\n");
        }
    }

    private static ConfCommand hidePsk(ConfCommand c) {
        if (c instanceof ConfCommand.Set s && s.tag().equals("Authentication")) {
            return new ConfCommand.Set(s.section(), s.tag(), "********", s.force());
        }
        return c;
    }

    private void print(String text) {
        try {
            out.write(ByteText.bytes(text));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
