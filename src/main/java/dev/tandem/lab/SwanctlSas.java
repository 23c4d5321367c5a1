package dev.tandem.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IKE_SAs and CHILD_SAs of {@code swanctl --list-sas} (strongSwan 5.9's
 * text form), so tests can compare strongSwan's SPIs with Tandem's and see
 * traffic in the counters.
 */
final class SwanctlSas {

    /**
     * One IKE_SA (an ISAKMP SA in IKEv1).
     *
     * @param name      connection name
     * @param id        charon's unique id, #n; a new IKE_SA (reauthentication) gets a new one
     * @param state     ESTABLISHED, CONNECTING, DELETING, ...
     * @param version   1 or 2
     * @param spiI      initiator's SPI (IKEv1 cookie), 16 hex digits
     * @param spiR      responder's SPI
     * @param initiator whether this charon initiated it
     */
    record IkeSa(String name, int id, String state, int version, String spiI, String spiR, boolean initiator,
                 List<ChildSa> children) {

        /** The first installed CHILD_SA called {@code name}. */
        Optional<ChildSa> child(String child) {
            return children.stream().filter(c -> c.name().equals(child) && c.state().equals("INSTALLED")).findFirst();
        }
    }

    /**
     * One CHILD_SA (an IPsec SA pair).
     *
     * @param mode     TUNNEL-in-UDP with kernel-libipsec
     * @param proposal e.g. ESP:AES_CBC-256/HMAC_SHA2_256_128 (with /MODP_2048 when PFS was used)
     * @param spiIn    SPI of the inbound SA, 8 hex digits
     * @param spiOut   SPI of the outbound SA
     */
    record ChildSa(String name, int id, String state, String mode, String proposal, String spiIn, long bytesIn,
                   long packetsIn, String spiOut, long bytesOut, long packetsOut) { }

    private static final Pattern IKE = Pattern.compile(
            "^(\\S+): #(\\d+), (\\w+), IKEv(\\d), ([0-9a-f]{16})_i(\\*?) ([0-9a-f]{16})_r(\\*?)$");
    private static final Pattern CHILD = Pattern.compile("^\\s+(\\S+): #(\\d+), reqid \\d+, (\\w+), (\\S+), (\\S+)$");
    private static final Pattern COUNTERS = Pattern.compile(
            "^\\s+(in|out) +([0-9a-f]{8})(?:\\([0-9a-f]+\\))?, +(\\d+) bytes, +(\\d+) packets.*$");

    private SwanctlSas() {
    }

    static List<IkeSa> parse(String listSas) {
        List<IkeSa> sas = new ArrayList<>();
        String[] ike = null;
        List<ChildSa> children = null;
        String[] child = null;
        String[] in = null;
        for (String line : listSas.split("\n")) {
            Matcher m;
            if ((m = IKE.matcher(line)).matches()) {
                if (ike != null) {
                    sas.add(ikeSa(ike, children));
                }
                ike = new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(7),
                    m.group(6).isEmpty() ? "" : "i"};
                children = new ArrayList<>();
                child = null;
            } else if (ike != null && (m = CHILD.matcher(line)).matches()) {
                child = new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)};
                in = null;
            } else if (child != null && (m = COUNTERS.matcher(line)).matches()) {
                String[] c = {m.group(2), m.group(3), m.group(4)};
                if (m.group(1).equals("in")) {
                    in = c;
                } else if (in != null) {
                    children.add(new ChildSa(child[0], Integer.parseInt(child[1]), child[2], child[3], child[4],
                            in[0], Long.parseLong(in[1]), Long.parseLong(in[2]), c[0], Long.parseLong(c[1]),
                            Long.parseLong(c[2])));
                    child = null;
                }
            }
        }
        if (ike != null) {
            sas.add(ikeSa(ike, children));
        }
        return sas;
    }

    private static IkeSa ikeSa(String[] f, List<ChildSa> children) {
        return new IkeSa(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), f[4], f[5], f[6].equals("i"),
                List.copyOf(children));
    }
}
