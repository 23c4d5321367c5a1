package dev.tandem.ike.policy;

import dev.tandem.conf.isakmpd.IsakmpdConfig;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.wire.IdType;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the sections that ike rules compile to (ipsecctl's ike.c, here
 * {@link dev.tandem.conf.isakmpd.IkeRuleTranslator}) into the typed policy
 * the IKE daemon runs on. Only what the daemon and the data plane can do is
 * accepted: pre-shared keys, AES-CBC or 3DES with SHA-1/SHA-2 in phase 1,
 * ESP with AES-CBC+HMAC, AES-GCM or NULL+HMAC in phase 2. Anything else is
 * refused with the section and field that ask for it, never silently
 * weakened.
 */
public final class IkePolicies {

    /**
     * DPD idle interval when [General]:DPD-check-interval is not set. isakmpd
     * does DPD only when configured; Tandem always offers it, because a
     * cluster failover must be noticed from both sides.
     */
    public static final int DEFAULT_DPD_SECONDS = 10;
    /** isakmpd's default [LIFE_MAIN_MODE] (ipsec.conf(5)). */
    public static final long MAIN_MODE_LIFE_SECONDS = 3600;
    /** isakmpd's default [LIFE_QUICK_MODE] (ipsec.conf(5)). */
    public static final long QUICK_MODE_LIFE_SECONDS = 1200;

    private static final Set<DhGroup> GROUPS = Set.of(DhGroup.MODP_1024, DhGroup.MODP_1536, DhGroup.MODP_2048,
            DhGroup.MODP_3072, DhGroup.MODP_4096, DhGroup.MODP_6144, DhGroup.MODP_8192, DhGroup.ECP_256,
            DhGroup.ECP_384, DhGroup.CURVE25519);

    private final IsakmpdConfig conf;

    private IkePolicies(IsakmpdConfig conf) {
        this.conf = conf;
    }

    /** The policy of {@code config}; an empty configuration gives {@link IkePolicy#EMPTY}. */
    public static IkePolicy from(IsakmpdConfig config) throws IkePolicyException {
        return new IkePolicies(config).policy();
    }

    private IkePolicy policy() throws IkePolicyException {
        int dpd = DEFAULT_DPD_SECONDS;
        Optional<String> interval = conf.get("General", "DPD-check-interval");
        if (interval.isPresent()) {
            dpd = number("General", "DPD-check-interval", interval.get(), 0, 86_400);
        }
        List<Phase2Policy> phase2 = new ArrayList<>();
        // phase 1 peers: those [Phase 1] names, and those connections use (a -local- section
        // shares its [Phase 1] key with the rule of the same peer without local)
        Set<String> peers = new LinkedHashSet<>(conf.section("Phase 1").values());
        for (String c : conf.getList("Phase 2", "Connections")) {
            phase2.add(phase2(c, true));
        }
        for (String c : conf.getList("Phase 2", "Passive-Connections")) {
            phase2.add(phase2(c, false));
        }
        phase2.forEach(p -> peers.add(p.phase1()));
        List<Phase1Policy> phase1 = new ArrayList<>();
        for (String p : peers) {
            phase1.add(phase1(p, dpd));
        }
        return new IkePolicy(phase1, phase2);
    }

    // ---- phase 1 ----------------------------------------------------------

    private Phase1Policy phase1(String name, int dpd) throws IkePolicyException {
        if (!conf.hasSection(name)) {
            throw new IkePolicyException(name, null, "phase 1 peer " + name + " is not configured");
        }
        IpAddress peer = conf.get(name, "Address").isPresent() ? address(name, "Address") : null;
        IpAddress local = conf.get(name, "Local-address").isPresent() ? address(name, "Local-address") : null;
        String psk = conf.get(name, "Authentication").orElse(null);
        String c = require(name, "Configuration");
        String exchange = require(c, "EXCHANGE_TYPE");
        ExchangeMode mode = switch (exchange) {
            case "ID_PROT" -> ExchangeMode.MAIN;
            case "AGGRESSIVE" -> ExchangeMode.AGGRESSIVE;
            default -> throw new IkePolicyException(c, "EXCHANGE_TYPE", "phase 1 exchange " + exchange
                    + " is not supported (main or aggressive)");
        };
        List<Phase1Transform> transforms = new ArrayList<>();
        for (String t : list(c, "Transforms")) {
            transforms.add(phase1Transform(t));
        }
        if (psk == null || psk.isEmpty()) {
            throw new IkePolicyException(name, "Authentication",
                    "phase 1 peer " + name + " has no pre-shared key: only psk authentication is supported");
        }
        Identity localId = identity(name, "ID");
        Identity remoteId = identity(name, "Remote-ID");
        return new Phase1Policy(name, peer, local, mode, transforms, psk.getBytes(StandardCharsets.ISO_8859_1),
                localId, remoteId, dpd);
    }

    private Phase1Transform phase1Transform(String t) throws IkePolicyException {
        String method = require(t, "AUTHENTICATION_METHOD");
        if (!method.equals("PRE_SHARED")) {
            throw new IkePolicyException(t, "AUTHENTICATION_METHOD", "phase 1 authentication " + method
                    + " is not supported: only pre-shared keys (psk)");
        }
        String hashName = require(t, "HASH_ALGORITHM");
        Prf hash = switch (hashName) {
            case "SHA" -> Prf.HMAC_SHA1;
            case "SHA2_256" -> Prf.HMAC_SHA2_256;
            case "SHA2_384" -> Prf.HMAC_SHA2_384;
            case "SHA2_512" -> Prf.HMAC_SHA2_512;
            default -> throw new IkePolicyException(t, "HASH_ALGORITHM", "phase 1 hash " + hashName
                    + " is not supported (SHA, SHA2_256, SHA2_384, SHA2_512)");
        };
        String encName = require(t, "ENCRYPTION_ALGORITHM");
        DhGroup group = group(t, require(t, "GROUP_DESCRIPTION"));
        long life = life(t, MAIN_MODE_LIFE_SECONDS);
        return switch (encName) {
            case "AES_CBC" -> {
                KeyLength k = keyLength(t, new KeyLength(128, 128, 128));
                IkeCipher cipher = switch (k.offer()) {
                    case 128 -> IkeCipher.AES_128_CBC;
                    case 192 -> IkeCipher.AES_192_CBC;
                    case 256 -> IkeCipher.AES_256_CBC;
                    default -> throw new IkePolicyException(t, "KEY_LENGTH", "AES key of " + k.offer() + " bits");
                };
                yield new Phase1Transform(cipher, k.min(), k.max(), hash, group, life);
            }
            case "3DES_CBC" -> Phase1Transform.exactly(IkeCipher.TRIPLE_DES_CBC, hash, group, life);
            default -> throw new IkePolicyException(t, "ENCRYPTION_ALGORITHM", "phase 1 cipher " + encName
                    + " is not supported (AES_CBC, 3DES_CBC)");
        };
    }

    private Identity identity(String peer, String tag) throws IkePolicyException {
        Optional<String> sec = conf.get(peer, tag);
        if (sec.isEmpty()) {
            return null;
        }
        String s = sec.get();
        String type = require(s, "ID-type");
        return switch (type) {
            case "IPV4_ADDR", "IPV6_ADDR" -> {
                IpAddress a = address(s, "Address");
                if ((a.family() == IpAddress.Family.INET) != type.equals("IPV4_ADDR")) {
                    throw new IkePolicyException(s, "Address", "address " + a + " is not of type " + type);
                }
                yield new Identity(IdType.valueOf(type), a.toString());
            }
            case "FQDN", "USER_FQDN" -> new Identity(IdType.valueOf(type), require(s, "Name"));
            default -> throw new IkePolicyException(s, "ID-type", "phase 1 identity type " + type
                    + " is not supported (IPV4_ADDR, IPV6_ADDR, FQDN, USER_FQDN)");
        };
    }

    // ---- phase 2 ----------------------------------------------------------

    private Phase2Policy phase2(String name, boolean active) throws IkePolicyException {
        if (!conf.hasSection(name)) {
            throw new IkePolicyException(name, null, "connection " + name + " is not configured");
        }
        String peer = require(name, "ISAKMP-peer");
        for (String unsupported : List.of("NAT-ID", "Interface", "PF-Tag")) {
            if (conf.get(name, unsupported).isPresent()) {
                throw new IkePolicyException(name, unsupported, switch (unsupported) {
                    case "NAT-ID" -> "source NAT of an ike rule (nat) is not supported";
                    case "Interface" -> "sec(4) interfaces are not supported";
                    default -> "pf tags (tag) are not supported";
                });
            }
        }
        Selector local = selector(require(name, "Local-ID"));
        Selector remote = selector(require(name, "Remote-ID"));
        if (local.net().family() != remote.net().family()) {
            throw new IkePolicyException(name, "Remote-ID", "local and remote identities of different families");
        }
        if (local.protocol() != remote.protocol()) {
            throw new IkePolicyException(name, "Remote-ID", "local and remote identities with different protocols");
        }
        String c = require(name, "Configuration");
        String exchange = require(c, "EXCHANGE_TYPE");
        if (!exchange.equals("QUICK_MODE")) {
            throw new IkePolicyException(c, "EXCHANGE_TYPE", "phase 2 exchange " + exchange
                    + " is not supported (QUICK_MODE)");
        }
        List<Phase2Transform> transforms = new ArrayList<>();
        for (String suite : list(c, "Suites")) {
            for (String protocol : list(suite, "Protocols")) {
                String id = require(protocol, "PROTOCOL_ID");
                if (!id.equals("IPSEC_ESP")) {
                    throw new IkePolicyException(protocol, "PROTOCOL_ID", "phase 2 protocol " + id
                            + " is not supported by the data plane (only ESP)");
                }
                for (String t : list(protocol, "Transforms")) {
                    transforms.add(phase2Transform(t));
                }
            }
        }
        return new Phase2Policy(name, peer, local.net(), remote.net(), local.protocol(), local.port(),
                remote.port(), transforms, active);
    }

    private record Selector(IpNet net, int protocol, int port) { }

    private Selector selector(String s) throws IkePolicyException {
        String type = require(s, "ID-type");
        IpNet net = switch (type) {
            case "IPV4_ADDR", "IPV6_ADDR" -> IpNet.host(address(s, "Address", family(type)));
            case "IPV4_ADDR_SUBNET", "IPV6_ADDR_SUBNET" -> {
                IpAddress network = address(s, "Network", family(type));
                IpAddress mask = address(s, "Netmask", family(type));
                int prefix = mask.leadingOnes();
                if (!IpAddress.mask(mask.family(), prefix).equals(mask)) {
                    throw new IkePolicyException(s, "Netmask", "netmask " + mask + " is not contiguous");
                }
                yield new IpNet(network, prefix);
            }
            default -> throw new IkePolicyException(s, "ID-type", "phase 2 identity type " + type
                    + " is not supported (IPV4_ADDR, IPV4_ADDR_SUBNET, IPV6_ADDR, IPV6_ADDR_SUBNET)");
        };
        int protocol = conf.get(s, "Protocol").isPresent()
                ? number(s, "Protocol", conf.get(s, "Protocol").get(), 0, 255) : 0;
        int port = conf.get(s, "Port").isPresent() ? number(s, "Port", conf.get(s, "Port").get(), 0, 65535) : 0;
        return new Selector(net, protocol, port);
    }

    private static IpAddress.Family family(String idType) {
        return idType.startsWith("IPV4") ? IpAddress.Family.INET : IpAddress.Family.INET6;
    }

    private Phase2Transform phase2Transform(String t) throws IkePolicyException {
        String id = require(t, "TRANSFORM_ID");
        String mode = require(t, "ENCAPSULATION_MODE");
        boolean tunnel = switch (mode) {
            case "TUNNEL" -> true;
            case "TRANSPORT" -> false;
            default -> throw new IkePolicyException(t, "ENCAPSULATION_MODE", "encapsulation " + mode
                    + " is not supported (TUNNEL, TRANSPORT)");
        };
        Integrity integrity = null;
        Optional<String> auth = conf.get(t, "AUTHENTICATION_ALGORITHM");
        if (auth.isPresent()) {
            integrity = switch (auth.get()) {
                case "HMAC_SHA" -> Integrity.HMAC_SHA1_96;
                case "HMAC_SHA2_256" -> Integrity.HMAC_SHA2_256_128;
                case "HMAC_SHA2_384" -> Integrity.HMAC_SHA2_384_192;
                case "HMAC_SHA2_512" -> Integrity.HMAC_SHA2_512_256;
                default -> throw new IkePolicyException(t, "AUTHENTICATION_ALGORITHM", "phase 2 authentication "
                        + auth.get() + " is not supported by the data plane (HMAC_SHA, HMAC_SHA2_256/384/512)");
            };
        }
        DhGroup pfs = conf.get(t, "GROUP_DESCRIPTION").isPresent()
                ? group(t, conf.get(t, "GROUP_DESCRIPTION").get()) : null;
        long life = life(t, QUICK_MODE_LIFE_SECONDS);
        return switch (id) {
            case "AES" -> {
                if (integrity == null) {
                    throw new IkePolicyException(t, "AUTHENTICATION_ALGORITHM", "AES-CBC needs an authentication"
                            + " algorithm");
                }
                KeyLength k = keyLength(t, new KeyLength(128, 128, 128));
                yield new Phase2Transform(new EspTransform.AesCbcHmac(aesBytes(t, k.offer()), integrity),
                        k.min(), k.max(), tunnel, pfs, life);
            }
            case "AES_GCM_16" -> {
                if (integrity != null) {
                    throw new IkePolicyException(t, "AUTHENTICATION_ALGORITHM", "AES-GCM takes no authentication"
                            + " algorithm");
                }
                KeyLength k = keyLength(t, null);
                yield new Phase2Transform(new EspTransform.AesGcm(aesBytes(t, k.offer())), k.min(), k.max(),
                        tunnel, pfs, life);
            }
            case "NULL" -> {
                if (integrity == null) {
                    throw new IkePolicyException(t, "AUTHENTICATION_ALGORITHM", "enc null without an"
                            + " authentication algorithm would protect nothing");
                }
                yield new Phase2Transform(new EspTransform.NullHmac(integrity), 0, 0, tunnel, pfs, life);
            }
            default -> throw new IkePolicyException(t, "TRANSFORM_ID", "phase 2 transform " + id
                    + " is not supported by the data plane (AES, AES_GCM_16, NULL)");
        };
    }

    private static int aesBytes(String t, int bits) throws IkePolicyException {
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new IkePolicyException(t, "KEY_LENGTH", "AES key of " + bits + " bits");
        }
        return bits / 8;
    }

    // ---- shared -----------------------------------------------------------

    /** isakmpd's KEY_LENGTH "offer,min:max" (or a single number for exactly that length). */
    private record KeyLength(int offer, int min, int max) { }

    private KeyLength keyLength(String t, KeyLength dflt) throws IkePolicyException {
        Optional<String> v = conf.get(t, "KEY_LENGTH");
        if (v.isEmpty()) {
            if (dflt == null) {
                throw new IkePolicyException(t, "KEY_LENGTH", "the key length is missing");
            }
            return dflt;
        }
        String s = v.get();
        int comma = s.indexOf(',');
        if (comma < 0) {
            int k = number(t, "KEY_LENGTH", s, 1, 1024);
            return new KeyLength(k, k, k);
        }
        int colon = s.indexOf(':', comma);
        if (colon < 0) {
            throw new IkePolicyException(t, "KEY_LENGTH", "key length " + s + " is not \"offer,min:max\"");
        }
        int offer = number(t, "KEY_LENGTH", s.substring(0, comma), 1, 1024);
        int min = number(t, "KEY_LENGTH", s.substring(comma + 1, colon), 1, 1024);
        int max = number(t, "KEY_LENGTH", s.substring(colon + 1), 1, 1024);
        if (offer < min || offer > max) {
            throw new IkePolicyException(t, "KEY_LENGTH", "offered key length " + offer + " is outside "
                    + min + ":" + max);
        }
        return new KeyLength(offer, min, max);
    }

    private static DhGroup group(String t, String name) throws IkePolicyException {
        DhGroup g = null;
        for (DhGroup candidate : GROUPS) {
            if (candidate.name().equals(name)) {
                g = candidate;
            }
        }
        if (g == null) {
            throw new IkePolicyException(t, "GROUP_DESCRIPTION", "Diffie-Hellman group " + name
                    + " is not supported (MODP_1024..MODP_8192, ECP_256, ECP_384, CURVE25519)");
        }
        return g;
    }

    /** Seconds of a transform's Life: isakmpd's default sections, or a section of its own. */
    private long life(String t, long dflt) throws IkePolicyException {
        Optional<String> life = conf.get(t, "Life");
        if (life.isEmpty()) {
            return dflt;
        }
        String s = life.get();
        Map<String, String> sec = conf.section(s);
        if (sec.isEmpty()) {
            return switch (s) {
                case "LIFE_MAIN_MODE" -> MAIN_MODE_LIFE_SECONDS;
                case "LIFE_QUICK_MODE" -> QUICK_MODE_LIFE_SECONDS;
                default -> throw new IkePolicyException(s, null, "lifetime section " + s + " is not configured");
            };
        }
        String type = require(s, "LIFE_TYPE");
        if (!type.equals("SECONDS")) {
            throw new IkePolicyException(s, "LIFE_TYPE", "lifetime type " + type + " is not supported (SECONDS)");
        }
        String duration = require(s, "LIFE_DURATION");
        int comma = duration.indexOf(',');
        // isakmpd.conf may give "offer,min:max"; the offer is what we ask for
        return number(s, "LIFE_DURATION", comma < 0 ? duration : duration.substring(0, comma), 1, Integer.MAX_VALUE);
    }

    private String require(String section, String tag) throws IkePolicyException {
        Optional<String> v = conf.get(section, tag);
        if (v.isEmpty() || v.get().isEmpty()) {
            throw new IkePolicyException(section, tag, conf.hasSection(section) ? tag + " is missing"
                    : "section " + section + " is not configured");
        }
        return v.get();
    }

    private List<String> list(String section, String tag) throws IkePolicyException {
        List<String> l = conf.getList(section, tag);
        if (l.isEmpty()) {
            throw new IkePolicyException(section, tag, conf.hasSection(section) ? tag + " is missing"
                    : "section " + section + " is not configured");
        }
        return l;
    }

    private IpAddress address(String section, String tag) throws IkePolicyException {
        String v = require(section, tag);
        return IpAddress.parse(v).orElseThrow(() -> new IkePolicyException(section, tag, v
                + " is not a numeric address"));
    }

    private IpAddress address(String section, String tag, IpAddress.Family family) throws IkePolicyException {
        IpAddress a = address(section, tag);
        if (a.family() != family) {
            throw new IkePolicyException(section, tag, a + " is not an " + (family == IpAddress.Family.INET
                    ? "IPv4" : "IPv6") + " address");
        }
        return a;
    }

    private static int number(String section, String tag, String v, int min, int max) throws IkePolicyException {
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new IkePolicyException(section, tag, v + " is out of range " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IkePolicyException(section, tag, v + " is not a number");
        }
    }
}
