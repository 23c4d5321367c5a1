package dev.tandem.sync.wire;

import dev.tandem.ike.ChildState;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.ike.Phase1State;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.negotiation.Phase1Choice;
import dev.tandem.ike.negotiation.Phase2Choice;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Identity;
import dev.tandem.ike.wire.IdType;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.sadb.SaId;
import java.util.Arrays;

/**
 * IKE state in replication messages: phase 1 SAs and the child SAs they
 * negotiated. Algorithms travel as their IKE numbers (RFC 2409 appendix A,
 * so stable), other enums as explicit codes from 1. The decoder checks what
 * the records' constructors would refuse, so a bad field is named.
 */
final class IkeWire {

    /** Upper bound of a policy or connection name, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 256;
    /** Upper bound of an identity's value, in UTF-8 bytes. */
    static final int MAX_ID_BYTES = 1024;

    private IkeWire() {
    }

    // ---- phase 1 ----------------------------------------------------------

    static void phase1(WireWriter w, Phase1State s) {
        w.string(s.policy()).bool(s.initiator()).u8(s.mode() == ExchangeMode.MAIN ? 1 : 2);
        w.u64(s.initiatorCookie()).u64(s.responderCookie());
        Phase1Choice c = s.choice();
        w.u8(cipherCode(c.cipher())).u8(prfCode(c.hash())).u16(c.group().number()).u64(c.lifeSeconds())
                .u8(c.transformNumber());
        secret(w, s.skeyidD());
        secret(w, s.skeyidA());
        secret(w, s.skeyidE());
        byte[] iv = s.phase1Iv();
        w.u8(iv.length).bytes(iv);
        w.optionalAddress(s.localAddress()).u16(s.localPort());
        w.address(s.peer().address()).u16(s.peer().port());
        w.bool(s.natT()).bool(s.peerDpd()).u32(Integer.toUnsignedLong(s.dpdSequence()));
        w.u8(s.remoteId().type().code()).string(s.remoteId().value());
        w.u64(s.ageMillis());
        message(w, s.lastReceived());
        message(w, s.lastAnswer());
    }

    private static void message(WireWriter w, byte[] m) {
        w.u16(m.length).bytes(m);
    }

    private static byte[] message(WireReader r, String field) throws MalformedSyncMessage {
        int n = r.u16(field);
        if (n > Phase1State.MAX_MESSAGE) {
            throw new MalformedSyncMessage(field, n + " bytes, at most " + Phase1State.MAX_MESSAGE);
        }
        return r.bytes(n, field);
    }

    static Phase1State phase1(WireReader r) throws MalformedSyncMessage {
        String policy = r.string(MAX_NAME_BYTES, "policy");
        boolean initiator = r.bool("initiator");
        int m = r.u8("mode");
        ExchangeMode mode = switch (m) {
            case 1 -> ExchangeMode.MAIN;
            case 2 -> ExchangeMode.AGGRESSIVE;
            default -> throw new MalformedSyncMessage("mode", "code " + m);
        };
        long ckyI = cookie(r, "initiatorCookie");
        long ckyR = cookie(r, "responderCookie");
        IkeCipher cipher = cipher(r);
        Prf prf = prf(r);
        DhGroup group = group(r, "choice.group");
        long life = r.u63("choice.lifeSeconds");
        int transformNumber = r.u8("choice.transformNumber");
        byte[] d = secret(r, "skeyidD", prf.length());
        byte[] a = secret(r, "skeyidA", prf.length());
        byte[] e = secret(r, "skeyidE", prf.length());
        try {
            byte[] iv = secret(r, "phase1Iv", cipher.blockSize());
            IpAddress local = r.optionalAddress("localAddress");
            int localPort = port(r, "localPort");
            IpAddress peer = r.address("peer");
            int peerPort = port(r, "peer.port");
            if (local != null && local.family() != peer.family()) {
                throw new MalformedSyncMessage("localAddress", "address family differs from the peer's");
            }
            boolean natT = r.bool("natT");
            boolean peerDpd = r.bool("peerDpd");
            int dpdSequence = (int) r.u32("dpdSequence");
            Identity id = identity(r);
            long age = r.u63("ageMillis");
            byte[] lastReceived = message(r, "lastReceived");
            byte[] lastAnswer = message(r, "lastAnswer");
            if ((lastReceived.length == 0) != (lastAnswer.length == 0)) {
                throw new MalformedSyncMessage("lastAnswer", "present without lastReceived, or missing with it");
            }
            return new Phase1State(policy, initiator, mode, ckyI, ckyR,
                    new Phase1Choice(cipher, prf, group, life, transformNumber), d, a, e, iv, local, localPort,
                    new IkeEndpoint(peer, peerPort), natT, peerDpd, dpdSequence, id, age, lastReceived, lastAnswer);
        } finally {
            Arrays.fill(d, (byte) 0);
            Arrays.fill(a, (byte) 0);
            Arrays.fill(e, (byte) 0);
        }
    }

    /** Checks what {@link #phase1(WireWriter, Phase1State)} needs, when a message is made. */
    static Phase1State checkPhase1(Phase1State s) {
        WireWriter.checkString(s.policy(), MAX_NAME_BYTES, "policy");
        WireWriter.checkString(s.remoteId().value(), MAX_ID_BYTES, "remoteId");
        if (s.choice().lifeSeconds() < 0 || s.choice().transformNumber() < 0 || s.choice().transformNumber() > 0xff) {
            throw new IllegalArgumentException("phase 1 lifetime or transform number out of range");
        }
        return s;
    }

    private static void secret(WireWriter w, byte[] key) {
        w.u8(key.length).bytes(key);
        Arrays.fill(key, (byte) 0);
    }

    private static byte[] secret(WireReader r, String field, int expected) throws MalformedSyncMessage {
        int n = r.u8(field);
        if (n != expected) {
            throw new MalformedSyncMessage(field, n + " bytes, the transform needs " + expected);
        }
        return r.bytes(n, field);
    }

    private static long cookie(WireReader r, String field) throws MalformedSyncMessage {
        long c = r.u64(field);
        if (c == 0) {
            throw new MalformedSyncMessage(field, "cookie 0");
        }
        return c;
    }

    private static int port(WireReader r, String field) throws MalformedSyncMessage {
        int p = r.u16(field);
        if (p == 0) {
            throw new MalformedSyncMessage(field, "port 0");
        }
        return p;
    }

    /** The IKE encryption algorithm numbers (RFC 2409 appendix A, 7 = AES with its key length). */
    private static int cipherCode(IkeCipher c) {
        return switch (c) {
            case TRIPLE_DES_CBC -> 5;
            case AES_128_CBC -> 16;
            case AES_192_CBC -> 24;
            case AES_256_CBC -> 32;
        };
    }

    private static IkeCipher cipher(WireReader r) throws MalformedSyncMessage {
        int v = r.u8("choice.cipher");
        return switch (v) {
            case 5 -> IkeCipher.TRIPLE_DES_CBC;
            case 16 -> IkeCipher.AES_128_CBC;
            case 24 -> IkeCipher.AES_192_CBC;
            case 32 -> IkeCipher.AES_256_CBC;
            default -> throw new MalformedSyncMessage("choice.cipher", "code " + v);
        };
    }

    /** The IKE hash algorithm numbers (RFC 2409 appendix A, RFC 4868). */
    private static int prfCode(Prf p) {
        return switch (p) {
            case HMAC_SHA1 -> 2;
            case HMAC_SHA2_256 -> 4;
            case HMAC_SHA2_384 -> 5;
            case HMAC_SHA2_512 -> 6;
        };
    }

    private static Prf prf(WireReader r) throws MalformedSyncMessage {
        int v = r.u8("choice.hash");
        return switch (v) {
            case 2 -> Prf.HMAC_SHA1;
            case 4 -> Prf.HMAC_SHA2_256;
            case 5 -> Prf.HMAC_SHA2_384;
            case 6 -> Prf.HMAC_SHA2_512;
            default -> throw new MalformedSyncMessage("choice.hash", "code " + v);
        };
    }

    private static DhGroup group(WireReader r, String field) throws MalformedSyncMessage {
        int n = r.u16(field);
        return DhGroup.byNumber(n).orElseThrow(() -> new MalformedSyncMessage(field, "group " + n));
    }

    private static Identity identity(WireReader r) throws MalformedSyncMessage {
        int code = r.u8("remoteId.type");
        IdType type = IdType.of(code).filter(t -> t == IdType.IPV4_ADDR || t == IdType.IPV6_ADDR
                || t == IdType.FQDN || t == IdType.USER_FQDN)
                .orElseThrow(() -> new MalformedSyncMessage("remoteId.type", "code " + code));
        return new Identity(type, r.string(MAX_ID_BYTES, "remoteId.value"));
    }

    // ---- child SAs --------------------------------------------------------

    static void child(WireWriter w, ChildState s) {
        w.string(s.connection()).u64(s.initiatorCookie()).u64(s.responderCookie());
        SadbWire.saId(w, s.inbound());
        SadbWire.saId(w, s.outbound());
        w.address(s.local()).address(s.peer()).u16(s.peerNatPort());
        Phase2Choice c = s.choice();
        SadbWire.transform(w, c.esp());
        w.bool(c.tunnel()).bool(c.udpEncapsulated()).u16(c.pfs() == null ? 0 : c.pfs().number())
                .u64(c.lifeSeconds()).u32(Integer.toUnsignedLong(c.peerSpi())).u8(c.proposalNumber())
                .u8(c.transformNumber());
        SadbWire.net(w, s.localNet());
        SadbWire.net(w, s.remoteNet());
        w.u8(s.protocol()).u16(s.localPort()).u16(s.remotePort()).u64(s.ageMillis());
    }

    static ChildState child(WireReader r) throws MalformedSyncMessage {
        String connection = r.string(MAX_NAME_BYTES, "connection");
        long ckyI = cookie(r, "initiatorCookie");
        long ckyR = cookie(r, "responderCookie");
        SaId in = SadbWire.saId(r, "inbound");
        SaId out = SadbWire.saId(r, "outbound");
        IpAddress local = r.address("local");
        IpAddress peer = r.address("peer");
        int natPort = r.u16("peerNatPort");
        var esp = SadbWire.transform(r);
        boolean tunnel = r.bool("choice.tunnel");
        boolean udp = r.bool("choice.udpEncapsulated");
        int pfsNumber = r.u16("choice.pfs");
        DhGroup pfs = pfsNumber == 0 ? null : DhGroup.byNumber(pfsNumber)
                .orElseThrow(() -> new MalformedSyncMessage("choice.pfs", "group " + pfsNumber));
        long life = r.u63("choice.lifeSeconds");
        int peerSpi = (int) r.u32("choice.peerSpi");
        int proposal = r.u8("choice.proposalNumber");
        int transform = r.u8("choice.transformNumber");
        IpNet localNet = SadbWire.net(r, "localNet");
        IpNet remoteNet = SadbWire.net(r, "remoteNet");
        int protocol = r.u8("protocol");
        int localPort = r.u16("localPort");
        int remotePort = r.u16("remotePort");
        long age = r.u63("ageMillis");
        return new ChildState(connection, ckyI, ckyR, in, out, local, peer, natPort,
                new Phase2Choice(esp, tunnel, udp, pfs, life, peerSpi, proposal, transform), localNet, remoteNet,
                protocol, localPort, remotePort, age);
    }

    /** Checks what {@link #child(WireWriter, ChildState)} needs, when a message is made. */
    static ChildState checkChild(ChildState s) {
        WireWriter.checkString(s.connection(), MAX_NAME_BYTES, "connection");
        Phase2Choice c = s.choice();
        if (s.initiatorCookie() == 0 || s.responderCookie() == 0 || c.lifeSeconds() < 0 || c.proposalNumber() < 0
                || c.proposalNumber() > 0xff || c.transformNumber() < 0 || c.transformNumber() > 0xff) {
            throw new IllegalArgumentException("child SA cookie, lifetime or proposal number out of range");
        }
        return s;
    }
}
