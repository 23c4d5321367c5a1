package dev.tandem.conf.ipsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lexical features of ipsec.conf(5) that the vendored OpenBSD cases do not
 * exercise: comments, continuation, quoting, macros (including -D), include,
 * and how errors are reported and recovered from.
 */
class IpsecConfSyntaxTest {

    @Test
    void commentsAndBlankLinesAreIgnored() {
        ParseRun r = ParseRun.of("# a comment\n\n   \t\nflow esp from 1.1.1.1 to 2.2.2.2 # trailing\n");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.rules()).hasSize(2);
    }

    @Test
    void backslashNewlineJoinsLinesAndErrorsNameTheLastLine() {
        ParseRun r = ParseRun.of("flow esp \\\n from 1.1.1.1 \\\n to 3ffe::1\n");
        assertThat(r.diagnostics()).containsExactly("test.conf: 3: source/destination address families do not match");
    }

    @Test
    void quotedStringsKeepSpacesAndEscapedQuotesAndDropNewlines() {
        ParseRun r = ParseRun.of("a = \"x \\\" y\"\nb = 'p\nq'\nc = \"\\z\"\n");
        assertThat(r.printed()).isEqualTo("a = \"x \" y\"\nb = \"pq\"\nc = \"\\z\"\n");
        assertThat(r.ok()).isTrue();
    }

    @Test
    void macroValuesJoinWordsAndExpandWhereATokenStarts() {
        ParseRun r = ParseRun.of("nets = 10.0.0.1 10.0.0.2\nflow from { $nets } to 2.2.2.2\n");
        assertThat(r.printed()).startsWith("nets = \"10.0.0.1 10.0.0.2\"\n");
        assertThat(r.rules()).hasSize(4);
        assertThat(r.rule(2, FlowRule.class).src().display()).isEqualTo("10.0.0.2");
    }

    @Test
    void macrosAreNotExpandedInsideQuotes() {
        ParseRun r = ParseRun.of("a = \"1.1.1.1\"\nb = \"$a\"\n");
        assertThat(r.printed()).isEqualTo("a = \"1.1.1.1\"\nb = \"$a\"\n");
    }

    @Test
    void undefinedMacroIsReportedAndTheLineSkipped() {
        ParseRun r = ParseRun.of("flow from $nowhere to 2.2.2.2\n");
        assertThat(r.diagnostics()).first().isEqualTo("test.conf: 1: macro 'nowhere' not defined");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void commandLineMacrosCannotBeOverriddenByTheFile() {
        ParseRun r = ParseRun.of("gw = 9.9.9.9\nflow from 1.1.1.1 to 2.2.2.0/24 peer $gw\n",
                List.of(Map.entry("gw", "5.5.5.5")), FakeEnvironment.environment());
        assertThat(r.ok()).isTrue();
        assertThat(r.rule(0, FlowRule.class).peer().display()).isEqualTo("5.5.5.5");
    }

    @Test
    void unusedMacrosAreListedInDefinitionOrder() {
        ParseRun r = ParseRun.of("a = x\nb = y\nc = z\nflow from 1.1.1.1 to $b\n");
        assertThat(r.result().unusedMacros()).containsExactly("a", "c");
    }

    @Test
    void macroNamesMustNotContainWhitespace() {
        ParseRun r = ParseRun.of("\"a b\" = c\n");
        assertThat(r.diagnostics()).containsExactly("test.conf: 1: macro name cannot contain whitespace");
    }

    @Test
    void includeReadsTheFileInPlaceWithItsOwnLineNumbers() {
        FakeEnvironment.MemoryFiles files = FakeEnvironment.files()
                .put("sub.conf", "x = 3.3.3.3\n\nflow from $x to 3ffe::1\n");
        IpsecConfParser.Environment env = new IpsecConfParser.Environment(FakeEnvironment.RESOLVER,
                NetDb.system(), files, ParseLimits.DEFAULT, "ipsecctl");
        ParseRun r = ParseRun.of("include \"inc.conf\"\nflow from $x to 4.4.4.4\ninclude \"sub.conf\"\nbogus\n",
                List.of(), env);
        assertThat(r.diagnostics()).containsExactly(
                "sub.conf: 3: source/destination address families do not match",
                "test.conf: 4: syntax error");
        assertThat(r.rules()).hasSize(4);
        assertThat(r.rule(2, FlowRule.class).src().display()).isEqualTo("3.3.3.3");
    }

    @Test
    void missingIncludeIsReportedLikeIpsecctl() {
        ParseRun r = ParseRun.of("include \"missing.conf\"\n");
        assertThat(r.diagnostics()).containsExactly(
                "ipsecctl: pushfile: missing.conf: No such file or directory",
                "test.conf: 1: failed to include file missing.conf");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void includeLoopsAreRejected() {
        ParseRun r = ParseRun.of("include \"loop.conf\"\n");
        assertThat(r.diagnostics()).containsExactly("loop.conf: 1: include loop: loop.conf");
        ParseRun mutual = ParseRun.of("include \"a.conf\"\n");
        assertThat(mutual.diagnostics()).containsExactly("b.conf: 1: include loop: a.conf");
        assertThat(mutual.ok()).isFalse();
    }

    @Test
    void includeDepthIsBounded() {
        FakeEnvironment.MemoryFiles files = FakeEnvironment.files();
        for (int i = 0; i < 40; i++) {
            files.put("d" + i, "include \"d" + (i + 1) + "\"\n");
        }
        IpsecConfParser.Environment env = new IpsecConfParser.Environment(FakeEnvironment.RESOLVER,
                NetDb.system(), files, ParseLimits.DEFAULT, "ipsecctl");
        ParseRun r = ParseRun.of("include \"d0\"\n", List.of(), env);
        assertThat(r.diagnostics()).containsExactly("d15: 1: include nested deeper than 16: d16");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void syntaxErrorSkipsTheLineAndParsingGoesOn() {
        ParseRun r = ParseRun.of("flow esp from to\nflow from 1.1.1.1 to 2.2.2.2\nflow peer\n");
        assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error", "test.conf: 3: syntax error");
        assertThat(r.rules()).hasSize(2);
        assertThat(r.ok()).isFalse();
    }

    @Test
    void aSecondSyntaxErrorRightAfterAnotherIsCountedButNotRepeated() {
        // yacc holds back messages until three tokens were read after an error
        ParseRun r = ParseRun.of("bogus\nbogus\nbogus\n");
        assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void tooLongWordsAreRejected() {
        ParseRun r = ParseRun.of("a = " + "x".repeat(9000) + "\n");
        assertThat(r.diagnostics()).first().isEqualTo("test.conf: 1: string too long");
    }

    @Test
    void hugeNumbersAreRejected() {
        ParseRun r = ParseRun.of("flow esp proto 99999999999999999999 from 1.1.1.1 to 2.2.2.2\n");
        assertThat(r.diagnostics()).first()
                .isEqualTo("test.conf: 1: \"99999999999999999999\" invalid number: too large");
    }

    @Test
    void doublingMacrosHitTheValueLimit() {
        StringBuilder conf = new StringBuilder("m0 = 1.1.1.1 1.1.1.2\n");
        for (int i = 1; i < 30; i++) {
            conf.append("m").append(i).append(" = $m").append(i - 1).append(" $m").append(i - 1).append('\n');
        }
        ParseRun r = ParseRun.of(conf.toString());
        assertThat(r.diagnostics()).first().isEqualTo("test.conf: 14: macro value longer than 65536 characters");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void repeatedExpansionOfALargeMacroHitsTheExpansionLimit() {
        StringBuilder conf = new StringBuilder("m = " + "1.1.1.1 ".repeat(7000) + "\n");
        for (int i = 0; i < 100; i++) {
            conf.append("x = $m\n");
        }
        ParseRun r = ParseRun.of(conf.toString());
        assertThat(r.diagnostics()).first().isEqualTo("test.conf: 76: macro expansion exceeds 4194304 characters");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void ruleExpansionIsBounded() {
        ParseLimits small = new ParseLimits(8096, 1 << 20, 16, 1 << 16, 1 << 20, 100);
        String seven = "{ " + "1.1.1.1 ".repeat(7) + "}";
        // 7 x 7 pairs give 98 rules with the reverse flows: allowed; two more pairs are not
        ParseRun fits = ParseRun.of("flow from " + seven + " to " + seven + "\n", List.of(),
                FakeEnvironment.environment(small));
        assertThat(fits.rules()).hasSize(98);
        ParseRun over = ParseRun.of("flow from " + seven + " to " + seven + "\nflow from 1.1.1.1 to { 2.2.2.2 3.3.3.3 }\n",
                List.of(), FakeEnvironment.environment(small));
        assertThat(over.diagnostics()).containsExactly("test.conf: 2: rule expands beyond 100 rules");
        assertThat(over.rules()).hasSize(98);
    }

    @Test
    void carriageReturnsAreNotWhitespace() {
        // as on OpenBSD, a CRLF file is a syntax error, not silently accepted
        ParseRun r = ParseRun.of("flow from 1.1.1.1 to 2.2.2.2\r\n");
        assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
    }
}
