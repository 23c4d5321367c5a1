package dev.tandem.dataplane;

import dev.tandem.esp.EspEngine;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.DropReason;
import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SecurityAssociation;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;

/**
 * The two packet paths of the gateway, run by one data-plane thread (each
 * thread has its own pipeline: crypto objects and buffers are not shared).
 *
 * <p>Both paths take batches (see {@link PacketBatch}) and hand batches on.
 * Outbound: cleartext packet, flow, SA, encrypt, send; what no flow
 * protects (bypass flows, use flows without an SA, no flow) goes out in the
 * clear through the {@link ClearPort}. Inbound: ESP
 * packet, SA by SPI, replay check, integrity and decryption, replay window
 * update, check that the inner packet belongs to the SA's flows, deliver.
 * Every packet dropped is counted by reason; no exception leaves a path.
 */
public final class EspPipeline {

    /** Largest packet handled, plus room for ESP overhead. */
    public static final int BUFFER = 65_535 + 256;
    /** Bytes of a batch buffer: a 64 KiB super-packet split into segments, each with its own headers. */
    public static final int BATCH_BYTES = 160 * 1024;

    private final Sadb sadb;
    private final PacketDevice device;
    private final EspPort udp;
    private final EspPort raw;
    private final ClearPort clear;
    private final DataPlaneCounters counters;
    private final Consumer<Datagram> ike;

    private final EspEngine engine = new EspEngine();
    private final IpPacket ip = new IpPacket();
    private final byte[] out = new byte[BUFFER];
    /** Sealed ESP packets waiting to leave together, all for {@link #runSa}. */
    private final PacketBatch sealed = new PacketBatch(BATCH_BYTES);
    private SecurityAssociation runSa;
    /** Decrypted packets waiting to be written to the device together. */
    private PacketBatch delivered;
    private final PacketBatch single = new PacketBatch(out);

    /**
     * @param udp the ESP-in-UDP port, or null
     * @param raw the raw ESP port, or null
     * @param clear where unprotected packets leave, or null to drop them
     * @param ike receives UDP datagrams carrying the non-ESP marker (IKE), on this thread
     */
    public EspPipeline(Sadb sadb, PacketDevice device, EspPort udp, EspPort raw, ClearPort clear,
                       DataPlaneCounters counters, Consumer<Datagram> ike) {
        this.sadb = sadb;
        this.device = device;
        this.udp = udp;
        this.raw = raw;
        this.clear = clear;
        this.counters = counters;
        this.ike = ike;
    }

    /**
     * Runs the crypto once with throwaway keys: a cluster backup's first
     * packets come when it takes over, and must not wait for the JCA's
     * classes to load then.
     */
    public void warmUp() {
        engine.warmUp();
    }

    // ---- outbound -------------------------------------------------------

    /** Cleartext packets from the device: each is protected and sent, sent in the clear, or dropped. */
    public void outbound(PacketBatch in) {
        for (int i = 0; i < in.count(); i++) {
            outbound(in.buf, in.offset(i), in.length(i));
        }
        flushSealed();
    }

    private void outbound(byte[] buf, int off, int len) {
        if (!ip.parse(buf, off, len)) {
            counters.drop(DropReason.MALFORMED);
            return;
        }
        Flow f = sadb.lookup(FlowDirection.OUT, ip.src(), ip.dst(), ip.protocol(), ip.srcPort(), ip.dstPort());
        if (f == null || f.type() == FlowType.BYPASS) {
            sendClear(buf, off, ip.totalLength());
            return;
        }
        if (f.type() == FlowType.DENY) {
            counters.drop(DropReason.DENIED);
            return;
        }
        SecurityAssociation sa = sadb.outbound(f);
        if (sa == null) {
            switch (f.type()) {
                case USE -> sendClear(buf, off, ip.totalLength());
                case ACQUIRE -> {
                    sadb.acquire(f);
                    sendClear(buf, off, ip.totalLength());
                }
                case REQUIRE -> {
                    sadb.acquire(f);
                    counters.drop(DropReason.NO_SA);
                }
                default -> counters.drop(DropReason.NO_SA);
            }
            return;
        }
        SaSpec s = sa.spec();
        int payloadOff;
        int payloadLen;
        int nextHeader;
        if (s.mode() == SaMode.TUNNEL) {
            payloadOff = off;
            payloadLen = ip.totalLength();
            nextHeader = ip.tunnelNextHeader();
        } else {
            payloadOff = off + ip.headerLength();
            payloadLen = ip.totalLength() - ip.headerLength();
            nextHeader = ip.protocol();
        }
        int room = EspEngine.sealedLength(s.keys().transform(), payloadLen);
        if (sa != runSa || !sealed.fits(room)) {
            flushSealed();
            runSa = sa;
        }
        long seq = sa.nextSequence();
        if (seq < 0) {
            sa.drop(DropReason.SEQUENCE_EXHAUSTED);
            return;
        }
        // asked after taking the number, so a number from a new master's counters never leaves here
        // a backup never sends from the VIP: the master does, with sequence numbers ahead of ours
        DropReason held = sadb.outboundHold(sa);
        if (held != null) {
            sa.drop(held);
            return;
        }
        int at = sealed.end();
        int n;
        try {
            n = engine.seal(s.keys(), s.id().spi(), seq, s.esn(), buf, payloadOff, payloadLen, nextHeader,
                    sealed.buf, at);
        } catch (GeneralSecurityException e) {
            sa.drop(DropReason.CRYPTO_ERROR);
            return;
        }
        sa.count(payloadLen);
        sealed.add(at, n);
    }

    /**
     * Sends the sealed packets of the current run with as few system calls as
     * the port manages, from the SA's own source address (a run is one SA).
     */
    private void flushSealed() {
        SecurityAssociation sa = runSa;
        int n = sealed.count();
        if (n == 0) {
            return;
        }
        SaSpec s = sa.spec();
        // sealed is what this counts; a failed send is counted as a drop besides
        counters.encrypted.addAndGet(n);
        try {
            if (s.encapsulation() instanceof Encapsulation.Udp u) {
                if (udp == null) {
                    throw new IOException("no UDP port");
                }
                udp.send(s.src(), s.dst(), u.dstPort(), sealed);
            } else {
                if (raw == null) {
                    throw new IOException("no raw ESP port");
                }
                raw.send(s.src(), s.dst(), 0, sealed);
            }
        } catch (IOException e) {
            for (int i = 0; i < n; i++) {
                sa.drop(DropReason.SEND_FAILED);
            }
        } finally {
            sealed.clear();
        }
    }

    /** Sends a packet the flows leave unprotected past the tunnel, as OpenBSD would. */
    private void sendClear(byte[] buf, int off, int len) {
        if (clear == null) {
            counters.drop(DropReason.SEND_FAILED);
            return;
        }
        try {
            clear.send(buf, off, len);
        } catch (IOException e) {
            counters.drop(DropReason.SEND_FAILED);
            return;
        }
        counters.cleartext.incrementAndGet();
    }

    // ---- inbound --------------------------------------------------------

    /**
     * Datagrams from an ESP port: NAT keepalives and IKE messages (UDP only),
     * or ESP packets to verify, decrypt and deliver. Decrypted packets stay
     * where they are in the batch's buffer and go to the device together.
     */
    public void inbound(DatagramBatch d, boolean fromUdp) {
        PacketBatch in = d.packets;
        if (delivered == null || delivered.buf != in.buf) {
            delivered = new PacketBatch(in.buf);
        }
        delivered.clear();
        for (int i = 0; i < in.count(); i++) {
            inbound(d, in.buf, in.offset(i), in.length(i), fromUdp);
        }
        flushDelivered();
    }

    private void inbound(DatagramBatch d, byte[] buf, int off, int len, boolean fromUdp) {
        if (fromUdp) {
            if (len == 1 && buf[off] == (byte) 0xff) {
                counters.keepalives.incrementAndGet();
                return;
            }
            if (len >= 4 && buf[off] == 0 && buf[off + 1] == 0 && buf[off + 2] == 0 && buf[off + 3] == 0) {
                counters.ikeDatagrams.incrementAndGet();
                Datagram g = new Datagram(len);
                System.arraycopy(buf, off, g.buf, 0, len);
                g.length = len;
                g.peer = d.peer;
                g.peerPort = d.peerPort;
                g.local = d.local;
                ike.accept(g);
                return;
            }
        }
        if (len < EspEngine.HEADER + 2) {
            counters.drop(DropReason.MALFORMED);
            return;
        }
        int spi = int32(buf, off);
        SecurityAssociation sa = sadb.inbound(SaProtocol.ESP, spi);
        if (sa == null) {
            counters.drop(DropReason.NO_SA);
            return;
        }
        SaSpec s = sa.spec();
        if (fromUdp != (s.encapsulation() instanceof Encapsulation.Udp)) {
            // an SA negotiated with UDP encapsulation only accepts ESP-in-UDP, and the other way round
            sa.drop(DropReason.POLICY_MISMATCH);
            return;
        }
        long seq = sa.checkReplay(int32(buf, off + 4));
        if (seq < 0) {
            sa.drop(DropReason.REPLAY);
            return;
        }
        int innerLen = engine.open(s.keys(), seq, s.esn(), buf, off, len);
        if (innerLen == EspEngine.BAD_ICV) {
            sa.drop(DropReason.BAD_ICV);
            return;
        }
        if (innerLen < 0) {
            sa.drop(DropReason.MALFORMED);
            return;
        }
        if (!sa.accept(seq)) {
            sa.drop(DropReason.REPLAY);
            return;
        }
        int nextHeader = engine.nextHeader();
        if (nextHeader == 59) {
            // RFC 4303 section 2.6: a dummy packet for traffic flow confidentiality
            return;
        }
        int innerOff = engine.innerOffset();
        // authenticated and new: it counts against the SA's lifetime whatever happens next
        sa.count(innerLen);
        counters.decrypted.incrementAndGet();
        DropReason problem = s.mode() == SaMode.TUNNEL
                ? deliverTunnel(s, buf, innerOff, innerLen, nextHeader)
                : deliverTransport(s, buf, innerOff, innerLen, nextHeader);
        if (problem != null) {
            sa.drop(problem);
        }
    }

    private void flushDelivered() {
        int n = delivered.count();
        if (n == 0) {
            return;
        }
        try {
            device.write(delivered);
        } catch (IOException e) {
            for (int i = 0; i < n; i++) {
                counters.drop(DropReason.SEND_FAILED);
            }
        } finally {
            delivered.clear();
        }
    }

    private DropReason deliverTunnel(SaSpec s, byte[] buf, int off, int len, int nextHeader) {
        if (nextHeader != IpPacket.PROTO_IPV4 && nextHeader != IpPacket.PROTO_IPV6) {
            return DropReason.MALFORMED;
        }
        if (!ip.parse(buf, off, len) || ip.tunnelNextHeader() != nextHeader) {
            return DropReason.MALFORMED;
        }
        if (!allowedIn(s, ip.src(), ip.dst(), ip.protocol(), ip.srcPort(), ip.dstPort())) {
            return DropReason.POLICY_MISMATCH;
        }
        if (!delivered.fits(0)) {
            flushDelivered();
        }
        delivered.add(off, ip.totalLength());
        return null;
    }

    /** Transport mode: the payload gets an IP header with the SA's addresses again. */
    private DropReason deliverTransport(SaSpec s, byte[] buf, int off, int len, int nextHeader) {
        IpAddress src = s.src();
        IpAddress dst = s.dst();
        int headerLen = src.family() == IpAddress.Family.INET ? 20 : 40;
        if (headerLen + len > out.length) {
            return DropReason.MALFORMED;
        }
        IpHeaders.write(out, 0, src, dst, nextHeader, len);
        System.arraycopy(buf, off, out, headerLen, len);
        if (!ip.parse(out, 0, headerLen + len)) {
            return DropReason.MALFORMED;
        }
        if (!allowedIn(s, src, dst, nextHeader, ip.srcPort(), ip.dstPort())) {
            return DropReason.POLICY_MISMATCH;
        }
        // rebuilt in a buffer of its own, so it goes to the device alone, after what came before it
        flushDelivered();
        single.clear();
        single.add(0, headerLen + len);
        try {
            device.write(single);
            return null;
        } catch (IOException e) {
            return DropReason.SEND_FAILED;
        }
    }

    /** The decrypted packet must fall under an inbound flow that expects this SA's peer. */
    private boolean allowedIn(SaSpec s, IpAddress src, IpAddress dst, int proto, int sport, int dport) {
        Flow f = sadb.lookup(FlowDirection.IN, src, dst, proto, sport, dport);
        if (f == null || f.type() == FlowType.DENY || f.type() == FlowType.BYPASS) {
            return false;
        }
        return f.peer() == null || f.peer().equals(s.src());
    }

    private static int int32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
