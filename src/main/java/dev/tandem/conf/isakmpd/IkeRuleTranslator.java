package dev.tandem.conf.isakmpd;

import dev.tandem.net.IpAddress;
import dev.tandem.conf.ipsec.AuthAlgorithm;
import dev.tandem.conf.ipsec.DhGroup;
import dev.tandem.conf.ipsec.EncAlgorithm;
import dev.tandem.conf.ipsec.Host;
import dev.tandem.conf.ipsec.IdType;
import dev.tandem.conf.ipsec.IkeMode;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.Lifetime;
import dev.tandem.conf.ipsec.SaType;
import dev.tandem.conf.ipsec.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns an ike rule into isakmpd configuration sections, with the section
 * names and defaults of OpenBSD's ipsecctl: phase 1 main mode with AES,
 * SHA1 and MODP_3072; phase 2 AES with HMAC-SHA2-256 and PFS over MODP_3072.
 */
public final class IkeRuleTranslator {

    static final int DYNAMIC_CHECK_INTERVAL = 30;
    static final int DYNAMIC_DPD_CHECK_INTERVAL = 5;

    private final Supplier<String> hostname;

    /** @param hostname the local host name, the default ID of dynamic rules */
    public IkeRuleTranslator(Supplier<String> hostname) {
        this.hostname = hostname;
    }

    /** The names ipsecctl derives from a rule for its isakmpd sections. */
    record Names(String phase1, String localId, String remoteId, String connection, String natId) {

        static Names of(IkeRule r) {
            String p1;
            if (r.peer() != null) {
                p1 = r.local() != null ? "peer-" + r.peer().name() + "-local-" + r.local().name()
                        : "peer-" + r.peer().name();
            } else {
                p1 = "peer-default";
            }
            String lid;
            String rid;
            String sproto = r.proto() != 0 ? "=" + r.proto() : "";
            String ssport = r.srcPort() != 0 ? ":" + r.srcPort() : "";
            String sdport = r.dstPort() != 0 ? ":" + r.dstPort() : "";
            if (r.iface() != null) {
                lid = "from-sec" + r.iface();
                rid = "to-sec" + r.iface();
            } else {
                lid = "from-" + r.src().name() + sproto + ssport;
                rid = "to-" + r.dst().name() + sproto + sdport;
            }
            String nat = r.src().sourceNat() != null ? "nat-" + r.src().sourceNat().name() + sproto + ssport : null;
            return new Names(p1, lid, rid, lid + "-" + rid, nat);
        }
    }

    /** Thrown inside the translation where ipsecctl's ike.c gives up on a rule. */
    private static final class Illegal extends Exception {
        private static final long serialVersionUID = 1L;

        Illegal(String message) {
            super(message, null, false, false);
        }
    }

    /** The commands that configure the rule's connection (ipsecctl -f). */
    public IkeTranslation configure(IkeRule r) {
        List<ConfCommand> out = new ArrayList<>();
        Names n = Names.of(r);
        try {
            general(r, out);
            peer(r, n, out);
            phase1(r, n, out);
            ids(r, n, out);
            ipsec(r, n, out);
            phase2(r, n, out);
            phase2Ids(r, n, out);
            out.add(new ConfCommand.Add("Phase 2", connectionsTag(r), n.connection(), false));
            return new IkeTranslation(List.copyOf(out), null);
        } catch (Illegal e) {
            return new IkeTranslation(List.copyOf(out), e.getMessage());
        }
    }

    /** The commands that remove the rule's connection (ipsecctl -d -f). */
    public IkeTranslation teardown(IkeRule r) {
        Names n = Names.of(r);
        return new IkeTranslation(List.of(
                new ConfCommand.Teardown(n.connection()),
                new ConfCommand.Remove("Phase 2", connectionsTag(r), n.connection()),
                new ConfCommand.RemoveSection(n.connection()),
                new ConfCommand.RemoveSection("phase2-" + n.connection())), null);
    }

    private static String connectionsTag(IkeRule r) {
        return r.mode() == IkeMode.PASSIVE ? "Passive-Connections" : "Connections";
    }

    private static ConfCommand set(String section, String tag, Object value) {
        return new ConfCommand.Set(section, tag, String.valueOf(value), true);
    }

    private static void general(IkeRule r, List<ConfCommand> out) {
        if (r.mode() == IkeMode.DYNAMIC) {
            out.add(set("General", "Check-interval", DYNAMIC_CHECK_INTERVAL));
            out.add(set("General", "DPD-check-interval", DYNAMIC_DPD_CHECK_INTERVAL));
        }
    }

    private static void peer(IkeRule r, Names n, List<ConfCommand> out) {
        if (r.peer() != null) {
            out.add(set("Phase 1", r.peer().name(), n.phase1()));
        } else {
            out.add(set("Phase 1", "Default", n.phase1()));
        }
        out.add(set(n.phase1(), "Phase", 1));
        if (r.peer() != null) {
            out.add(set(n.phase1(), "Address", r.peer().name()));
        }
        if (r.local() != null) {
            out.add(set(n.phase1(), "Local-address", r.local().name()));
        }
        if (r.auth().isPsk()) {
            out.add(set(n.phase1(), "Authentication", r.auth().psk()));
        }
    }

    /** An algorithm with the KEY_LENGTH isakmpd is told ("offer,min:max"), or null. */
    private record Cipher(String name, String keyLength) {
        /** The transform name carries the offered length, e.g. AES128. */
        String label() {
            return keyLength == null ? name : name + keyLength.substring(0, keyLength.indexOf(','));
        }
    }

    private static Cipher aesLike(String name, EncAlgorithm e) {
        return switch (e) {
            case AES -> new Cipher(name, "128,128:256");
            case AES_128, AES_128_CTR, AES_128_GCM, AES_128_GMAC, AESCTR -> new Cipher(name, "128,128:128");
            case AES_192, AES_192_CTR, AES_192_GCM, AES_192_GMAC -> new Cipher(name, "192,192:192");
            case AES_256, AES_256_CTR, AES_256_GCM, AES_256_GMAC -> new Cipher(name, "256,256:256");
            default -> throw new AssertionError(e);
        };
    }

    private void phase1(IkeRule r, Names n, List<ConfCommand> out) throws Illegal {
        String conf = "phase1-" + n.phase1();
        out.add(set(n.phase1(), "Configuration", conf));
        out.add(set(conf, "EXCHANGE_TYPE", r.phase1().exchange().isakmpdName()));
        Transforms x = r.phase1().transforms();

        Cipher enc;
        EncAlgorithm e = x == null ? null : x.enc();
        if (e == null) {
            enc = new Cipher("AES", "128,128:256");
        } else {
            enc = switch (e) {
                case TDES_CBC -> new Cipher("3DES", null);
                case AES, AES_128, AES_192, AES_256 -> aesLike("AES", e);
                case BLOWFISH -> new Cipher("BLOWFISH", "128,96:192");
                case CAST128 -> new Cipher("CAST", null);
                default -> throw new Illegal("illegal transform " + e.keyword());
            };
        }
        AuthAlgorithm a = x == null ? null : x.auth();
        String hash;
        if (a == null) {
            hash = "SHA";
        } else {
            hash = switch (a) {
                case HMAC_MD5, HMAC_SHA1, HMAC_SHA2_256, HMAC_SHA2_384, HMAC_SHA2_512 -> a.isakmpdName();
                default -> throw new Illegal("illegal transform " + a.keyword());
            };
        }
        DhGroup g = x == null ? null : x.group();
        String group;
        if (g == null) {
            group = "MODP_3072";
        } else if (g.isakmpdName() == null) {
            throw new Illegal("illegal group " + g.keyword());
        } else {
            group = g.isakmpdName();
        }
        String method = r.auth().isPsk() ? "PRE_SHARED" : "RSA_SIG";

        String t = "phase1-transform-" + n.phase1() + "-" + method + "-" + hash + "-" + enc.label() + "-" + group;
        out.add(new ConfCommand.Add(conf, "Transforms", t, true));
        out.add(set(t, "AUTHENTICATION_METHOD", method));
        out.add(set(t, "HASH_ALGORITHM", hash));
        out.add(set(t, "ENCRYPTION_ALGORITHM", enc.name() + "_CBC"));
        if (enc.keyLength() != null) {
            out.add(set(t, "KEY_LENGTH", enc.keyLength()));
        }
        out.add(set(t, "GROUP_DESCRIPTION", group));
        life(t, r.phase1().lifetime(), "LIFE_MAIN_MODE", out);
    }

    private static void life(String transform, Lifetime life, String dflt, List<ConfCommand> out) {
        if (life != null) {
            out.add(set(transform, "Life", transform + "-life"));
            out.add(set(transform + "-life", "LIFE_TYPE", "SECONDS"));
            out.add(set(transform + "-life", "LIFE_DURATION", life.seconds()));
        } else {
            out.add(set(transform, "Life", dflt));
        }
    }

    private void ids(IkeRule r, Names n, List<ConfCommand> out) {
        String src = r.ids().srcId();
        IdType srcType = r.ids().srcType();
        if (r.mode() == IkeMode.DYNAMIC && src == null) {
            src = hostname.get();
            srcType = IdType.FQDN;
        }
        if (src != null) {
            out.add(set(n.phase1(), "ID", "id-" + src));
            identity(src, srcType, out);
        }
        String dst = r.ids().dstId();
        if (dst != null) {
            out.add(set(n.phase1(), "Remote-ID", "id-" + dst));
            identity(dst, r.ids().dstType(), out);
        }
    }

    private static void identity(String id, IdType type, List<ConfCommand> out) {
        String sec = "id-" + id;
        out.add(set(sec, "ID-type", type.name()));
        out.add(set(sec, type.isAddress() ? "Address" : "Name", id));
    }

    private static void ipsec(IkeRule r, Names n, List<ConfCommand> out) {
        String c = n.connection();
        out.add(set(c, "Phase", 2));
        out.add(set(c, "ISAKMP-peer", n.phase1()));
        out.add(set(c, "Configuration", "phase2-" + c));
        out.add(set(c, "Local-ID", n.localId()));
        if (n.natId() != null) {
            out.add(set(c, "NAT-ID", n.natId()));
        }
        out.add(set(c, "Remote-ID", n.remoteId()));
        if (r.tag() != null) {
            out.add(set(c, "PF-Tag", r.tag()));
        }
        if (r.iface() != null) {
            out.add(set(c, "Interface", r.iface()));
        }
    }

    private static void phase2(IkeRule r, Names n, List<ConfCommand> out) throws Illegal {
        String c = n.connection();
        out.add(set("phase2-" + c, "EXCHANGE_TYPE", "QUICK_MODE"));
        out.add(set("phase2-" + c, "Suites", "phase2-suite-" + c));
        out.add(set("phase2-suite-" + c, "Protocols", "phase2-protocol-" + c));
        String protocol = switch (r.saType()) {
            case ESP -> "IPSEC_ESP";
            case AH -> "IPSEC_AH";
            default -> throw new Illegal("illegal satype " + (r.saType().ordinal() + 1));
        };
        out.add(set("phase2-protocol-" + c, "PROTOCOL_ID", protocol));

        Transforms x = r.phase2().transforms();
        boolean needAuth = true;
        Cipher enc = null;
        EncAlgorithm e = x == null ? null : x.enc();
        if (e != null) {
            if (r.saType() != SaType.ESP) {
                throw new Illegal("illegal transform " + e.keyword());
            }
            enc = switch (e) {
                case TDES_CBC -> new Cipher("3DES", null);
                case AES, AES_128, AES_192, AES_256 -> aesLike("AES", e);
                case AESCTR, AES_128_CTR, AES_192_CTR, AES_256_CTR -> aesLike("AES_CTR", e);
                case AES_128_GCM, AES_192_GCM, AES_256_GCM -> aesLike("AES_GCM_16", e);
                case AES_128_GMAC, AES_192_GMAC, AES_256_GMAC -> aesLike("AES_GMAC", e);
                case BLOWFISH -> new Cipher("BLOWFISH", "128,96:192");
                case CAST128 -> new Cipher("CAST", null);
                case NULL -> new Cipher("NULL", null);
                default -> throw new Illegal("illegal transform " + e.keyword());
            };
            needAuth = !(e.aead() || e == EncAlgorithm.NULL);
        } else if (r.saType() == SaType.ESP) {
            enc = new Cipher("AES", "128,128:256");
        }
        String encap = r.tunnelMode().isakmpdName();

        AuthAlgorithm a = x == null ? null : x.auth();
        String auth = null;
        if (a != null) {
            if (a.isakmpdName() == null) {
                throw new Illegal("illegal transform " + a.keyword());
            }
            auth = a.isakmpdName();
        } else if (needAuth) {
            auth = "SHA2_256";
        }

        DhGroup g = x == null ? null : x.group();
        String group;
        if (g == null) {
            group = "MODP_3072";
        } else if (g == DhGroup.NONE) {
            group = null;
        } else if (g.isakmpdName() == null) {
            throw new Illegal("illegal group " + g.keyword());
        } else {
            group = g.isakmpdName();
        }

        String t = "phase2-transform-" + c + "-" + (enc == null ? "NONE" : enc.label()) + "-"
                + (auth == null ? "NONE" : auth) + "-" + (group == null ? "NONE" : group) + "-" + encap;
        out.add(set("phase2-protocol-" + c, "Transforms", t));
        out.add(set(t, "TRANSFORM_ID", r.saType() == SaType.AH ? auth : enc.name()));
        if (enc != null && enc.keyLength() != null) {
            out.add(set(t, "KEY_LENGTH", enc.keyLength()));
        }
        out.add(set(t, "ENCAPSULATION_MODE", encap));
        if (auth != null) {
            out.add(set(t, "AUTHENTICATION_ALGORITHM", "HMAC_" + auth));
        }
        if (group != null) {
            out.add(set(t, "GROUP_DESCRIPTION", group));
        }
        life(t, r.phase2().lifetime(), "LIFE_QUICK_MODE", out);
    }

    private static void phase2Ids(IkeRule r, Names n, List<ConfCommand> out) {
        Host src = r.src();
        Host dst = r.dst();
        idSection(n.localId(), src, src.family(), out);
        if (src.sourceNat() != null) {
            idSection(n.natId(), src.sourceNat(), src.family(), out);
        }
        idSection(n.remoteId(), dst, dst.family(), out);
        if (r.proto() != 0) {
            out.add(set(n.localId(), "Protocol", r.proto()));
            out.add(set(n.remoteId(), "Protocol", r.proto()));
        }
        if (r.srcPort() != 0) {
            out.add(set(n.localId(), "Port", r.srcPort()));
        }
        if (r.dstPort() != 0) {
            out.add(set(n.remoteId(), "Port", r.dstPort()));
        }
    }

    /** A phase 2 identity: a subnet for networks, an address for hosts. */
    private static void idSection(String section, Host h, IpAddress.Family family, List<ConfCommand> out) {
        int v = family == IpAddress.Family.INET ? 4 : 6;
        String address = h.name();
        int slash = address.lastIndexOf('/');
        if (slash >= 0) {
            address = address.substring(0, slash);
        }
        if (h.network()) {
            out.add(set(section, "ID-type", "IPV" + v + "_ADDR_SUBNET"));
            out.add(set(section, "Network", address));
            out.add(set(section, "Netmask", IpAddress.mask(h.family(), h.prefix())));
        } else {
            out.add(set(section, "ID-type", "IPV" + v + "_ADDR"));
            out.add(set(section, "Address", address));
        }
    }
}
