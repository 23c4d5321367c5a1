package dev.tandem.conf.ipsec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.cli.Stdio;
import dev.tandem.cli.Tandem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line-by-line review of the ipsec.conf parser against OpenBSD's
 * sbin/ipsecctl (parse.y 1.184, ike.c 1.85, ipsecctl.c 1.88), for behaviour
 * the 140 regress cases do not reach.
 *
 * <p>Every expectation here was checked against a reference build of
 * OpenBSD's parse.y (byacc tables, the same lexer, actions and print code,
 * with the host environment stubbed like {@link FakeEnvironment}). That build
 * reproduces all 140 regress cases byte for byte; about 50,000 generated
 * configurations were then run through both it and Tandem (-nvk and -dnvk).
 * The differences found are in {@link ReviewFindings}: fixed ones, which now
 * assert OpenBSD's behaviour, and deliberate ones (listed in
 * docs/ipsec-conf.md), which assert Tandem's and say what OpenBSD does.
 *
 * <p>The other tests record tricky behaviour that was verified to match.
 */
class OpenBsdFidelityReviewTest {

    private static final String KEY256 = "0x" + "00".repeat(32);
    private static final String KEY128 = "0x" + "00".repeat(16);

    /** One run of {@code tandem ipsecctl ARGS} with the configuration on standard input. */
    private record Cli(int status, String out, String err) { }

    private static Cli cli(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 1];
        argv[0] = "ipsecctl";
        System.arraycopy(args, 0, argv, 1, args.length);
        int status = Tandem.run(argv, new Stdio(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(out, true), new PrintStream(err, true)));
        return new Cli(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
    }

    // =====================================================================
    // Findings of the review
    // =====================================================================

    @Nested
    class ReviewFindings {

        // Deliberate difference (docs/ipsec-conf.md): in OpenBSD, printing a dynamic rule with -v stores
        // the host name as its srcid (ike.c ike_section_ids), and parse.y's default-peer check then
        // compares later rules with that name, so 'ike dynamic from any to any' warns "default peer
        // srcid mismatch" with -v and not without. Tandem compares the rules as written, with or
        // without -v.
        @Test
        void defaultPeerWarningsDoNotDependOnPrinting() {
            assertThat(ParseRun.of("ike dynamic from any to any\n").diagnostics()).isEmpty();
            assertThat(ParseRun.of("ike dynamic from 3.3.3.3 to any\nike active from 4.4.4.4 to any\n")
                    .diagnostics()).isEmpty();
            assertThat(ParseRun.of("ike dynamic from 3.3.3.3 to any\n"
                    + "ike dynamic from 4.4.4.4 to any srcid gw1.example.net\n").diagnostics())
                    .containsExactly("test.conf: 2: default peer srcid mismatch");
        }



        @Test
        // Fixed after review: input 'esp from 1.1.1.1 to nosuchhost auth hmac-sha1' (spi forgotten, host does
        // not resolve). OpenBSD: only 'test.conf: 1: syntax error'. parse.y reduces 'host_spec: STRING'
        // (whose action calls host()) only when the lookahead token is in that state's LALR lookahead set
        // (FROM TO PORT PEER LOCAL SPI SRCID DSTID TYPE MAIN AGGRESSIVE QUICK RSA PSK TAG ANY STRING '\n' ','
        // '(' ')' '{' '}'); AUTHXF is not in it, so byacc reports the syntax error before host() runs.
        // Tandem's Parser.hostSpec() resolves the host whatever follows and reports 'no IP address found for
        // nosuchhost' and 'test.conf: 1: could not parse host specification' instead of the syntax error.
        void hostIsNotLookedUpWhenTheNextTokenCannotFollowAHost() {
            ParseRun r = ParseRun.of("esp from 1.1.1.1 to nosuchhost auth hmac-sha1\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        @Test
        // Fixed after review: input 'flow from 1.1.1.1 to nosuchhost' as the last line without a trailing
        // newline. OpenBSD: only 'test.conf: 1: syntax error': end of file is not in the lookahead set of
        // 'host_spec: STRING' (see parse.y host_spec; rules end with '\n'), so yacc fails before host() is
        // called. Tandem resolves the host first: 'no IP address found for nosuchhost', 'test.conf: 1: could
        // not parse host specification'.
        void unresolvableHostAtEndOfFileWithoutNewlineIsJustASyntaxError() {
            ParseRun r = ParseRun.of("flow from 1.1.1.1 to nosuchhost");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        @Test
        // Fixed after review: input 'ike from 10.0.0.1 to 10.0.0.2 (10.0.0.3) enc aes' (NAT on the
        // destination, then a token that cannot follow the hosts). OpenBSD: only 'test.conf: 1: syntax
        // error': the empty 'port' after the destination is reduced only on PORT's follow set (PEER LOCAL SPI
        // SRCID DSTID TYPE MAIN AGGRESSIVE QUICK RSA PSK TAG '\n'), so the 'hosts' action with its 'no flow
        // NAT support for destination network' check never runs. Tandem's Parser.hosts() checks the NAT
        // before the next token is validated: 'test.conf: 1: no flow NAT support for destination network:
        // 10.0.0.2'.
        void destinationNatCheckWaitsForAValidNextToken() {
            ParseRun r = ParseRun.of("ike from 10.0.0.1 to 10.0.0.2 (10.0.0.3) enc aes\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
            ParseRun eof = ParseRun.of("flow from 10.0.0.1 to 10.0.0.2 (10.0.0.3)");
            assertThat(eof.diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        // Deliberate difference (docs/ipsec-conf.md): OpenBSD's host() takes strtol's -1 as "no mask",
        // so "em0/-1" means em0 and "1.2.3.4/-1" goes to DNS; Tandem rejects negative masks.
        @Test
        void negativeNetmasksAreRejected() {
            assertThat(ParseRun.of("flow from em0/-1 to 2.2.2.2\n").diagnostics()).containsExactly(
                    "test.conf: 1: invalid netmask '/-1'", "test.conf: 1: could not parse host specification");
        }

        @Test
        // Fixed after review: input 'x = "include \"inc.conf\""' then '$x' (include written inside a macro).
        // OpenBSD: 'inc.conf: 1: syntax error'. The include action's lungetc('\n') only steps parseindex back
        // inside the macro text (parse.y lungetc: parsebuf is still set), so no newline is pushed: the
        // closing quote is read again, opens a string that swallows inc.conf's first line, and the parser
        // reports a syntax error on inc.conf line 1 (file->lineno starts at 1). Tandem starts included files
        // at line 0, counting on that pushed-back newline to reach 1 (its fix of OpenBSD's off-by-one), and
        // reports 'inc.conf: 0: syntax error', a line that does not exist.
        void includeFromAMacroReportsLineOneOfTheIncludedFile() {
            ParseRun r = ParseRun.of("x = \"include \\\"inc.conf\\\"\"\n$x\n");
            assertThat(r.diagnostics()).containsExactly("inc.conf: 1: syntax error");
        }

        // Deliberate difference (docs/ipsec-conf.md): OpenBSD's pushfile() opens a directory and reads
        // it as an empty file, silently; Tandem says it cannot include a directory.
        @Test
        void includingADirectoryIsAnError(@TempDir Path dir) {
            Cli r = cli("include \"" + dir + "\"\nflow from 1.1.1.1 to 2.2.2.2\n", "-nvf", "-");
            assertThat(r.err()).isEqualTo("ipsecctl: pushfile: " + dir + ": Is a directory\n"
                    + "stdin: 1: failed to include file " + dir + "\n"
                    + "ipsecctl: Syntax error in config file: ipsec rules not loaded\n");
            assertThat(r.status()).isEqualTo(1);
        }
    }

    // =====================================================================
    // Verified behaviour
    // =====================================================================

    @Nested
    class VerifiedGrammarAndRecovery {

        @Test
        void ruleEndingInAnOptionalPartIsNotAddedWhenTheFileLacksTheLastNewline() {
            // 'type' is empty and reduced only on '\n': at end of file yacc fails first
            ParseRun r = ParseRun.of("flow from 1.1.1.1 to 2.2.2.2");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
            assertThat(r.rules()).isEmpty();
        }

        @Test
        void ruleEndingInAKeywordArgumentIsAddedBeforeTheSyntaxErrorThatFollows() {
            // 'TAG STRING' and 'TYPE x' end in default reductions: the rule action runs before the next token
            ParseRun ike = ParseRun.of("ike from 1.1.1.1 to 2.2.2.2 tag x");
            assertThat(ike.rules()).hasSize(1);
            assertThat(ike.diagnostics()).containsExactly("test.conf: 1: syntax error");
            ParseRun flow = ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 peer 3.3.3.3 type require extra\n"
                    + "flow from 5.5.5.5 to 6.6.6.6\nflow from 7.7.7.7 to 8.8.8.8\n");
            assertThat(flow.rules()).hasSize(6);
            assertThat(flow.diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        @Test
        void syntaxErrorsStayQuietUntilThreeTokensWereShiftedBlankLinesCounting() {
            assertThat(ParseRun.of("bogus\n\n\nbogus\n").diagnostics())
                    .containsExactly("test.conf: 1: syntax error", "test.conf: 4: syntax error");
            assertThat(ParseRun.of("bogus\nflow bogus\n").diagnostics())
                    .containsExactly("test.conf: 1: syntax error");
            assertThat(ParseRun.of("bogus\nflow from 1.1.1.1 to 2.2.2.2\nbogus\n").diagnostics())
                    .containsExactly("test.conf: 1: syntax error", "test.conf: 3: syntax error");
        }

        @Test
        void aLexerErrorEatsItsNewlineSoRecoverySwallowsTheNextLine() {
            // findeol() consumes the '\n', then the ERROR token is a syntax error and yacc skips to the next '\n'
            ParseRun r = ParseRun.of("flow from $undef to 2.2.2.2\nflow from 1.1.1.1 to 2.2.2.2\n"
                    + "flow from 3.3.3.3 to 4.4.4.4\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: macro 'undef' not defined",
                    "test.conf: 1: syntax error");
            assertThat(r.printed()).isEqualTo("""
                    flow esp out from 3.3.3.3 to 4.4.4.4 peer 4.4.4.4 type require
                    flow esp in from 4.4.4.4 to 3.3.3.3 peer 4.4.4.4 type require
                    """);
        }

        @Test
        void aLexerErrorDuringRecoveryStillSwallowsTheNextLine() {
            ParseRun r = ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 peer 3.3.3.3 type use garbage $undef\n"
                    + "flow from 5.5.5.5 to 6.6.6.6\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error",
                    "test.conf: 1: macro 'undef' not defined");
            assertThat(r.rules()).hasSize(2);
        }

        @Test
        void emptyMacroNameAndNulBytes() {
            assertThat(ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 peer $\n").diagnostics())
                    .containsExactly("test.conf: 1: macro '' not defined", "test.conf: 1: syntax error");
            // a NUL inside quotes is reported by the lexer, then its ERROR token by the parser
            assertThat(ParseRun.of("a = \"x\0y\"\n").diagnostics())
                    .containsExactly("test.conf: 1: syntax error", "test.conf: 1: syntax error");
            assertThat(ParseRun.of("flow esp from 1.1.1.1 to 2.2.2.2\0\n").diagnostics())
                    .containsExactly("test.conf: 1: syntax error");
        }

        @Test
        void carriageReturnAfterAFinishedRuleComesAfterTheRule() {
            ParseRun r = ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 peer 3.3.3.3 type require\r\n");
            assertThat(r.rules()).hasSize(2);
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        @Test
        void unterminatedQuoteAndTrailingBackslashAtEndOfFile() {
            assertThat(ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 peer \"3.3.3.3").diagnostics()).containsExactly(
                    "test.conf: 1: reached end of file while parsing quoted string", "test.conf: 1: syntax error");
            assertThat(ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 peer 3.3.3.3 \\").diagnostics())
                    .containsExactly("test.conf: 1: syntax error");
        }

        @Test
        void aMacroValueMustBeWordsNotANumber() {
            assertThat(ParseRun.of("a = 1\n").diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        @Test
        void macroIsPrintedBeforeItsNameIsChecked() {
            ParseRun r = ParseRun.of("\"a b\" = c\n");
            assertThat(r.printed()).isEqualTo("a b = \"c\"\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: macro name cannot contain whitespace");
        }

        @Test
        void quotedKeywordsAreMacroNamesButExpansionIsLexedAgain() {
            ParseRun quoted = ParseRun.of("\"flow\" = x\n$flow\n");
            assertThat(quoted.printed()).isEqualTo("flow = \"x\"\n");
            assertThat(quoted.diagnostics()).containsExactly("test.conf: 2: syntax error");
            // an unquoted keyword is no STRING: "f = flow" is a syntax error and $f stays undefined
            ParseRun bare = ParseRun.of("f = flow\n$f from 1.1.1.1 to 2.2.2.2\n");
            assertThat(bare.diagnostics()).containsExactly("test.conf: 1: syntax error",
                    "test.conf: 2: macro 'f' not defined");
            ParseRun words = ParseRun.of("f = \"flow from\"\n$f 1.1.1.1 to 2.2.2.2\n$f$f\n");
            assertThat(words.rules()).hasSize(2);
            assertThat(words.diagnostics()).containsExactly("test.conf: 3: syntax error");
        }

        @Test
        void aSecondDollarRightAfterAnExpansionIsPartOfTheWord() {
            ParseRun r = ParseRun.of("a=1.1.1.1\nflow from $a to $a$a\n");
            assertThat(r.diagnostics()).containsExactly("no IP address found for 1.1.1.1$a",
                    "test.conf: 2: could not parse host specification");
        }

        @Test
        void commentEndingInABackslashSwallowsTheNextLine() {
            ParseRun r = ParseRun.of("flow from 1.1.1.1 to 2.2.2.2 # c \\\nflow from 3.3.3.3 to 4.4.4.4\n");
            assertThat(r.rules()).hasSize(2);
            assertThat(r.diagnostics()).isEmpty();
        }

        @Test
        void singleQuotesAndEscapesInQuotedStrings() {
            ParseRun r = ParseRun.of("a = 'it''s'\nb = \"x\\\n\ty\"\n");
            assertThat(r.printed()).isEqualTo("a = \"it s\"\nb = \"x\ty\"\n");
        }

        @Test
        void includeIsReadBeforeTheRestOfItsLine() {
            ParseRun r = ParseRun.of("include \"inc.conf\" bogus\nflow from $x to 4.4.4.4\n");
            assertThat(r.printed()).isEqualTo("""
                    flow esp out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type require
                    flow esp in from 2.2.2.2 to 1.1.1.1 peer 2.2.2.2 type require
                    x = "3.3.3.3"
                    flow esp out from 3.3.3.3 to 4.4.4.4 peer 4.4.4.4 type require
                    flow esp in from 4.4.4.4 to 3.3.3.3 peer 4.4.4.4 type require
                    """);
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: syntax error");
        }

        @Test
        void hostIsLookedUpWhenTheNextTokenCanFollowIt() {
            ParseRun r = ParseRun.of("flow from 1.1.1.1 to nosuchhost peer 2.2.2.2 type require\n");
            assertThat(r.diagnostics()).containsExactly("no IP address found for nosuchhost",
                    "test.conf: 1: could not parse host specification");
            ParseRun nat = ParseRun.of("flow from 10.0.0.1 to 10.0.0.2 (10.0.0.3) peer 10.0.0.4\n");
            assertThat(nat.diagnostics())
                    .containsExactly("test.conf: 1: no flow NAT support for destination network: 10.0.0.2");
        }

        @Test
        void transformErrorsComeBeforeTheRuleAndDoNotStopIt() {
            ParseRun r = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 auth hmac-sha1 auth hmac-md5 "
                    + "auth bogus enc aes-256 enc 3des authkey 0x" + "00".repeat(20) + " enckey " + KEY256 + "\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: auth already set",
                    "test.conf: 1: auth already set", "test.conf: 1: enc already set");
            assertThat(r.printed()).startsWith("esp tunnel from 1.1.1.1 to 2.2.2.2 spi 0x00001000 auth hmac-sha1 "
                    + "enc aes-256 \\\n");
        }

        @Test
        void badHexPairBecomesFfAndTheRuleStays() {
            ParseRun r = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 authkey 0xzz" + "00".repeat(31)
                    + " enckey " + KEY128 + "\n");
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: keys need to be specified in hex digits");
            assertThat(r.printed()).contains("authkey 0xff" + "00".repeat(31));
        }

        @Test
        void groupIsAcceptedAndIgnoredInAManualSa() {
            ParseRun r = ParseRun.of("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 group modp1024 authkey " + KEY256
                    + " enckey " + KEY128 + "\n");
            assertThat(r.diagnostics()).isEmpty();
            assertThat(r.printed()).isEqualTo("esp tunnel from 1.1.1.1 to 2.2.2.2 spi 0x00001000 auth hmac-sha2-256"
                    + " enc aes \\\n\tauthkey " + KEY256 + " \\\n\tenckey " + KEY128 + "\n");
        }

        @Test
        void reverseSaFailureIsFatalAfterTheForwardSaWasPrinted() {
            // a key with ':' but no second SPI: reverse_sa() fails validate_sa(), expand_rule errx()s
            Cli tcp = cli("tcpmd5 from 1.1.1.1 to 2.2.2.2 spi 0x1000 authkey 0xab:\n", "-nvkf", "-");
            assertThat(tcp.status()).isEqualTo(1);
            assertThat(tcp.err()).isEqualTo("stdin: 1: no SPI specified\nipsecctl: tcpmd5rule: expand_rule\n");
            assertThat(tcp.out()).isEqualTo("tcpmd5 from 1.1.1.1 to 2.2.2.2 spi 0x00001000 authkey 0xab\n");
            Cli r = cli("esp from 1.1.1.1 to 2.2.2.2 spi 0x1000 authkey " + KEY256 + " enckey " + KEY128 + ":\n",
                    "-nvkf", "-");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("stdin: 1: no SPI specified\nipsecctl: sarule: expand_rule\n");
            assertThat(r.out()).isEqualTo("esp tunnel from 1.1.1.1 to 2.2.2.2 spi 0x00001000 auth hmac-sha2-256 "
                    + "enc aes \\\n\tauthkey " + KEY256 + " \\\n\tenckey " + KEY128 + "\n");
        }
    }

    @Nested
    class VerifiedRules {

        @Test
        void peerAnyDropsThePeerAndAnyInAListExpands() {
            ParseRun r = ParseRun.of("flow from { 1.1.1.1 any } to 2.2.2.0/24 peer any\n");
            assertThat(r.printed()).isEqualTo("""
                    flow esp out from 1.1.1.1 to 2.2.2.0/24 type require
                    flow esp in from 2.2.2.0/24 to 1.1.1.1 type require
                    flow esp out from 0.0.0.0/0 to 2.2.2.0/24 type require
                    flow esp in from 2.2.2.0/24 to 0.0.0.0/0 type require
                    """);
        }

        @Test
        void denyAndBypassDropIdsLocalAndPeer() {
            ParseRun r = ParseRun.of("flow esp from 1.1.1.1 to 2.2.2.2 srcid a dstid b type deny\n"
                    + "flow esp in from 1.1.1.1 to 2.2.2.0/24 local 3.3.3.3 type bypass\n");
            assertThat(r.printed()).isEqualTo("""
                    flow esp out from 1.1.1.1 to 2.2.2.2 type deny
                    flow esp in from 2.2.2.2 to 1.1.1.1 type deny
                    flow esp in from 1.1.1.1 to 2.2.2.0/24 type bypass
                    """);
        }

        @Test
        void ipcompAndIpipFlowsDefaultToUse() {
            ParseRun r = ParseRun.of("flow ipcomp from 1.1.1.1 to 2.2.2.2\nflow ipip out from 1.1.1.1 to 2.2.2.2\n");
            assertThat(r.printed()).isEqualTo("""
                    flow ipcomp out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type use
                    flow ipcomp in from 2.2.2.2 to 1.1.1.1 peer 2.2.2.2 type use
                    flow ipip out from 1.1.1.1 to 2.2.2.2 peer 2.2.2.2 type use
                    """);
        }

        @Test
        void inboundFlowWithoutPeerToANetworkNamesTheDestinationInTheError() {
            ParseRun r = ParseRun.of("flow from 10.0.0.0/8 to 2.2.2.0/24 peer 1.1.1.1 local em0\n"
                    + "flow in from 2.2.2.0/24 to 10.0.0.0/8\n");
            assertThat(r.printed()).isEqualTo("""
                    flow esp out from 10.0.0.0/8 to 2.2.2.0/24 local 10.0.0.1 peer 1.1.1.1 type require
                    flow esp in from 2.2.2.0/24 to 10.0.0.0/8 local 10.0.0.1 peer 1.1.1.1 type require
                    """);
            assertThat(r.diagnostics()).containsExactly("test.conf: 2: no peer specified for destination 10.0.0.0/8");
        }

        @Test
        void interfaceNameWithAMaskIgnoresTheMask() {
            ParseRun r = ParseRun.of("flow from \"em0/24\" to 2.2.2.2\n");
            assertThat(r.printed()).startsWith("flow esp out from 10.0.0.1 to 2.2.2.2 peer 2.2.2.2 type require\n");
        }

        @Test
        void octalNetmaskIsCheckedAsOctalButAppliedAsDecimal() {
            // host(): strtol(.., 0) reads 030 as 24 (<= 128); inet_net_pton then reads /030 as 30 bits
            ParseRun r = ParseRun.of("flow from \"10.0.0.0/030\" to 2.2.2.2\n");
            assertThat(r.printed()).startsWith("flow esp out from 10.0.0.0/30 to 2.2.2.2 ");
        }

        @Test
        void gcmWithAuthInQuickModeIsRejectedBeforeExpansion() {
            ParseRun r = ParseRun.of("ike esp from 10.0.0.0/24 to 10.1.0.0/24 peer 1.1.1.1 "
                    + "quick enc aes-128-gcm auth hmac-sha2-256\n");
            assertThat(r.rules()).isEmpty();
            assertThat(r.diagnostics()).containsExactly("test.conf: 1: authentication is implicit for aes-128-gcm");
        }

        @Test
        void interfaceUnitsAreReadByStrtonum() {
            ParseRun r = ParseRun.of("ike interface sec01 peer 1.1.1.1\nike interface \"sec 5\"\nike interface sec+7\n");
            assertThat(r.diagnostics()).isEmpty();
            assertThat(r.printed()).contains("C set [from-sec1-to-sec1]:Interface=1 force\n",
                    "C set [from-sec5-to-sec5]:Interface=5 force\n", "C set [from-sec7-to-sec7]:Interface=7 force\n",
                    "C set [from-sec1]:ID-type=IPV4_ADDR_SUBNET force\nC set [from-sec1]:Network=0.0.0.0 force\n"
                            + "C set [from-sec1]:Netmask=0.0.0.0 force\n");
        }

        @Test
        void lifetimeStringReadsOneNumberAndOneUnitLikeSscanf() {
            ParseRun r = ParseRun.of("ike esp from 1.1.1.1 to 2.2.2.2 main lifetime 1h30m quick lifetime \"+5M\"\n");
            assertThat(r.diagnostics()).isEmpty();
            assertThat(r.printed()).contains("-life]:LIFE_DURATION=3600 force\n", "-life]:LIFE_DURATION=300 force\n");
        }

        @Test
        void defaultPeerMismatchWarningsForPassiveRules() {
            ParseRun r = ParseRun.of("ike passive from any to any psk a\n"
                    + "ike passive from 1.1.1.0/24 to any local 2.2.2.2 srcid me psk b aggressive\n"
                    + "ike passive from 1.1.2.0/24 to any main enc 3des dstid you rsa\n");
            // line 2: 'aggressive' after psk is a syntax error; line 3 is compared with line 1's rule
            assertThat(r.diagnostics()).containsExactly("test.conf: 2: syntax error",
                    "test.conf: 3: default peer phase 1 auth mismatch", "test.conf: 3: default peer dstid mismatch");
        }

        @Test
        void withoutVerboseThereIsNoDynamicSrcidWarning() {
            // the OpenBSD warning of the first discrepancy exists only when rules are printed (-v)
            Cli r = cli("ike dynamic from any to any\n", "-nf", "-");
            assertThat(r.status()).isZero();
            assertThat(r.err()).isEmpty();
        }

        @Test
        void doubleVerboseNumbersBundlesToo() {
            String conf = "ah from 1.1.1.1 to 2.2.2.2 spi 0x1000:0x1001 authkey " + KEY256 + ":" + KEY256
                    + " bundle b\n"
                    + "esp from 1.1.1.1 to 2.2.2.2 spi 0x2000:0x2001 authkey " + KEY256 + ":" + KEY256
                    + " enckey " + KEY128 + ":" + KEY128 + " bundle b\n";
            Cli r = cli(conf, "-nvvf", "-");
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo("""
                    @0 ah tunnel from 1.1.1.1 to 2.2.2.2 spi 0x00001000 auth hmac-sha2-256
                    @1 ah tunnel from 2.2.2.2 to 1.1.1.1 spi 0x00001001 auth hmac-sha2-256
                    @2 esp tunnel from 1.1.1.1 to 2.2.2.2 spi 0x00002000 auth hmac-sha2-256 enc aes
                    @3 [bundle ah to 2.2.2.2 spi 0x00001000 with esp to 2.2.2.2 spi 0x00002000]
                    @4 esp tunnel from 2.2.2.2 to 1.1.1.1 spi 0x00002001 auth hmac-sha2-256 enc aes
                    @5 [bundle ah to 1.1.1.1 spi 0x00001001 with esp to 1.1.1.1 spi 0x00002001]
                    """);
        }
    }
}
