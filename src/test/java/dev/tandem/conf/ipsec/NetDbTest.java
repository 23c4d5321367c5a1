package dev.tandem.conf.ipsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NetDb against the behaviour of OpenBSD's libc, which ipsecctl uses:
 * getservent.c r1.15 / getservbyname.c / getservbyport.c and getprotoent.c r1.13 /
 * getprotoname.c / getproto.c. Entries are read line by line, '#' starts a comment,
 * fields are separated by blanks and tabs, and every lookup returns the first matching
 * entry in file order (a name matches the official name or any alias).
 */
class NetDbTest {

    private static final String SERVICES = """
            # Network services, Internet style
            ftp		21/tcp
            ssh		22/tcp
            ssh		22/udp
            domain		53/tcp	nameserver dns	# name-domain server
            domain		53/udp	nameserver

            www	80/tcp   http   web
            http-alt	8080/tcp	webcache
            isakmp		500/udp
            ipsec-nat-t	4500/udp	nat-t-ike
            #telnet	23/tcp
            """;

    private static final String PROTOCOLS = """
            # Internet (IP) protocols
            ip	0	IP		# internet protocol, pseudo protocol number
            icmp	1	ICMP
            tcp	6	TCP
            udp	17	UDP
            esp	50	IPSEC-ESP	ESP	# encapsulating security payload
            ah	51	IPSEC-AH  AH
            #gre	47	GRE
            """;

    static NetDb db(String services, String protocols) {
        return new NetDb(NetDb.parseServices(services), NetDb.parseProtocols(protocols));
    }

    // ------------------------------------------------------------------ services(5)

    @Test
    void parsesServiceEntriesWithAliasesAndSkipsComments() {
        assertThat(NetDb.parseServices(SERVICES)).containsExactly(
                new NetDb.Service("ftp", 21, "tcp", List.of()),
                new NetDb.Service("ssh", 22, "tcp", List.of()),
                new NetDb.Service("ssh", 22, "udp", List.of()),
                new NetDb.Service("domain", 53, "tcp", List.of("nameserver", "dns")),
                new NetDb.Service("domain", 53, "udp", List.of("nameserver")),
                new NetDb.Service("www", 80, "tcp", List.of("http", "web")),
                new NetDb.Service("http-alt", 8080, "tcp", List.of("webcache")),
                new NetDb.Service("isakmp", 500, "udp", List.of()),
                new NetDb.Service("ipsec-nat-t", 4500, "udp", List.of("nat-t-ike")));
    }

    @ParameterizedTest(name = "\"{0}\" is skipped")
    @ValueSource(strings = {"lonely", "foo 22", "foo abc/tcp", "foo 22a/tcp", "foo 0x16/tcp", "foo /tcp",
        "foo 2.2/tcp", "foo 99999999999/tcp", "# foo 22/tcp", "#foo 22/tcp", "foo # 22/tcp", "foo\f22/tcp"})
    void malformedServiceLinesAreSkipped(String line) {
        String text = "before 1/tcp\n" + line + "\nafter 2/tcp\n";
        assertThat(NetDb.parseServices(text)).extracting(NetDb.Service::name).containsExactly("before", "after");
    }

    @Test
    void servicePortFindsNamesAndAliasesForTheRequestedProtocol() {
        NetDb db = db(SERVICES, "");
        assertThat(db.servicePort("ssh", "tcp")).contains(22);
        assertThat(db.servicePort("ssh", "udp")).contains(22);
        assertThat(db.servicePort("www", "tcp")).contains(80);
        assertThat(db.servicePort("http", "tcp")).contains(80);
        assertThat(db.servicePort("web", "tcp")).contains(80);
        assertThat(db.servicePort("dns", "tcp")).contains(53);
        assertThat(db.servicePort("nameserver", "udp")).contains(53);
        assertThat(db.servicePort("nat-t-ike", "udp")).contains(4500);
        assertThat(db.servicePort("dns", "udp")).as("alias only on the tcp line").isEmpty();
        assertThat(db.servicePort("isakmp", "tcp")).isEmpty();
        assertThat(db.servicePort("telnet", "tcp")).as("commented out").isEmpty();
        assertThat(db.servicePort("22", "tcp")).as("a number is not a name").isEmpty();
        assertThat(db.servicePort("SSH", "tcp")).as("strcmp is case sensitive").isEmpty();
        assertThat(db.servicePort("ssh", "TCP")).as("strcmp is case sensitive").isEmpty();
        assertThat(db.servicePort("ss", "tcp")).isEmpty();
        assertThat(db.servicePort("", "tcp")).isEmpty();
    }

    @Test
    void serviceNameIsTheOfficialNameOfTheFirstEntryForThePort() {
        NetDb db = db(SERVICES + "web2 80/tcp\nhttp 80/udp\n", "");
        assertThat(db.serviceName(80, "tcp")).contains("www");
        assertThat(db.serviceName(80, "udp")).contains("http");
        assertThat(db.serviceName(53, "udp")).contains("domain");
        assertThat(db.serviceName(500, "udp")).contains("isakmp");
        assertThat(db.serviceName(500, "tcp")).isEmpty();
        assertThat(db.serviceName(23, "tcp")).isEmpty();
        assertThat(db.serviceName(0, "tcp")).isEmpty();
    }

    @Test
    void theFirstMatchInFileOrderWins() {
        NetDb db = db("""
                foo	1/tcp
                foo	2/tcp
                bar	3/udp	baz
                baz	4/udp
                qux	5/udp
                qux	6/tcp
                alpha	7/tcp	beta
                beta	8/tcp	alpha
                """, "");
        assertThat(db.servicePort("foo", "tcp")).contains(1);
        assertThat(db.servicePort("baz", "udp")).as("an alias on an earlier line beats a later name").contains(3);
        assertThat(db.servicePort("qux", "tcp")).as("entries for other protocols are passed over").contains(6);
        assertThat(db.servicePort("alpha", "tcp")).contains(7);
        assertThat(db.servicePort("beta", "tcp")).contains(7);
        assertThat(db.serviceName(8, "tcp")).contains("beta");
        assertThat(db.serviceName(3, "udp")).contains("bar");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void lookupsAgreeWithAFirstMatchModelOfLibc(long seed) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        String[] names = {"a", "b", "c", "d", "e", "f", "g", "h"};
        String[] protos = {"tcp", "udp"};
        String[] blanks = {" ", "\t", "  ", "\t\t", " \t "};
        List<NetDb.Service> entries = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < 30; n++) {
            if (rng.nextInt(5) == 0) {
                text.append(rng.nextBoolean() ? "# comment " + n : "").append('\n');
            }
            String name = names[rng.nextInt(names.length)];
            int port = rng.nextInt(12);
            String proto = protos[rng.nextInt(2)];
            List<String> aliases = new ArrayList<>();
            for (int k = rng.nextInt(3); k > 0; k--) {
                aliases.add(names[rng.nextInt(names.length)]);
            }
            entries.add(new NetDb.Service(name, port, proto, aliases));
            text.append(name).append(blanks[rng.nextInt(blanks.length)]).append(port).append('/').append(proto);
            for (String a : aliases) {
                text.append(blanks[rng.nextInt(blanks.length)]).append(a);
            }
            if (rng.nextInt(4) == 0) {
                text.append(blanks[rng.nextInt(blanks.length)]).append("# trailing");
            }
            text.append('\n');
        }
        NetDb db = db(text.toString(), "");
        assertThat(NetDb.parseServices(text.toString())).containsExactlyElementsOf(entries);
        for (String proto : protos) {
            for (String name : names) {
                Optional<Integer> want = entries.stream()
                        .filter(s -> s.proto().equals(proto) && (s.name().equals(name) || s.aliases().contains(name)))
                        .map(NetDb.Service::port).findFirst();
                assertThat(db.servicePort(name, proto)).as("%s/%s in%n%s", name, proto, text).isEqualTo(want);
            }
            for (int port = 0; port < 12; port++) {
                int p = port;
                Optional<String> want = entries.stream().filter(s -> s.port() == p && s.proto().equals(proto))
                        .map(NetDb.Service::name).findFirst();
                assertThat(db.serviceName(port, proto)).as("%d/%s in%n%s", port, proto, text).isEqualTo(want);
            }
        }
    }

    // OpenBSD getservent.c: "l = strtol(p, &endp, 10); if (endp == p || *endp != '\0' || l < 0 ||
    // l > USHRT_MAX) goto again;" -- the line is skipped and the search goes on.
    @Test
    void portsOutsideTheUnsignedShortRangeAreSkipped() {
        NetDb db = db("foo 70000/tcp\nneg -1/tcp\nbig 65536/udp\nfoo 7/tcp\nneg 8/tcp\nmax 65535/udp\nzero -0/udp\n",
                "");
        assertThat(db.servicePort("foo", "tcp")).contains(7);
        assertThat(db.servicePort("neg", "tcp")).contains(8);
        assertThat(db.servicePort("big", "udp")).isEmpty();
        assertThat(db.servicePort("max", "udp")).contains(65535);
        assertThat(db.servicePort("zero", "udp")).contains(0);
        assertThat(db.serviceName(70000, "tcp")).isEmpty();
    }

    // OpenBSD getservent.c compares with strcmp(se->s_proto, proto) and never folds case
    // (neither does glibc's nss_files).
    @Test
    void theProtocolFieldIsCaseSensitive() {
        NetDb db = db("ssh 22/TCP\n", "");
        assertThat(db.servicePort("ssh", "tcp")).isEmpty();
        assertThat(db.servicePort("ssh", "TCP")).contains(22);
    }

    // OpenBSD getservent.c: "cp = strpbrk(p, \",/\");" -- the historical "port,proto" spelling.
    @Test
    void aCommaMaySeparatePortAndProtocol() {
        assertThat(db("ssh 22,tcp\n", "").servicePort("ssh", "tcp")).contains(22);
    }

    // OpenBSD getservent.c takes s_name up to the first blank, so a line that starts with a blank
    // has an empty name and its port field ("www\t80") fails strtol: the line is skipped.
    @Test
    void aLineStartingWithABlankIsSkipped() {
        assertThat(db("  www\t80/tcp\n", "").servicePort("www", "tcp")).isEmpty();
        assertThat(db("", "\ttcp 6\n").protocolNumber("tcp")).isEmpty();
    }

    // ------------------------------------------------------------------ protocols(5)

    @Test
    void parsesProtocolEntriesWithAliasesAndSkipsComments() {
        assertThat(NetDb.parseProtocols(PROTOCOLS)).containsExactly(
                new NetDb.Protocol("ip", 0, List.of("IP")),
                new NetDb.Protocol("icmp", 1, List.of("ICMP")),
                new NetDb.Protocol("tcp", 6, List.of("TCP")),
                new NetDb.Protocol("udp", 17, List.of("UDP")),
                new NetDb.Protocol("esp", 50, List.of("IPSEC-ESP", "ESP")),
                new NetDb.Protocol("ah", 51, List.of("IPSEC-AH", "AH")));
    }

    @ParameterizedTest(name = "\"{0}\" is skipped")
    @ValueSource(strings = {"lonely", "foo bar", "foo 6x", "foo 0x6", "foo 1.5", "foo 99999999999", "#foo 6",
        "foo # 6"})
    void malformedProtocolLinesAreSkipped(String line) {
        String text = "before 1\n" + line + "\nafter 2\n";
        assertThat(NetDb.parseProtocols(text)).extracting(NetDb.Protocol::name).containsExactly("before", "after");
    }

    @Test
    void protocolLookupsByNameAliasAndNumber() {
        NetDb db = db("", PROTOCOLS + "encap 50 OTHER\nesp 99\n");
        assertThat(db.protocolNumber("esp")).contains(50);
        assertThat(db.protocolNumber("IPSEC-ESP")).contains(50);
        assertThat(db.protocolNumber("ESP")).contains(50);
        assertThat(db.protocolNumber("ah")).contains(51);
        assertThat(db.protocolNumber("tcp")).contains(6);
        assertThat(db.protocolNumber("Tcp")).as("case sensitive").isEmpty();
        assertThat(db.protocolNumber("gre")).as("commented out").isEmpty();
        assertThat(db.protocolNumber("50")).isEmpty();
        assertThat(db.protocolName(50)).as("first entry for the number").contains("esp");
        assertThat(db.protocolName(0)).contains("ip");
        assertThat(db.protocolName(17)).contains("udp");
        assertThat(db.protocolName(99)).contains("esp");
        assertThat(db.protocolName(47)).isEmpty();
        assertThat(db.protocolName(255)).isEmpty();
    }

    @Test
    void protocolLookupsTakeTheFirstMatchInFileOrder() {
        NetDb db = db("", "one 1 uno\nuno 2\nthree 3 tres\none 4\n");
        assertThat(db.protocolNumber("one")).contains(1);
        assertThat(db.protocolNumber("uno")).as("alias on an earlier line").contains(1);
        assertThat(db.protocolNumber("tres")).contains(3);
        assertThat(db.protocolName(2)).contains("uno");
        assertThat(db.protocolName(4)).contains("one");
    }

    // OpenBSD getprotoent.c: "if (endp == cp || *endp != '\0' || l < 0 || l >= INT_MAX) goto again;"
    @Test
    void negativeProtocolNumbersAreSkipped() {
        NetDb db = db("", "neg -1\nneg 5\nmax 2147483647\nbig 2147483646\n");
        assertThat(db.protocolNumber("neg")).contains(5);
        assertThat(db.protocolNumber("max")).isEmpty();
        assertThat(db.protocolNumber("big")).contains(2147483646);
        assertThat(db.protocolName(-1)).isEmpty();
    }

    // ------------------------------------------------------------------ loading

    @Test
    void loadReadsTheGivenFiles(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("services");
        Path protocols = dir.resolve("protocols");
        // read as ISO-8859-1, like the bytes libc sees
        Files.write(services, "caf\u00e9 1234/tcp r\u00e9seau\nssh 2222/tcp\n".getBytes("ISO-8859-1"));
        Files.writeString(protocols, "myproto 253 MINE\n");
        NetDb db = NetDb.load(services, protocols);
        assertThat(db.servicePort("ssh", "tcp")).contains(2222);
        assertThat(db.servicePort("caf\u00e9", "tcp")).contains(1234);
        assertThat(db.servicePort("r\u00e9seau", "tcp")).contains(1234);
        assertThat(db.servicePort("https", "tcp")).as("nothing bundled is mixed in").isEmpty();
        assertThat(db.protocolNumber("MINE")).contains(253);
        assertThat(db.protocolNumber("esp")).isEmpty();
    }

    @Test
    void loadFallsBackToTheBundledIanaNames(@TempDir Path dir) {
        NetDb db = NetDb.load(dir.resolve("no-services"), dir.resolve("no-protocols"));
        assertThat(db.servicePort("ssh", "tcp")).contains(22);
        assertThat(db.servicePort("isakmp", "udp")).contains(500);
        assertThat(db.servicePort("ipsec-nat-t", "udp")).contains(4500);
        assertThat(db.servicePort("domain", "udp")).contains(53);
        assertThat(db.serviceName(500, "udp")).contains("isakmp");
        assertThat(db.serviceName(443, "tcp")).contains("https");
        assertThat(db.protocolNumber("esp")).contains(50);
        assertThat(db.protocolNumber("IPSEC-ESP")).contains(50);
        assertThat(db.protocolNumber("ah")).contains(51);
        assertThat(db.protocolNumber("ipencap")).contains(4);
        assertThat(db.protocolName(6)).contains("tcp");
        assertThat(db.protocolName(17)).contains("udp");
        assertThat(db.protocolName(41)).contains("ipv6");
    }

    @Test
    void loadMixesAPresentFileWithTheBundledOther(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("services");
        Files.writeString(services, "only 1/tcp\n");
        NetDb db = NetDb.load(services, dir.resolve("absent"));
        assertThat(db.servicePort("only", "tcp")).contains(1);
        assertThat(db.servicePort("ssh", "tcp")).isEmpty();
        assertThat(db.protocolNumber("esp")).contains(50);
    }

    @Test
    void systemIsLoadedOnce() {
        assertThat(NetDb.system()).isSameAs(NetDb.system());
    }
}
