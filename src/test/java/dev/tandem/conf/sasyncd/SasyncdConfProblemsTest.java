package dev.tandem.conf.sasyncd;

import static dev.tandem.conf.sasyncd.Conf.HEX16;
import static dev.tandem.conf.sasyncd.Conf.REQUIRED;
import static dev.tandem.conf.sasyncd.Conf.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SasyncdConfProblemsTest {

    private static final String STATEMENTS =
            "control, flushmode, group, interface, listen, mode, peer or sharedkey";
    private static final String NO_INTERFACE = "no interface statement: name the carp interface whose state makes"
            + " this node master or slave (it is required even with mode master or mode slave)";
    private static final String NO_KEY = "no sharedkey statement: the peers need a shared key of 16, 24 or 32"
            + " characters, or 0x followed by 32, 48 or 64 hex digits";

    @Test
    void interfaceIsRequiredEvenWithALockedMode() {
        assertThat(Conf.run().problems("sharedkey " + HEX16 + "\nmode master\n"))
                .containsExactly(at(2, NO_INTERFACE));
    }

    @Test
    void sharedkeyIsRequired() {
        assertThat(Conf.run().problems("interface carp0\npeer 10.0.0.2\n\n# end\n"))
                .containsExactly(at(4, NO_KEY));
    }

    @Test
    void anEmptyFileLacksBoth() {
        assertThat(Conf.run().problems("")).containsExactly(at(1, NO_INTERFACE), at(1, NO_KEY));
    }

    @Test
    void aBrokenRequiredStatementIsNotAlsoReportedMissing() {
        assertThat(Conf.run().problems("interface inet\nsharedkey short\n")).containsExactly(
                at(1, "interface needs the name of the carp interface, but found the keyword 'inet'"),
                at(2, "the sharedkey is 5 bytes long; a key written as text must be exactly 16, 24 or 32 bytes"
                        + " (one per ASCII character), or write it as 0x followed by 32, 48 or 64 hex digits"));
    }

    @Test
    void unknownStatement() {
        assertThat(Conf.run().problem(REQUIRED + "peers 10.0.0.2\n"))
                .isEqualTo(at(3, "unknown statement 'peers'; a statement starts with " + STATEMENTS));
    }

    @Test
    void keywordsAreCaseSensitive() {
        assertThat(Conf.run().problem(REQUIRED + "Peer 10.0.0.2\n"))
                .isEqualTo(at(3, "unknown statement 'Peer'; keywords are lower case: 'peer'"));
    }

    @Test
    void intervalIsASyntaxErrorAsInOpenBsd() {
        assertThat(Conf.run().problem(REQUIRED + "interval 10\n")).isEqualTo(at(3, "interval is not a"
                + " sasyncd.conf statement (OpenBSD's sasyncd rejects it too: the carp interface's state is"
                + " followed as it changes, not polled); remove it"));
    }

    @Test
    void theOldCarpInterfaceSyntaxIsUnknown() {
        assertThat(Conf.run().problems("carp interface carp0\nsharedkey " + HEX16)).containsExactly(
                at(1, "unknown statement 'carp'; a statement starts with " + STATEMENTS));
    }

    @Test
    void wordsThatOnlyBelongInsideAStatement() {
        assertThat(Conf.run().problem(REQUIRED + "listen on em0 port 600 inet6")).isEqualTo(at(3, "'inet6' cannot"
                + " start a statement; it belongs in a listen statement: listen on <address|interface>"
                + " [inet|inet6] [port <number>], in that order"));
        assertThat(Conf.run().problem(REQUIRED + "master")).isEqualTo(at(3, "'master' cannot start a statement;"
                + " it belongs after mode: mode master, mode slave or mode skipslave"));
        assertThat(Conf.run().problem(REQUIRED + "sync")).isEqualTo(at(3, "'sync' cannot start a statement;"
                + " it belongs after flushmode: flushmode sync, flushmode startup or flushmode never"));
    }

    @Test
    void numbersAndHexWhereAStatementShouldStart() {
        assertThat(Conf.run().problem(REQUIRED + "42")).isEqualTo(at(3, "the number '42' stands where a statement"
                + " should start; a statement starts with " + STATEMENTS));
        assertThat(Conf.run().problem("0xabcdef\n" + REQUIRED)).isEqualTo(at(1, "a hex value stands where a"
                + " statement should start; a statement starts with " + STATEMENTS));
    }

    @Test
    void everyBrokenStatementIsReportedAndTheFileIsRejected() {
        List<String> p = Conf.run().problems("""
                interface carp0
                flushmode always
                mode standby peer 10.0.0.2
                peer gw2.example.net
                listen 10.0.0.1
                control racoon
                group
                sharedkey %s
                peer 10.0.0.9 peer 10.0.0.09
                """.formatted(HEX16));
        assertThat(p).containsExactly(
                at(2, "flushmode needs sync, startup or never, but found 'always'"),
                at(3, "mode needs master, slave or skipslave, but found 'standby'"),
                at(4, "peer 'gw2.example.net' is not a numeric address; host names are not resolved in"
                        + " sasyncd.conf: write the IPv4 or IPv6 address"),
                at(5, "listen needs 'on' next (listen on <address|interface> [inet|inet6] [port <number>]),"
                        + " but found '10.0.0.1'"),
                at(6, "control needs isakmpd, iked, all or none, but found 'racoon'"),
                at(7, "group needs the name of an interface group, but the next statement (sharedkey) follows"),
                at(9, "peer '10.0.0.09' is the same address as the peer on line 9; list each peer once"));
    }

    @Test
    void argumentMissingAtTheEndOfTheFile() {
        assertThat(Conf.run().problem(REQUIRED + "peer\n\n"))
                .isEqualTo(at(3, "peer needs the peer's numeric IPv4 or IPv6 address, but the file ends there"));
    }

    @Test
    void duplicatePeersAreRejectedAcrossSpellings() {
        assertThat(Conf.run().problem(REQUIRED + "peer 2001:db8::2\npeer 10.0.0.3\npeer 2001:DB8:0::2\n"))
                .isEqualTo(at(5, "peer '2001:DB8:0::2' is the same address as the peer on line 3; list each peer"
                        + " once"));
    }

    @Test
    void peerHostNamesAndOtherNonAddresses() {
        assertThat(Conf.run().problem(REQUIRED + "peer backup")).isEqualTo(at(3, "peer 'backup' is not a numeric"
                + " address; host names are not resolved in sasyncd.conf: write the IPv4 or IPv6 address"));
        assertThat(Conf.run().problem(REQUIRED + "peer 3com")).isEqualTo(at(3, "peer needs the peer's numeric"
                + " IPv4 or IPv6 address, but found '3com', which starts with a digit and contains no '.' or ':',"
                + " so it is read as a number"));
        assertThat(Conf.run().problem(REQUIRED + "peer 10.0.0.256"))
                .isEqualTo(at(3, "peer '10.0.0.256' is not a valid IPv4 address"));
        assertThat(Conf.run().problem(REQUIRED + "peer 2001:db8::1::2"))
                .isEqualTo(at(3, "peer '2001:db8::1::2' is not a valid IPv6 address"));
        assertThat(Conf.run().problem(REQUIRED + "peer fe80::1%em0")).isEqualTo(at(3, "peer 'fe80::1%em0' has a"
                + " zone index (%); scoped IPv6 addresses are not supported, use a global or unique local address"));
        assertThat(Conf.run().problem(REQUIRED + "peer 10.0.0.0/24"))
                .isEqualTo(at(3, "peer '10.0.0.0/24' is a network; write a single address"));
        assertThat(Conf.run().problem(REQUIRED + "peer 0.0.0.0"))
                .isEqualTo(at(3, "peer '0.0.0.0' is the unspecified address; write the peer's own address"));
        assertThat(Conf.run().problem(REQUIRED + "peer ::"))
                .isEqualTo(at(3, "peer '::' is the unspecified address; write the peer's own address"));
    }

    @Test
    void listenProblems() {
        assertThat(Conf.run().problem(REQUIRED + "listen on gw1.example.net")).isEqualTo(at(3, "listen on"
                + " 'gw1.example.net' looks like a host name; host names are not resolved: write a numeric address"
                + " or an interface name"));
        assertThat(Conf.run().problem(REQUIRED + "listen on 10.0.0.300"))
                .isEqualTo(at(3, "listen on '10.0.0.300' is not a valid IPv4 address"));
        assertThat(Conf.run().problem(REQUIRED + "listen on averyveryverylongname")).isEqualTo(at(3, "listen on"
                + " 'averyveryverylongname' is longer than 15 characters, the limit for interface names"));
        assertThat(Conf.run().problem(REQUIRED + "listen on 500")).isEqualTo(at(3, "listen on needs an address or"
                + " interface name, but found '500', which starts with a digit and contains no '.' or ':', so it"
                + " is read as a number"));
        assertThat(Conf.run().problem(REQUIRED + "listen on\npeer 10.0.0.2")).isEqualTo(at(3, "listen on needs"
                + " an address or interface name, but the next statement (peer) follows"));
        assertThat(Conf.run().problem(REQUIRED + "listen")).isEqualTo(at(3, "listen needs 'on' and an address or"
                + " interface name, but the file ends there"));
        assertThat(Conf.run().problem(REQUIRED + "listen on em0 port")).isEqualTo(at(3, "port needs a number from"
                + " 1 to 65535, but the file ends there"));
        assertThat(Conf.run().problem(REQUIRED + "listen on em0 port 500x"))
                .isEqualTo(at(3, "port needs a number from 1 to 65535, but '500x' is not a number"));
        assertThat(Conf.run().problem(REQUIRED + "listen on em0 port -1"))
                .isEqualTo(at(3, "port needs a number from 1 to 65535, but found '-1'"));
        assertThat(Conf.run().problem(REQUIRED + "listen on em0 port https"))
                .isEqualTo(at(3, "port needs a number from 1 to 65535, but found 'https'"));
    }

    @Test
    void listenersMustShareOnePortAndNotRepeat() {
        assertThat(Conf.run().problem(REQUIRED + "listen on em0 port 600\nlisten on em1\n")).isEqualTo(at(4,
                "listen on 'em1' uses port 500 but the listen statement on line 3 uses port 600; all listeners"
                        + " must use the same port, which is also the port used to connect to peers"));
        assertThat(Conf.run().problem(REQUIRED + "listen on 10.0.0.1\nlisten on 10.0.0.1 inet\n"))
                .isEqualTo(at(4, "listen on '10.0.0.1' repeats the listen statement on line 3"));
        assertThat(Conf.run().ok(REQUIRED + "listen on em0 inet\nlisten on em0 inet6\n").listen()).hasSize(2);
    }

    @Test
    void contradictoryFlushModes() {
        assertThat(Conf.run().problem(REQUIRED + "flushmode sync\nflushmode never\n")).isEqualTo(at(4,
                "flushmode never contradicts flushmode sync on line 3; give flushmode once (OpenBSD would"
                        + " combine the two)"));
    }

    @Test
    void interfaceAndGroupNames() {
        assertThat(Conf.run().problem("sharedkey " + HEX16 + " interface carp0123456789abcd")).isEqualTo(at(1,
                "interface 'carp0123456789abcd' is longer than 15 characters, the limit for interface"
                        + " names"));
        assertThat(Conf.run().problem("sharedkey " + HEX16 + " interface a/b"))
                .isEqualTo(at(1, "interface 'a/b' is not a valid interface name (it may not contain '/' or"
                        + " ':')"));
        assertThat(Conf.run().problem(REQUIRED + "group averyverylonggroup")).isEqualTo(at(3, "group name"
                + " 'averyverylonggroup' is longer than 15 characters, the limit for interface group names"));
        assertThat(Conf.run().problem("sharedkey " + HEX16 + " interface 0"))
                .isEqualTo(at(1, "interface needs the name of the carp interface, but found '0', which starts"
                        + " with a digit and contains no '.' or ':', so it is read as a number"));
        assertThat(Conf.run().problem("sharedkey " + HEX16 + " interface sync"))
                .isEqualTo(at(1, "interface needs the name of the carp interface, but found the keyword 'sync'"));
    }

    @Test
    void controlTakesNoKeyword() {
        assertThat(Conf.run().problem(REQUIRED + "control never")).isEqualTo(at(3, "control needs isakmpd, iked,"
                + " all or none, but found the keyword 'never'"));
    }

    @Test
    void linesAreCountedThroughCommentsAndBlankLines() {
        assertThat(Conf.run().problem("# header\n\n" + REQUIRED + "\n# x\n   \n\tmode\n# y\nbogus\n"))
                .isEqualTo(at(10, "mode needs master, slave or skipslave, but found 'bogus'"));
    }

    @Test
    void aNulCharacterIsAProblem() {
        assertThat(Conf.run().problem(REQUIRED + "peer 10.0.0.2\0peer 10.0.0.3\0\n"))
                .isEqualTo(at(3, "the file contains a NUL character; sasyncd.conf must be plain text"));
    }

    @Test
    void controlCharactersInQuotedWordsAreMasked() {
        assertThat(Conf.run().problem(REQUIRED + "peer a\u001b[2Jb"))
                .isEqualTo(at(3, "peer 'a?[2Jb' is not a numeric address; host names are not resolved in"
                        + " sasyncd.conf: write the IPv4 or IPv6 address"));
    }

    @Test
    void longWordsAreCutInMessages() {
        String word = "x".repeat(500);
        assertThat(Conf.run().problem(REQUIRED + word))
                .isEqualTo(at(3, "unknown statement '" + "x".repeat(60) + "...'; a statement starts with "
                        + STATEMENTS));
    }

    @Test
    void problemsAreCapped() {
        List<String> p = Conf.run().problems(REQUIRED + "peer bogus\n".repeat(1000));
        assertThat(p).hasSize(Diagnostics.MAX_PROBLEMS + 1);
        assertThat(p.getLast()).isEqualTo(at(3 + Diagnostics.MAX_PROBLEMS,
                "too many problems; the rest of the file was not checked"));
    }

    @Test
    void warningsAreCapped() {
        Conf c = Conf.run();
        c.ok(REQUIRED + "group a group b\n".repeat(200));
        assertThat(c.warnings).hasSize(Diagnostics.MAX_WARNINGS + 1);
        assertThat(c.warnings.getLast()).endsWith(": more warnings follow; they are not shown");
    }

    @Test
    void anOversizedFileIsRejectedWithoutParsing() {
        String text = REQUIRED + "#".repeat(Parser.MAX_CHARS);
        assertThat(Conf.run().problem(text)).isEqualTo(at(1, "the file is longer than " + Parser.MAX_CHARS
                + " characters; a sasyncd.conf is a few lines"));
    }
}
