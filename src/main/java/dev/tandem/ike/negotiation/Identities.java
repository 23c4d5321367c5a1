package dev.tandem.ike.negotiation;

import dev.tandem.ike.policy.Identity;
import dev.tandem.ike.wire.IdType;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.Payload;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * ID payloads of the IPsec DOI (RFC 2407 §4.6.2): the phase 1 identity of a
 * peer, and the client IDs of quick mode that name the traffic selectors.
 */
public final class Identities {

    private Identities() {
    }

    /** The traffic one side of a quick mode covers: a network with IP protocol and port (0 = any). */
    public record ClientId(IpNet net, int protocol, int port) { }

    /**
     * Phase 1 ID payload for an identity, or for our address when
     * {@code id} is null. Protocol and port are 0, as strongSwan sends them.
     */
    public static Payload.Identification phase1(Identity id, IpAddress localAddress) {
        if (id == null) {
            return Payload.Identification.of(IpNet.host(localAddress), 0, 0);
        }
        byte[] data = switch (id.type()) {
            case IPV4_ADDR, IPV6_ADDR -> IpAddress.parse(id.value())
                    .filter(a -> (a.family() == IpAddress.Family.INET) == (id.type() == IdType.IPV4_ADDR))
                    .orElseThrow(() -> new IllegalArgumentException("identity " + id + " is not an address of its type"))
                    .octets();
            default -> id.value().getBytes(StandardCharsets.US_ASCII);
        };
        return new Payload.Identification(id.type().code(), 0, 0, data);
    }

    /**
     * The identity a received phase 1 ID payload names. Protocol and port
     * are not checked: strongSwan sends 0/0, isakmpd 17/500.
     *
     * @throws MalformedIsakmp for types other than addresses and names, and for unprintable names
     */
    public static Identity of(Payload.Identification id) throws MalformedIsakmp {
        IdType type = IdType.of(id.idType()).orElse(null);
        byte[] data = id.data();
        switch (type) {
            case IPV4_ADDR, IPV6_ADDR -> {
                return new Identity(type, new IpAddress(data).toString());
            }
            case FQDN, USER_FQDN -> {
                if (data.length == 0) {
                    throw new MalformedIsakmp("id.data", "empty " + type);
                }
                for (byte b : data) {
                    // names end up in logs and in comparisons with the configuration: printable ASCII only
                    if (b < 0x21 || b > 0x7e) {
                        throw new MalformedIsakmp("id.data", type + " with the octet 0x"
                                + Integer.toHexString(b & 0xff));
                    }
                }
                return new Identity(type, new String(data, StandardCharsets.US_ASCII));
            }
            case null, default -> throw new MalformedIsakmp("id.type", "phase 1 ID type " + id.idType()
                    + " is not supported; use an address, FQDN or USER_FQDN");
        }
    }

    /** Quick mode client ID: a host as IPV4_ADDR/IPV6_ADDR, a network as *_ADDR_SUBNET. */
    public static Payload.Identification client(IpNet net, int protocol, int port) {
        return Payload.Identification.of(net, protocol, port);
    }

    /**
     * The selector side a client ID names: addresses, subnets with a
     * contiguous mask, and ranges that cover exactly one prefix.
     *
     * @throws MalformedIsakmp for other ID types, odd masks and ranges that are no prefix
     */
    public static ClientId client(Payload.Identification id) throws MalformedIsakmp {
        IdType type = IdType.of(id.idType()).orElse(null);
        IpNet net = switch (type) {
            case IPV4_ADDR, IPV6_ADDR, IPV4_ADDR_SUBNET, IPV6_ADDR_SUBNET -> id.net().orElseThrow(
                    () -> new MalformedIsakmp("id.data", "subnet mask is not contiguous"));
            case IPV4_ADDR_RANGE, IPV6_ADDR_RANGE -> range(id.data());
            case null, default -> throw new MalformedIsakmp("id.type", "client ID type " + id.idType()
                    + " is not supported; use an address, subnet or range");
        };
        return new ClientId(net, id.protocolId(), id.port());
    }

    private static IpNet range(byte[] data) throws MalformedIsakmp {
        int half = data.length / 2;
        IpAddress start = new IpAddress(Arrays.copyOf(data, half));
        IpAddress end = new IpAddress(Arrays.copyOfRange(data, half, data.length));
        for (int prefix = 0; prefix <= start.bits(); prefix++) {
            if (start.network(prefix).equals(start) && last(start, prefix).equals(end)) {
                return new IpNet(start, prefix);
            }
        }
        throw new MalformedIsakmp("id.data", "range " + start + "-" + end + " is not a prefix");
    }

    /** The last address of the network of {@code prefix} bits starting at {@code a}. */
    private static IpAddress last(IpAddress a, int prefix) {
        byte[] m = IpAddress.mask(a.family(), prefix).octets();
        byte[] o = a.octets();
        for (int i = 0; i < o.length; i++) {
            o[i] |= (byte) ~m[i];
        }
        return new IpAddress(o);
    }
}
