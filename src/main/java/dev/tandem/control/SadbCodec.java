package dev.tandem.control;

import dev.tandem.esp.EspKeys;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Selector;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * SAs and flows as control-protocol fields, what ipsecctl sends tandemd
 * (PF_KEY's role). Every field is checked on decoding; a bad one is a
 * {@link Message.BadMessage} naming the field.
 */
public final class SadbCodec {

    private SadbCodec() {
    }

    private static final HexFormat HEX = HexFormat.of();

    // ---- SAs ------------------------------------------------------------

    public static Map<String, String> encode(SaSpec s) {
        Map<String, String> m = new LinkedHashMap<>(encode(s.id()));
        m.put("src", s.src().toString());
        m.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
        EspTransform t = s.keys().transform();
        switch (t) {
            case EspTransform.AesGcm g -> m.put("transform", "aes-gcm");
            case EspTransform.AesCbcHmac c -> {
                m.put("transform", "aes-cbc");
                m.put("integrity", c.integrity().name());
            }
            case EspTransform.NullHmac n -> {
                m.put("transform", "null");
                m.put("integrity", n.integrity().name());
            }
        }
        m.put("enckey", HEX.formatHex(s.keys().encKeyBytes()));
        m.put("authkey", HEX.formatHex(s.keys().authKeyBytes()));
        m.put("encap", s.encapsulation() instanceof Encapsulation.Udp u ? "udp:" + u.srcPort() + ":" + u.dstPort() : "raw");
        m.put("esn", s.esn() ? "yes" : "no");
        m.put("window", Integer.toString(s.replayWindow()));
        m.put("soft", lifetime(s.soft()));
        m.put("hard", lifetime(s.hard()));
        return m;
    }

    public static Map<String, String> encode(SaId id) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dst", id.dst().toString());
        m.put("proto", id.protocol().name().toLowerCase(Locale.ROOT));
        m.put("spi", String.format("0x%08x", id.spi()));
        return m;
    }

    public static SaId saId(Message m) throws Message.BadMessage {
        SaProtocol p = switch (m.require("proto")) {
            case "esp" -> SaProtocol.ESP;
            case "ah" -> SaProtocol.AH;
            default -> throw new Message.BadMessage("proto must be esp or ah");
        };
        String spi = m.require("spi");
        try {
            return new SaId(address(m, "dst"), p, (int) Long.parseLong(spi.replaceFirst("^0x", ""), 16));
        } catch (NumberFormatException e) {
            throw new Message.BadMessage("spi is not a hex number: " + spi);
        }
    }

    /**
     * @param defaultWindow the replay window when the field says "default"
     *                      (ipsecctl leaves the choice to the daemon's setting)
     */
    public static SaSpec sa(Message m, int defaultWindow) throws Message.BadMessage {
        try {
            SaId id = saId(m);
            byte[] enc = HEX.parseHex(m.require("enckey"));
            byte[] auth = HEX.parseHex(m.require("authkey"));
            EspTransform t = switch (m.require("transform")) {
                case "aes-gcm" -> new EspTransform.AesGcm(enc.length - 4);
                case "aes-cbc" -> new EspTransform.AesCbcHmac(enc.length, Integrity.valueOf(m.require("integrity")));
                case "null" -> new EspTransform.NullHmac(Integrity.valueOf(m.require("integrity")));
                default -> throw new Message.BadMessage("unknown transform " + m.get("transform"));
            };
            EspKeys keys = new EspKeys(t, enc.length == 0 ? null : enc, auth.length == 0 ? null : auth);
            String encap = m.require("encap");
            Encapsulation e;
            if (encap.equals("raw")) {
                e = Encapsulation.RAW;
            } else if (encap.startsWith("udp:")) {
                String[] p = encap.split(":");
                e = new Encapsulation.Udp(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            } else {
                throw new Message.BadMessage("encap must be raw or udp:SPORT:DPORT");
            }
            SaMode mode = SaMode.valueOf(m.require("mode").toUpperCase(Locale.ROOT));
            return new SaSpec(id, address(m, "src"), mode, keys, e, m.require("esn").equals("yes"),
                    window(m.require("window"), defaultWindow), lifetime(m.require("soft")), lifetime(m.require("hard")));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new Message.BadMessage("bad SA: " + e.getMessage());
        }
    }

    private static int window(String v, int dflt) {
        return v.equals("default") ? dflt : Integer.parseInt(v);
    }

    private static String lifetime(SaLifetime l) {
        return l.seconds() + "," + l.bytes() + "," + l.packets();
    }

    private static SaLifetime lifetime(String s) throws Message.BadMessage {
        String[] p = s.split(",");
        if (p.length != 3) {
            throw new Message.BadMessage("lifetime must be seconds,bytes,packets: " + s);
        }
        return new SaLifetime(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
    }

    // ---- flows ----------------------------------------------------------

    public static Map<String, String> encode(Flow f) {
        Map<String, String> m = new LinkedHashMap<>(encode(f.key()));
        m.put("satype", f.protocol().name().toLowerCase(Locale.ROOT));
        m.put("type", f.type().name().toLowerCase(Locale.ROOT));
        if (f.peer() != null) {
            m.put("peer", f.peer().toString());
        }
        if (f.local() != null) {
            m.put("local", f.local().toString());
        }
        if (f.srcId() != null) {
            m.put("srcid", f.srcId());
        }
        if (f.dstId() != null) {
            m.put("dstid", f.dstId());
        }
        return m;
    }

    public static Map<String, String> encode(Flow.Key k) {
        Map<String, String> m = new LinkedHashMap<>();
        Selector s = k.selector();
        m.put("dir", k.direction().name().toLowerCase(Locale.ROOT));
        m.put("src", s.src().address() + "/" + s.src().prefix());
        m.put("dst", s.dst().address() + "/" + s.dst().prefix());
        m.put("protocol", Integer.toString(s.protocol()));
        m.put("sport", Integer.toString(s.srcPort()));
        m.put("dport", Integer.toString(s.dstPort()));
        return m;
    }

    public static Flow.Key flowKey(Message m) throws Message.BadMessage {
        try {
            FlowDirection d = FlowDirection.valueOf(m.require("dir").toUpperCase(Locale.ROOT));
            Selector s = new Selector(net(m, "src"), net(m, "dst"), Integer.parseInt(m.require("protocol")),
                    Integer.parseInt(m.require("sport")), Integer.parseInt(m.require("dport")));
            return new Flow.Key(d, s);
        } catch (IllegalArgumentException e) {
            throw new Message.BadMessage("bad flow: " + e.getMessage());
        }
    }

    public static Flow flow(Message m) throws Message.BadMessage {
        Flow.Key k = flowKey(m);
        try {
            SaProtocol p = SaProtocol.valueOf(m.require("satype").toUpperCase(Locale.ROOT));
            FlowType t = FlowType.valueOf(m.require("type").toUpperCase(Locale.ROOT));
            return new Flow(k.direction(), k.selector(), p, t, optionalAddress(m, "peer"),
                    optionalAddress(m, "local"), m.get("srcid"), m.get("dstid"));
        } catch (IllegalArgumentException e) {
            throw new Message.BadMessage("bad flow: " + e.getMessage());
        }
    }

    private static IpAddress address(Message m, String key) throws Message.BadMessage {
        String v = m.require(key);
        return IpAddress.parse(v).orElseThrow(() -> new Message.BadMessage(key + " is not an address: " + v));
    }

    private static IpAddress optionalAddress(Message m, String key) throws Message.BadMessage {
        return m.get(key) == null ? null : address(m, key);
    }

    private static IpNet net(Message m, String key) throws Message.BadMessage {
        String v = m.require(key);
        int slash = v.indexOf('/');
        if (slash < 0) {
            throw new Message.BadMessage(key + " must be address/prefix: " + v);
        }
        IpAddress a = IpAddress.parse(v.substring(0, slash))
                .orElseThrow(() -> new Message.BadMessage(key + " is not an address: " + v));
        try {
            return new IpNet(a, Integer.parseInt(v.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new Message.BadMessage(key + " has a bad prefix: " + v);
        }
    }
}
