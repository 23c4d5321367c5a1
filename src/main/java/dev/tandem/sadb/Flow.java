package dev.tandem.sadb;

import dev.tandem.net.IpAddress;
import java.util.Objects;

/**
 * An entry of the security policy database (OpenBSD's "flow").
 *
 * @param peer  the remote gateway whose SAs protect this traffic, or null
 * @param local the local address to use, or null
 * @param srcId identity for IKE, or null
 * @param dstId identity for IKE, or null
 */
public record Flow(FlowDirection direction, Selector selector, SaProtocol protocol, FlowType type,
                   IpAddress peer, IpAddress local, String srcId, String dstId) {

    public Flow {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(type, "type");
    }

    /** Flows are keyed by direction and selector: adding one with the same key replaces it. */
    public Key key() {
        return new Key(direction, selector);
    }

    public record Key(FlowDirection direction, Selector selector) { }
}
