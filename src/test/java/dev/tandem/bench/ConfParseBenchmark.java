package dev.tandem.bench;

import dev.tandem.conf.ipsec.ByteText;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.HostResolver;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecConfParser;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.LocalConfFiles;
import dev.tandem.conf.ipsec.NetDb;
import dev.tandem.conf.ipsec.ParseLimits;
import dev.tandem.conf.ipsec.RulePrinter;
import dev.tandem.conf.ipsec.RuleSink;
import dev.tandem.conf.ipsec.SaBundleRule;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses a generated ipsec.conf of 10,000 written rules, the configuration of
 * a large hub gateway, with the real parser and an environment that never
 * touches DNS or the network.
 *
 * <ul>
 *   <li>{@link #parse} is the parse alone: lexing, macro expansion, rule
 *       expansion and validation, each rule handed to a counting sink.</li>
 *   <li>{@link #parseAndRender} is everything {@code ipsecctl -nv} does with
 *       the text: the parse, plus every flow and SA printed in ipsec.conf
 *       syntax and every ike rule translated into isakmpd commands and
 *       rendered, the output collected as bytes.</li>
 * </ul>
 *
 * <p>Run with {@code bench/jmh ConfParse}. Not a test: nothing here is timed
 * by surefire (the class name does not end in Test).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A fixed, pre-touched heap: on the 2-vCPU VM where this was written, letting
// G1 grow the heap during measurement put page-fault time (kernel time) into
// random iterations, up to 10x the steady-state time per operation.
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class ConfParseBenchmark {

    /** Seed of the generator: the configuration is the same on every run. */
    static final long SEED = 20_251_128L;

    /**
     * Sites behind the hub. A manually keyed site is written as two flow
     * rules and one esp SA rule; an IKE site as one ike rule.
     */
    static final int MANUAL_SITES = 2_000;
    static final int IKE_SITES = 4_000;

    /** Written rules: 2 flows + 1 SA per manual site, 1 ike rule per IKE site. */
    static final int WRITTEN_FLOWS = 2 * MANUAL_SITES;
    static final int WRITTEN_SAS = MANUAL_SITES;
    static final int WRITTEN_IKE = IKE_SITES;
    static final int WRITTEN_RULES = WRITTEN_FLOWS + WRITTEN_SAS + WRITTEN_IKE;

    /**
     * Rules after expansion: a flow without a direction becomes an out and an
     * in flow; an SA with two SPIs becomes one SA per direction; an ike rule
     * between single networks stays one rule.
     */
    static final int EXPANDED_RULES = 2 * WRITTEN_FLOWS + 2 * WRITTEN_SAS + WRITTEN_IKE;

    static final String NAME = "/etc/ipsec.conf";

    /** The generated text and what it holds. */
    record Generated(byte[] text, int lines, int macros) { }

    byte[] conf;
    IpsecConfParser.Environment env;
    RulePrinter printer;
    IkeRuleTranslator ike;

    @Setup(Level.Trial)
    public void setup() {
        Generated g = generate(SEED);
        conf = g.text();
        env = new IpsecConfParser.Environment(HostResolver.NONE, NetDb.system(), new LocalConfFiles(),
                ParseLimits.DEFAULT, "ipsecctl");
        printer = new RulePrinter(env.netdb());
        ike = new IkeRuleTranslator(env.resolver()::hostname);

        // Check once that the benchmark measures a clean parse, not an error path.
        List<String> stderr = new ArrayList<>();
        int[] kinds = new int[4];
        IpsecConfParser.Result r = IpsecConfParser.parse(NAME, conf, List.of(), env, rule -> {
            switch (rule) {
                case FlowRule f -> kinds[0]++;
                case SaRule s -> kinds[1]++;
                case SaBundleRule b -> kinds[2]++;
                case IkeRule i -> {
                    kinds[3]++;
                    IkeTranslation t = ike.configure(i);
                    if (!t.ok()) {
                        stderr.add("translation of rule " + i.number() + ": " + t.error());
                    }
                }
            }
        }, stderr::add);
        if (!r.ok() || !stderr.isEmpty()) {
            throw new IllegalStateException("generated config does not parse cleanly: " + r.errors()
                    + " errors\n" + String.join("\n", stderr.subList(0, Math.min(20, stderr.size()))));
        }
        if (r.rules().size() != EXPANDED_RULES || kinds[0] != 2 * WRITTEN_FLOWS || kinds[1] != 2 * WRITTEN_SAS
                || kinds[2] != 0 || kinds[3] != WRITTEN_IKE) {
            throw new IllegalStateException("unexpected rules: " + r.rules().size() + " (flows " + kinds[0]
                    + ", SAs " + kinds[1] + ", bundles " + kinds[2] + ", ike " + kinds[3] + "), expected "
                    + EXPANDED_RULES);
        }
        if (!r.unusedMacros().isEmpty()) {
            throw new IllegalStateException("unused macros: " + r.unusedMacros());
        }
        System.out.printf("%n# ipsec.conf: %d bytes, %d lines, %d macros, %d written rules"
                        + " (%d flow, %d esp SA, %d ike), %d rules after expansion%n",
                conf.length, g.lines(), g.macros(), WRITTEN_RULES, WRITTEN_FLOWS, WRITTEN_SAS, WRITTEN_IKE,
                r.rules().size());
    }

    /** Parse only; the sink counts rules and feeds each to the blackhole. */
    @Benchmark
    public int parse(Blackhole bh) {
        int[] count = new int[1];
        RuleSink sink = rule -> {
            count[0]++;
            bh.consume(rule);
        };
        IpsecConfParser.Result r = IpsecConfParser.parse(NAME, conf, List.of(), env, sink, bh::consume);
        bh.consume(r);
        return count[0];
    }

    /**
     * Parse and render, as {@code ipsecctl -nv} does (RuleEcho without -k):
     * flows and SAs printed, ike rules translated to isakmpd commands,
     * macros echoed, all written to one byte buffer.
     */
    @Benchmark
    public int parseAndRender(Blackhole bh) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        int[] count = new int[1];
        RuleSink sink = new RuleSink() {
            @Override
            public void rule(IpsecRule rule) {
                count[0]++;
                switch (rule) {
                    case FlowRule f -> print(printer.flow(f));
                    case SaRule s -> print(printer.sa(s, false));
                    case SaBundleRule b -> print(printer.bundle(b));
                    case IkeRule i -> {
                        IkeTranslation t = ike.configure(i);
                        StringBuilder sb = new StringBuilder();
                        for (ConfCommand c : t.commands()) {
                            sb.append(c.render()).append('\n');
                        }
                        print(sb.toString());
                        if (!t.ok()) {
                            bh.consume(t.error());
                        }
                    }
                }
            }

            @Override
            public void macro(String name, String value) {
                print(name + " = \"" + value + "\"\n");
            }

            private void print(String text) {
                out.writeBytes(ByteText.bytes(text));
            }
        };
        IpsecConfParser.Result r = IpsecConfParser.parse(NAME, conf, List.of(), env, sink, bh::consume);
        bh.consume(r);
        bh.consume(out.toByteArray());
        return count[0];
    }

    /**
     * Writes the generated configuration to standard output, to look at it or
     * to feed it to {@code tandem ipsecctl -nvf}.
     */
    public static void main(String[] args) {
        byte[] text = generate(SEED).text();
        System.out.write(text, 0, text.length);
        System.out.flush();
    }

    // ---- the configuration ------------------------------------------------

    private static final String[] MAIN = {
        "main auth hmac-sha2-256 enc aes-256 group modp2048 lifetime 8h",
        "main auth hmac-sha1 enc aes group modp3072",
        "main auth hmac-sha2-384 enc aes-256 group ecp384 lifetime 86400",
    };
    private static final String[] QUICK = {
        "quick auth hmac-sha2-256 enc aes-256 group modp2048 lifetime 1h",
        "quick enc aes-128-gcm group ecp256",
        "quick enc aes-256-gcm group none lifetime 3600",
    };
    private static final String[] PORTS = {"https", "ssh", "domain", "ntp", "8443", "1812"};

    /**
     * A hub at 192.0.2.1 serving 10.0.0.0/12 (macros hub and hub_net), with
     * MANUAL_SITES manually keyed and IKE_SITES IKE-keyed sites in a shuffled
     * order. Each site has a peer in 198.18.0.0/15 and a /24 from 10.16.0.0
     * up; manual sites have a second /24 in 172.16.0.0/12 (or, for about one
     * in ten, a flow to one host there restricted to one TCP or UDP port)
     * and an esp SA pair with
     * random SPIs and keys. Most IKE sites use the phase 1 and 2 macros; the
     * others spell the transforms out.
     */
    static Generated generate(long seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder(4 << 20);
        int[] lines = {0};
        List<Boolean> manual = new ArrayList<>();
        for (int i = 0; i < MANUAL_SITES; i++) {
            manual.add(true);
        }
        for (int i = 0; i < IKE_SITES; i++) {
            manual.add(false);
        }
        Collections.shuffle(manual, rnd);

        line(sb, lines, "# Generated by ConfParseBenchmark (seed " + seed + "): a hub gateway with "
                + (MANUAL_SITES + IKE_SITES) + " sites.");
        line(sb, lines, "hub = \"192.0.2.1\"");
        line(sb, lines, "hub_net = \"10.0.0.0/12\"");
        line(sb, lines, "p1 = \"" + MAIN[0] + "\"");
        line(sb, lines, "p2 = \"" + QUICK[0] + "\"");
        int macros = 4;
        line(sb, lines, "");

        Set<Long> spis = new HashSet<>();
        int manualSeen = 0;
        for (int site = 0; site < manual.size(); site++) {
            // site numbers are distinct, so peers and networks are too
            int n = site + 1;
            String peer = "198." + (18 + site / (254 * 256)) + "." + (site / 254 % 256) + "." + (1 + site % 254);
            String net = "10." + (16 + (site >> 8)) + "." + (site & 0xff) + ".0/24";
            line(sb, lines, "# site " + n);
            if (manual.get(site)) {
                // the second networks of manual sites: /24s of 172.16.0.0/12
                int m = manualSeen++;
                String net2 = "172." + (16 + (m >> 8)) + "." + (m & 0xff);
                line(sb, lines, "flow esp from $hub_net to " + net + " peer " + peer);
                if (rnd.nextInt(10) == 0) {
                    String proto = rnd.nextBoolean() ? "tcp" : "udp";
                    line(sb, lines, "flow esp proto " + proto + " from $hub_net to " + net2 + "."
                            + (1 + rnd.nextInt(254)) + " port " + PORTS[rnd.nextInt(PORTS.length)]
                            + " peer " + peer);
                } else {
                    line(sb, lines, "flow esp from $hub_net to " + net2 + ".0/24 peer " + peer);
                }
                String xf = rnd.nextInt(4) == 0 ? "" : " auth hmac-sha2-256 enc aes";
                int encLen = 16 + 8 * rnd.nextInt(3);
                line(sb, lines, "esp tunnel from $hub to " + peer + " spi 0x" + spi(rnd, spis) + ":0x"
                        + spi(rnd, spis) + xf + " \\");
                line(sb, lines, "\tauthkey 0x" + hex(rnd, 32) + ":0x" + hex(rnd, 32) + " \\");
                line(sb, lines, "\tenckey 0x" + hex(rnd, encLen) + ":0x" + hex(rnd, encLen));
            } else {
                String mode = rnd.nextInt(10) == 0 ? "ike passive esp" : "ike esp";
                line(sb, lines, mode + " from $hub_net to " + net + " local $hub peer " + peer + " \\");
                if (rnd.nextInt(4) != 0) {
                    line(sb, lines, "\t$p1 $p2 \\");
                } else {
                    line(sb, lines, "\t" + MAIN[rnd.nextInt(MAIN.length)] + " \\");
                    line(sb, lines, "\t" + QUICK[rnd.nextInt(QUICK.length)] + " \\");
                }
                line(sb, lines, "\tpsk \"" + secret(rnd) + "\"");
            }
        }
        return new Generated(sb.toString().getBytes(StandardCharsets.US_ASCII), lines[0], macros);
    }

    private static void line(StringBuilder sb, int[] lines, String s) {
        sb.append(s).append('\n');
        lines[0]++;
    }

    /** A random SPI, unique in the file, outside the reserved range 1..255. */
    private static String spi(Random rnd, Set<Long> used) {
        while (true) {
            long v = Integer.toUnsignedLong(rnd.nextInt());
            if (v > 255 && used.add(v)) {
                return String.format("%08x", v);
            }
        }
    }

    private static String hex(Random rnd, int bytes) {
        StringBuilder sb = new StringBuilder(2 * bytes);
        for (int i = 0; i < bytes; i++) {
            sb.append(String.format("%02x", rnd.nextInt(256)));
        }
        return sb.toString();
    }

    private static String secret(Random rnd) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
