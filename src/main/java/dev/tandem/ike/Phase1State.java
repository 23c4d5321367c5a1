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
 * @param lastReceived the peer's last message of phase 1 when our last one answered it (MM5 for a main mode
 *                     responder), else empty: should the peer repeat it, our answer was lost
 * @param lastAnswer   that answer (MM6), as sent; empty with lastReceived
 */
public record Phase1State(String policy, boolean initiator, ExchangeMode mode, long initiatorCookie,
                          long responderCookie, Phase1Choice choice, byte[] skeyidD, byte[] skeyidA, byte[] skeyidE,
                          byte[] phase1Iv, IpAddress localAddress, int localPort, IkeEndpoint peer, boolean natT,
                          boolean peerDpd, int dpdSequence, Identity remoteId, long ageMillis, byte[] lastReceived,
                          byte[] lastAnswer) {

    /** The largest phase 1 message kept for a repeat: PSK main mode needs a few hundred bytes. */
    public static final int MAX_MESSAGE = 4096;

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
        lastReceived = lastReceived == null ? new byte[0] : lastReceived.clone();
        lastAnswer = lastAnswer == null ? new byte[0] : lastAnswer.clone();
        if ((lastReceived.length == 0) != (lastAnswer.length == 0)) {
            throw new IllegalArgumentException("a last message without its answer, or an answer without its message");
        }
        if (lastReceived.length > MAX_MESSAGE || lastAnswer.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("last phase 1 message over " + MAX_MESSAGE + " bytes");
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

    @Override
    public byte[] lastReceived() {
        return lastReceived.clone();
    }

    @Override
    public byte[] lastAnswer() {
        return lastAnswer.clone();
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
                && dpdSequence == s.dpdSequence && remoteId.equals(s.remoteId) && ageMillis == s.ageMillis
                && Arrays.equals(lastReceived, s.lastReceived) && Arrays.equals(lastAnswer, s.lastAnswer);
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
                + ageMillis + " ms" + (lastAnswer.length > 0 ? ", last answer " + lastAnswer.length + " bytes" : "")
                + ", keys hidden]";
    }
}
