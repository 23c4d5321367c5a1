package dev.tandem.ike;

import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.wire.Payload;
import dev.tandem.net.IpAddress;
import java.security.MessageDigest;
import java.util.List;

/**
 * NAT discovery of RFC 3947 section 3.2: HASH(CKY-I | CKY-R | IP | Port)
 * with the negotiated hash. The first NAT-D a side sends hashes the address
 * it sends to, the others its own; a mismatch shows a NAT on that side.
 */
final class NatDetection {

    private NatDetection() {
    }

    static Payload.NatDiscovery payload(Prf hash, byte[] ckyI, byte[] ckyR, IpAddress address, int port) {
        return new Payload.NatDiscovery(hash(hash, ckyI, ckyR, address, port));
    }

    static byte[] hash(Prf hash, byte[] ckyI, byte[] ckyR, IpAddress address, int port) {
        return hash.hash(ckyI, ckyR, address.octets(), new byte[] {(byte) (port >> 8), (byte) port});
    }

    /**
     * Whether a NAT lies between us, given the peer's NAT-D payloads (first:
     * us as the peer sees us; rest: the peer's own addresses). Our address
     * may be unknown (null), which counts as translated.
     */
    static boolean detected(Prf hash, byte[] ckyI, byte[] ckyR, List<Payload.NatDiscovery> received,
            IpAddress local, int localPort, IpAddress peer, int peerPort) {
        if (received.size() < 2) {
            return false;
        }
        boolean usTranslated = local == null || !MessageDigest.isEqual(received.getFirst().hash(),
                hash(hash, ckyI, ckyR, local, localPort));
        byte[] peerHash = hash(hash, ckyI, ckyR, peer, peerPort);
        boolean peerTranslated = true;
        for (Payload.NatDiscovery d : received.subList(1, received.size())) {
            if (MessageDigest.isEqual(d.hash(), peerHash)) {
                peerTranslated = false;
            }
        }
        return usTranslated || peerTranslated;
    }
}
