package dev.tandem.ike;

import dev.tandem.ike.wire.ExchangeType;
import dev.tandem.ike.wire.IsakmpHeader;
import dev.tandem.ike.wire.IsakmpMessage;
import dev.tandem.ike.wire.MalformedIsakmp;
import dev.tandem.ike.wire.NotifyType;
import dev.tandem.ike.wire.Payload;
import dev.tandem.ike.wire.PayloadChain;
import dev.tandem.ike.wire.ProtocolId;
import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informational exchanges over an established phase 1 (RFC 2409 section 5.7):
 * notifications, DELETE (RFC 2408 section 3.15) and dead peer detection
 * (RFC 3706), each message protected by HASH(1) and its own IV; and the
 * unprotected notifications allowed before phase 1 completes.
 */
final class Informational {

    private static final Logger LOG = LoggerFactory.getLogger(IkeDaemon.class);
    private static final int DPD_TRIES = 5;

    private final IkeDaemon daemon;

    Informational(IkeDaemon daemon) {
        this.daemon = daemon;
    }

    void notification(Phase1Sa sa, Payload.Notification n) {
        int type = n.notifyType();
        if (type == NotifyType.R_U_THERE.code()) {
            sendInformational(sa, List.of(new Payload.Notification(1, ProtocolId.ISAKMP.code(), sa.cookies(),
                    NotifyType.R_U_THERE_ACK.code(), n.data())));
            daemon.count(IkeCounters.DPD_REQUESTS_ANSWERED);
        } else if (type == NotifyType.R_U_THERE_ACK.code()) {
            if (n.data().length == 4 && Payloads.int32(n.data()) == sa.dpdSequence) {
                daemon.count(IkeCounters.DPD_ANSWERED);
            }
        } else if (type < NotifyType.CONNECTED.code()) {
            String name = NotifyType.of(type).map(Enum::name).orElse(Integer.toString(type));
            daemon.warn("phase 1 " + sa.cookiesHex() + " with " + sa.peer + ": the peer reports " + name);
            for (QuickMode qm : List.copyOf(sa.quickModes.values())) {
                if (qm.initiator && qm.state == QuickMode.State.QM1_SENT) {
                    qm.fail("the peer refused it: " + name);
                }
            }
        }
    }

    void delete(Phase1Sa sa, Payload.Delete d) {
        daemon.count(IkeCounters.DELETES_RECEIVED);
        if (d.protocolId() == ProtocolId.IPSEC_ESP.code() && d.spiSize() == 4) {
            for (byte[] spi : d.spis()) {
                int s = Payloads.int32(spi);
                for (ChildSaRecord c : List.copyOf(daemon.connections().children())) {
                    if (c.outboundSpi() == s && c.peer().equals(sa.peer.address())) {
                        LOG.info("{} deletes connection {} SPIs in 0x{} out 0x{}{}", sa.peer, c.connection(),
                                IkeDaemon.hex(c.inboundSpi()), IkeDaemon.hex(c.outboundSpi()), daemon.passive() ? " (kept: passive)" : "");
                        if (!daemon.passive()) {
                            daemon.connections().removeChild(c);
                            List.copyOf(sa.quickModes.values()).forEach(qm -> qm.peerMovedOn(c.connection()));
                        }
                    }
                }
            }
        } else if (d.protocolId() == ProtocolId.ISAKMP.code() && d.spiSize() == 16) {
            for (byte[] spi : d.spis()) {
                Phase1Sa target = daemon.phase1s().get(Payloads.cookie(spi, 0), Payloads.cookie(spi, 8));
                if (target != null && target.peer.address().equals(sa.peer.address())) {
                    LOG.info("{} deletes phase 1 {}", sa.peer, target.cookiesHex());
                    daemon.phase1Lifecycle().remove(target);
                }
            }
        }
    }

    /** A plaintext informational message: only believed before phase 1 completes (RFC 2408 allows it then). */
    void unprotectedNotify(Phase1Sa sa, byte[] message) throws MalformedIsakmp {
        IsakmpMessage m = IsakmpMessage.decode(message);
        for (Payload.Notification n : Payloads.all(m.payloads(), Payload.Notification.class)) {
            String name = NotifyType.of(n.notifyType()).map(Enum::name).orElse(Integer.toString(n.notifyType()));
            if (!sa.isEstablished() && n.notifyType() < NotifyType.CONNECTED.code()) {
                String hint = n.notifyType() == NotifyType.INVALID_HASH_INFORMATION.code()
                        || n.notifyType() == NotifyType.PAYLOAD_MALFORMED.code() ? " (wrong pre-shared key?)" : "";
                sa.fail("the peer refused it: " + name + hint);
                return;
            }
            daemon.unauthenticated("unprotected " + name + " notification from " + sa.peer + " ignored");
        }
    }

    void sendInformational(Phase1Sa sa, List<Payload> payloads) {
        long mid = daemon.newMessageId(sa);
        byte[] hash = sa.keys.quickMode().hash1((int) mid, PayloadChain.encode(payloads));
        List<Payload> out = new ArrayList<>();
        out.add(new Payload.Hash(hash));
        out.addAll(payloads);
        daemon.send(sa, sa.seal(ExchangeType.INFORMATIONAL.code(), mid, sa.exchangeIv(mid), out).datagram());
    }

    /** An error notify: protected once phase 1 is up, plain before. */
    void sendNotify(Phase1Sa sa, NotifyType type) {
        if (sa.isEstablished()) {
            sendInformational(sa, List.of(new Payload.Notification(1, ProtocolId.ISAKMP.code(), sa.cookies(),
                    type.code(), new byte[0])));
        } else {
            sendUnprotectedNotify(sa, type);
        }
    }

    void sendUnprotectedNotify(Phase1Sa sa, NotifyType type) {
        long mid = Integer.toUnsignedLong(daemon.random().nextInt() | 1);
        Payload n = new Payload.Notification(1, ProtocolId.ISAKMP.code(), sa.cookies(), type.code(), new byte[0]);
        daemon.send(sa, new IsakmpMessage(IsakmpHeader.of(sa.ckyI, sa.ckyR, ExchangeType.INFORMATIONAL.code(), 0, mid),
                List.of(n)).encode());
    }

    void sendDelete(ChildSaRecord c) {
        Phase1Sa sa = daemon.phase1s().newest(c.peer());
        if (sa == null) {
            LOG.info("no phase 1 with {} to send the DELETE of SPI 0x{}", c.peer(), IkeDaemon.hex(c.inboundSpi()));
            return;
        }
        sendDelete(sa, c.inboundSpi());
    }

    /** Tells the peer to stop using our inbound SPI (its outbound SA). */
    void sendDelete(Phase1Sa sa, int inboundSpi) {
        if (daemon.passive() || !sa.isEstablished()) {
            return;
        }
        sendInformational(sa, List.of(new Payload.Delete(1, ProtocolId.IPSEC_ESP.code(), 4,
                List.of(Payloads.int32(inboundSpi)))));
        daemon.count(IkeCounters.DELETES_SENT);
    }

    void sendPhase1Delete(Phase1Sa sa) {
        if (daemon.passive()) {
            return;
        }
        sendInformational(sa, List.of(new Payload.Delete(1, ProtocolId.ISAKMP.code(), 16, List.of(sa.cookies()))));
        daemon.count(IkeCounters.DELETES_SENT);
    }

    /**
     * RFC 3706: when neither IKE messages nor ESP packets came from the peer
     * for the policy's interval, ask R-U-THERE, again every retransmit
     * interval; five unanswered mean dead. Inbound ESP counts as a sign of
     * life, so a busy tunnel is never probed (the RFC's "worry" metric).
     */
    void deadPeerDetection(Phase1Sa sa, long now) {
        int interval = sa.policy.dpdSeconds();
        if (interval <= 0 || !sa.peerDpd || daemon.passive() || !daemon.phase1s().contains(sa)) {
            return;
        }
        long inbound = daemon.connections().inboundPackets(sa.peer.address());
        if (inbound != sa.inboundPacketsSeen) {
            sa.inboundPacketsSeen = inbound;
            daemon.heard(sa);
            return;
        }
        if (sa.dpdUnanswered == 0) {
            if (now - sa.lastHeardNanos >= interval * 1_000_000_000L
                    && daemon.phase1s().newest(sa.peer.address()) == sa) {
                sendDpd(sa, now);
            }
        } else if (now >= sa.dpdNextNanos) {
            if (sa.dpdUnanswered >= DPD_TRIES) {
                peerDead(sa);
            } else {
                sendDpd(sa, now);
            }
        }
    }

    void sendDpd(Phase1Sa sa, long now) {
        sa.dpdSequence++;
        sa.dpdUnanswered++;
        // a fixed interval, not a backoff: the point is to learn soon that the peer is gone
        sa.dpdNextNanos = now + daemon.options().retransmitFirst().toNanos();
        daemon.count(IkeCounters.DPD_SENT);
        // a new master must continue the sequence, never repeat it
        daemon.stateChanged(new IkeStateEvent.Phase1Upserted(sa.export(now)));
        sendInformational(sa, List.of(new Payload.Notification(1, ProtocolId.ISAKMP.code(), sa.cookies(),
                NotifyType.R_U_THERE.code(), Payloads.int32(sa.dpdSequence))));
    }

    void peerDead(Phase1Sa sa) {
        IpAddress peer = sa.peer.address();
        LOG.warn("phase 1 with {}: peer dead, no answer to {} DPD requests; removing its SAs", peer, DPD_TRIES);
        for (Phase1Sa o : List.copyOf(daemon.phase1s().all())) {
            if (o.peer.address().equals(peer)) {
                daemon.phase1Lifecycle().remove(o);
            }
        }
        for (ChildSaRecord c : List.copyOf(daemon.connections().children())) {
            if (c.peer().equals(peer)) {
                daemon.connections().removeChild(c);
            }
        }
        daemon.connections().checkConnections();
    }
}
