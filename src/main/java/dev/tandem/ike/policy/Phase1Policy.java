package dev.tandem.ike.policy;

import dev.tandem.net.IpAddress;
import java.util.List;
import java.util.Objects;

/**
 * A phase 1 peer (isakmpd's [peer-...] section with its configuration).
 *
 * @param name        the section name, e.g. "peer-198.51.100.10" or "peer-default"
 * @param peer        the remote gateway, or null for any (the default section: road warriors)
 * @param local       the local address to use and to accept on, or null for any
 * @param mode        main or aggressive mode
 * @param transforms  in order of preference; never empty
 * @param psk         the pre-shared key; never logged
 * @param localId     the identity sent, or null for the local address
 * @param remoteId    the identity required of the peer, or null for any
 * @param dpdSeconds  idle time before a DPD R-U-THERE (RFC 3706), 0 for none
 */
public record Phase1Policy(String name, IpAddress peer, IpAddress local, ExchangeMode mode,
                           List<Phase1Transform> transforms, byte[] psk, Identity localId, Identity remoteId,
                           int dpdSeconds) {

    public Phase1Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(psk, "psk");
        transforms = List.copyOf(transforms);
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("phase 1 policy " + name + " without transforms");
        }
        if (dpdSeconds < 0) {
            throw new IllegalArgumentException("negative DPD interval");
        }
        psk = psk.clone();
    }

    @Override
    public byte[] psk() {
        return psk.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phase1Policy p && name.equals(p.name) && Objects.equals(peer, p.peer)
                && Objects.equals(local, p.local) && mode == p.mode && transforms.equals(p.transforms)
                && java.security.MessageDigest.isEqual(psk, p.psk) && Objects.equals(localId, p.localId)
                && Objects.equals(remoteId, p.remoteId) && dpdSeconds == p.dpdSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, peer, local, mode, transforms, localId, remoteId, dpdSeconds);
    }

    @Override
    public String toString() {
        return "Phase1Policy[" + name + ", peer " + (peer == null ? "any" : peer) + ", " + mode + ", "
                + transforms.size() + " transforms, psk hidden]";
    }
}
