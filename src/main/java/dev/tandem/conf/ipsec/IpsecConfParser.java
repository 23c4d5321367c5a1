package dev.tandem.conf.ipsec;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parses ipsec.conf(5) into typed rules, reporting problems exactly where and
 * how OpenBSD's ipsecctl does.
 */
public final class IpsecConfParser {

    /**
     * Everything the parser consults outside the text itself.
     *
     * @param progname prefix of messages that are not about a line ("ipsecctl")
     */
    public record Environment(HostResolver resolver, NetDb netdb, ConfFiles files, ParseLimits limits,
                              String progname) {

        public static Environment system() {
            return new Environment(new SystemHostResolver(), NetDb.system(), new LocalConfFiles(),
                    ParseLimits.DEFAULT, "ipsecctl");
        }
    }

    /**
     * @param rules        the rules, in the order they were added
     * @param errors       problems found; the rules must not be loaded unless this is 0
     * @param unusedMacros macros defined but never referenced, in definition order
     */
    public record Result(List<IpsecRule> rules, int errors, List<String> unusedMacros) {
        public boolean ok() {
            return errors == 0;
        }
    }

    private IpsecConfParser() {
    }

    /**
     * Parses one configuration.
     *
     * @param name    the file name shown in messages ("stdin" for standard input)
     * @param text    the file's bytes
     * @param defines macros from the command line (-D), in order; they cannot be overridden
     * @param sink    receives rules and macro definitions as they are parsed
     * @param stderr  receives each diagnostic line
     * @throws ConfigAbort where ipsecctl would exit at once
     */
    public static Result parse(String name, byte[] text, List<Map.Entry<String, String>> defines,
                               Environment env, RuleSink sink, Consumer<String> stderr) {
        Macros macros = new Macros();
        for (Map.Entry<String, String> d : defines) {
            macros.define(d.getKey(), d.getValue(), true);
        }
        Reporter reporter = new Reporter(stderr, env.progname());
        String identity;
        try {
            identity = env.files().identity(name);
        } catch (java.io.IOException | RuntimeException e) {
            identity = name;
        }
        SourceFile top = new SourceFile(name, identity, text, 1);
        Lexer lexer = new Lexer(top, macros, env.limits(), reporter);
        reporter.attach(lexer);
        Parser parser = new Parser(lexer, reporter, macros, new HostLookup(env.resolver(), reporter),
                env.netdb(), env.files(), env.limits(), sink);
        parser.parse();
        return new Result(List.copyOf(parser.rules()), lexer.topErrors(), macros.unused());
    }
}
