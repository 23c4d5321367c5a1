package dev.tandem.conf.carp;

import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * DIR/carp.conf: one carp interface per line in ifconfig(8) style, e.g.
 * {@code carp0 vhid 1 carpdev wan0 pass secret advbase 1 advskew 100 198.51.100.1/24},
 * and the sysctl line {@code net.inet.carp.preempt=1}, which sets the default
 * of the per-line {@code preempt} keyword. Every problem is reported as
 * {@code file: line: message}; a file with any problem is rejected whole.
 *
 * @param preempt    the file's preemption default
 * @param interfaces the carp interfaces, in file order
 */
public record CarpConf(boolean preempt, List<CarpInterfaceConf> interfaces) {

    public static final CarpConf EMPTY = new CarpConf(false, List.of());

    /** OpenBSD copies at most this many bytes of the password (CARP_KEY_LEN - 1). */
    public static final int OPENBSD_PASS_BYTES = 19;
    private static final int MAX_LINE = 4096;
    private static final int IFNAMSIZ = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern SYSCTL = Pattern.compile("net\\.inet\\.carp\\.preempt\\s*=\\s*(\\S+)");

    public CarpConf {
        interfaces = List.copyOf(interfaces);
    }

    /** The file had problems; {@link #problems()} lists each as "file: line: message". */
    public static final class Invalid extends Exception {

        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /**
     * @param file name used in messages
     * @param text the file's contents
     * @param warn receives "file: line: warning" for things accepted with a caveat
     */
    public static CarpConf parse(Path file, String text, Consumer<String> warn) throws Invalid {
        List<String> problems = new ArrayList<>();
        boolean preempt = false;
        List<Pending> pending = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            if (line.length() > MAX_LINE) {
                problems.add(file + ": " + no + ": line longer than " + MAX_LINE + " characters");
                continue;
            }
            try {
                List<String> words = Words.split(line);
                if (words.isEmpty()) {
                    continue;
                }
                var sysctl = SYSCTL.matcher(String.join(" ", words));
                if (sysctl.matches()) {
                    preempt = switch (sysctl.group(1)) {
                        case "0" -> false;
                        case "1" -> true;
                        default -> throw new Problem("net.inet.carp.preempt must be 0 or 1, not "
                                + sysctl.group(1));
                    };
                    continue;
                }
                if (words.getFirst().startsWith("net.")) {
                    throw new Problem("unknown setting " + words.getFirst()
                            + " (only net.inet.carp.preempt is understood)");
                }
                pending.add(interfaceLine(no, words, msg -> warn.accept(file + ": " + no + ": " + msg)));
            } catch (Problem p) {
                problems.add(file + ": " + no + ": " + p.getMessage());
            }
        }
        List<CarpInterfaceConf> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> vhids = new HashMap<>();
        for (Pending p : pending) {
            Integer seen = names.putIfAbsent(p.name, p.line);
            if (seen != null) {
                problems.add(file + ": " + p.line + ": " + p.name + " is already defined on line " + seen);
                continue;
            }
            Integer other = vhids.putIfAbsent(p.carpdev + "/" + p.vhid, p.line);
            if (other != null) {
                problems.add(file + ": " + p.line + ": vhid " + p.vhid + " on " + p.carpdev
                        + " is already used on line " + other);
                continue;
            }
            out.add(new CarpInterfaceConf(p.name, p.line, p.vhid, p.carpdev, p.pass, p.advbase, p.advskew,
                    p.carppeer, p.vips, p.preempt.orElse(preempt), p.groups, p.auth, p.hook));
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new CarpConf(preempt, out);
    }

    /** A line whose name and options are read but whose preemption may still come from the file default. */
    private static final class Pending {
        String name;
        int line;
        int vhid = -1;
        String carpdev;
        String pass = "";
        int advbase = 1;
        int advskew;
        IpAddress carppeer;
        List<InterfaceAddress> vips = new ArrayList<>();
        Optional<Boolean> preempt = Optional.empty();
        List<String> groups = new ArrayList<>();
        CarpAuthMode auth = CarpAuthMode.OPENBSD;
        Path hook;
    }

    private static Pending interfaceLine(int no, List<String> w, Consumer<String> warn) throws Problem {
        Pending p = new Pending();
        p.line = no;
        p.name = w.getFirst();
        if (!NAME.matcher(p.name).matches() || p.name.length() >= IFNAMSIZ) {
            throw new Problem("bad interface name \"" + p.name + "\"");
        }
        for (int i = 1; i < w.size(); i++) {
            String k = w.get(i);
            switch (k) {
                case "vhid" -> p.vhid = number(w, ++i, k, 1, 255);
                case "advbase" -> p.advbase = number(w, ++i, k, 0, 255);
                case "advskew" -> p.advskew = number(w, ++i, k, 0, 254);
                case "pass" -> p.pass = argument(w, ++i, k);
                case "carpdev" -> {
                    p.carpdev = argument(w, ++i, k);
                    if (!NAME.matcher(p.carpdev).matches() || p.carpdev.length() >= IFNAMSIZ) {
                        throw new Problem("bad carpdev \"" + p.carpdev + "\"");
                    }
                }
                case "carppeer" -> {
                    String a = argument(w, ++i, k);
                    p.carppeer = IpAddress.parseV4(a).orElseThrow(() ->
                            new Problem("carppeer must be an IPv4 address, not \"" + a + "\""));
                }
                case "-carppeer" -> p.carppeer = null;
                case "preempt" -> p.preempt = Optional.of(true);
                case "-preempt" -> p.preempt = Optional.of(false);
                case "group" -> {
                    String g = argument(w, ++i, k);
                    if (!NAME.matcher(g).matches() || g.length() >= IFNAMSIZ) {
                        throw new Problem("bad group name \"" + g + "\"");
                    }
                    p.groups.add(g);
                }
                case "auth" -> {
                    String a = argument(w, ++i, k);
                    p.auth = switch (a) {
                        case "openbsd" -> CarpAuthMode.OPENBSD;
                        case "strict" -> CarpAuthMode.STRICT;
                        default -> throw new Problem("auth must be openbsd or strict, not \"" + a + "\"");
                    };
                }
                case "hook" -> {
                    String h = argument(w, ++i, k);
                    if (!h.startsWith("/")) {
                        throw new Problem("hook must be an absolute path, not \"" + h + "\"");
                    }
                    p.hook = Path.of(h);
                }
                case "carpnodes", "balancing" -> throw new Problem(k
                        + ": load balancing is not supported; use one vhid per line");
                case "state" -> throw new Problem("state: use \"tandem carp demote\" to move mastership");
                case "inet", "inet6", "alias", "up" -> { }
                default -> {
                    if (i + 2 < w.size() && w.get(i + 1).equals("netmask")) {
                        p.vips.add(withNetmask(k, w.get(i + 2)));
                        i += 2;
                    } else {
                        p.vips.add(address(k));
                    }
                }
            }
        }
        if (p.vhid < 0) {
            throw new Problem(p.name + ": vhid is missing");
        }
        if (p.carpdev == null) {
            throw new Problem(p.name + ": carpdev is missing");
        }
        if (p.vips.isEmpty()) {
            throw new Problem(p.name + ": no address");
        }
        if (p.auth == CarpAuthMode.STRICT && p.pass.isEmpty()) {
            throw new Problem(p.name + ": auth strict needs a pass");
        }
        if (p.auth == CarpAuthMode.OPENBSD && p.pass.getBytes(StandardCharsets.UTF_8).length > OPENBSD_PASS_BYTES) {
            warn.accept(p.name + ": pass is longer than " + OPENBSD_PASS_BYTES
                    + " bytes; only the first " + OPENBSD_PASS_BYTES + " count, as on OpenBSD");
        }
        return p;
    }

    private static String argument(List<String> w, int i, String keyword) throws Problem {
        if (i >= w.size()) {
            throw new Problem(keyword + " needs an argument");
        }
        return w.get(i);
    }

    private static int number(List<String> w, int i, String keyword, int min, int max) throws Problem {
        String s = argument(w, i, keyword);
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) {
                throw new Problem(keyword + " " + s + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Problem(keyword + " must be a number, not \"" + s + "\"");
        }
    }

    private static InterfaceAddress address(String s) throws Problem {
        int slash = s.indexOf('/');
        String a = slash < 0 ? s : s.substring(0, slash);
        IpAddress ip = IpAddress.parse(a).orElseThrow(() -> new Problem("unknown keyword or bad address \"" + s + "\""));
        int max = ip.bits();
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new Problem("bad prefix length in \"" + s + "\"");
            }
            if (prefix < 0 || prefix > max) {
                throw new Problem("prefix length of \"" + s + "\" is out of range 0.." + max);
            }
        }
        return new InterfaceAddress(ip, prefix);
    }

    private static InterfaceAddress withNetmask(String a, String mask) throws Problem {
        IpAddress ip = IpAddress.parseV4(a).orElseThrow(() -> new Problem("netmask needs an IPv4 address, not \"" + a + "\""));
        IpAddress m = mask.toLowerCase(Locale.ROOT).startsWith("0x")
                ? hexMask(mask)
                : IpAddress.parseV4(mask).orElseThrow(() -> new Problem("bad netmask \"" + mask + "\""));
        int ones = m.leadingOnes();
        if (!IpAddress.mask(IpAddress.Family.INET, ones).equals(m)) {
            throw new Problem("netmask " + mask + " is not contiguous");
        }
        return new InterfaceAddress(ip, ones);
    }

    private static IpAddress hexMask(String mask) throws Problem {
        try {
            long v = Long.parseLong(mask.substring(2), 16);
            if (v < 0 || v > 0xffff_ffffL) {
                throw new Problem("bad netmask \"" + mask + "\"");
            }
            return new IpAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (NumberFormatException e) {
            throw new Problem("bad netmask \"" + mask + "\"");
        }
    }

    /** One problem on one line. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message);
        }
    }
}
