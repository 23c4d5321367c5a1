package dev.tandem.conf.ipsec;

import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses text in the fake environment and keeps everything observable:
 * the rules, the -nv style text and the diagnostics.
 */
record ParseRun(IpsecConfParser.Result result, String printed, List<String> diagnostics) {

    static ParseRun of(String conf) {
        return of(conf, List.of(), FakeEnvironment.environment());
    }

    static ParseRun of(String conf, List<Map.Entry<String, String>> defines, IpsecConfParser.Environment env) {
        RulePrinter printer = new RulePrinter(env.netdb());
        IkeRuleTranslator ike = new IkeRuleTranslator(() -> "gw1.example.net");
        StringBuilder out = new StringBuilder();
        List<String> diag = new ArrayList<>();
        RuleSink sink = new RuleSink() {
            @Override
            public void rule(IpsecRule r) {
                switch (r) {
                    case FlowRule f -> out.append(printer.flow(f));
                    case SaRule s -> out.append(printer.sa(s, true));
                    case SaBundleRule b -> out.append(printer.bundle(b));
                    case IkeRule i -> {
                        for (ConfCommand c : ike.configure(i).commands()) {
                            out.append(c.render()).append('\n');
                        }
                    }
                }
            }

            @Override
            public void macro(String name, String value) {
                out.append(name).append(" = \"").append(value).append("\"\n");
            }
        };
        IpsecConfParser.Result r = IpsecConfParser.parse("test.conf",
                conf.getBytes(StandardCharsets.ISO_8859_1), defines, env, sink, diag::add);
        return new ParseRun(r, out.toString(), diag);
    }

    boolean ok() {
        return result.ok();
    }

    List<IpsecRule> rules() {
        return result.rules();
    }

    <T extends IpsecRule> T rule(int i, Class<T> type) {
        return type.cast(result.rules().get(i));
    }
}
