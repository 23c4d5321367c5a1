package dev.tandem.ike;

import dev.tandem.ike.negotiation.Phase1Choice;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Identity;
import dev.tandem.net.IpAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * An established phase 1 SA as a cluster backup needs it to carry on with
 * the peer: the cookies, the agreed transform, SKEYID_d/a/e (the encryption
 * key derives from SKEYID_e; SKEYID itself is only needed during phase 1 and
 * stays home), the last CBC block of phase 1 (every later exchange's IV
 * derives from it), where the peer is, and the DPD state. Ages, not
 * instants: the nodes' clocks differ. Never prints key material.
 *
 * @param localAddress our address as the peer sends to it, null if unknown
 * @param dpdSequence  the last R-U-THERE sequence number we sent
 * @param remoteId     the identity the peer authenticated with
 * @param ageMillis    time since the SA was established on the node that negotiated it
 */
public record Phase1State(String policy, boolean initiator, ExchangeMode mode, long initiatorCookie,
                          long responderCookie, Phase1Choice choice, byte[] skeyidD, byte[] skeyidA, byte[] skeyidE,
                          byte[] phase1Iv, IpAddress localAddress, int localPort, IkeEndpoint peer, boolean natT,
                          boolean peerDpd, int dpdSequence, Identity remoteId, long ageMillis) {

    public Phase1State {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(remoteId, "remoteId");
        if (initiatorCookie == 0 || responderCookie == 0) {
            throw new IllegalArgumentException("phase 1 cookie 0");
        }
        int keyLength = choice.hash().length();
        if (skeyidD.length != keyLength || skeyidA.length != keyLength || skeyidE.length != keyLength) {
            throw new IllegalArgumentException("SKEYID_d/a/e must be " + keyLength + " bytes for " + choice.hash());
        }
        if (phase1Iv.length != choice.cipher().blockSize()) {
            throw new IllegalArgumentException("phase 1 IV must be " + choice.cipher().blockSize() + " bytes");
        }
        if (localPort < 1 || localPort > 0xffff) {
            throw new IllegalArgumentException("UDP port " + localPort);
        }
        if (localAddress != null && localAddress.family() != peer.address().family()) {
            throw new IllegalArgumentException("local address family differs from the peer's");
        }
        if (ageMillis < 0) {
            throw new IllegalArgumentException("negative age");
        }
        skeyidD = skeyidD.clone();
        skeyidA = skeyidA.clone();
        skeyidE = skeyidE.clone();
        phase1Iv = phase1Iv.clone();
    }

    @Override
    public byte[] skeyidD() {
        return skeyidD.clone();
    }

    @Override
    public byte[] skeyidA() {
        return skeyidA.clone();
    }

    @Override
    public byte[] skeyidE() {
        return skeyidE.clone();
    }

    @Override
    public byte[] phase1Iv() {
        return phase1Iv.clone();
    }

    /** The cookie pair as status shows it. */
    public String cookies() {
        return String.format("%016x:%016x", initiatorCookie, responderCookie);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phase1State s && policy.equals(s.policy) && initiator == s.initiator && mode == s.mode
                && initiatorCookie == s.initiatorCookie && responderCookie == s.responderCookie
                && choice.equals(s.choice) && MessageDigest.isEqual(skeyidD, s.skeyidD)
                && MessageDigest.isEqual(skeyidA, s.skeyidA) && MessageDigest.isEqual(skeyidE, s.skeyidE)
                && Arrays.equals(phase1Iv, s.phase1Iv) && Objects.equals(localAddress, s.localAddress)
                && localPort == s.localPort && peer.equals(s.peer) && natT == s.natT && peerDpd == s.peerDpd
                && dpdSequence == s.dpdSequence && remoteId.equals(s.remoteId) && ageMillis == s.ageMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, initiatorCookie, responderCookie, peer, dpdSequence, ageMillis);
    }

    @Override
    public String toString() {
        return "Phase1State[" + policy + " " + cookies() + " " + (initiator ? "initiator" : "responder") + " " + mode
                + " " + TransformNames.of(choice) + " local " + localAddress + ":" + localPort + " peer " + peer
                + (natT ? " NAT-T" : "") + (peerDpd ? " DPD " + dpdSequence : "") + " id " + remoteId + " age "
                + ageMillis + " ms, keys hidden]";
    }
}
