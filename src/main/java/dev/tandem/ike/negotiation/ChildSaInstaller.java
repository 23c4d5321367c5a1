package dev.tandem.ike.negotiation;

import dev.tandem.sadb.Encapsulation;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.FlowDirection;
import dev.tandem.sadb.FlowType;
import dev.tandem.sadb.SaId;
import dev.tandem.sadb.SaLifetime;
import dev.tandem.sadb.SaMode;
import dev.tandem.sadb.SaProtocol;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbException;
import dev.tandem.sadb.Selector;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Puts a negotiated quick mode into the SADB the way isakmpd does through
 * PF_KEY: two ESP SAs, and the require flows of the connection, so that
 * they look exactly like what {@code ipsecctl -f} installs for manual keys.
 */
public final class ChildSaInstaller {

    private final Sadb sadb;
    private final int replayWindow;

    public ChildSaInstaller(Sadb sadb, int replayWindow) {
        this.sadb = sadb;
        this.replayWindow = replayWindow;
    }

    /**
     * Installs the inbound SA (to us, our SPI) and the outbound SA (to the
     * peer, its SPI), then the connection's flows where they are missing or
     * name another gateway; a rekey finds its flows in place.
     *
     * @throws SadbException when the SADB refuses an SA; nothing stays installed then
     */
    public ChildSa install(ChildSaSpec spec, RandomGenerator random) throws SadbException {
        installInbound(spec, random);
        return complete(spec, random);
    }

    /**
     * Adds the outbound SA and the flows next to an inbound SA that
     * {@link #installInbound} put in place.
     *
     * @throws SadbException when the SADB refuses the SA; the inbound one is removed too then
     */
    public ChildSa complete(ChildSaSpec spec, RandomGenerator random) throws SadbException {
        Phase2Choice c = spec.choice();
        SaId in = inboundId(spec);
        SaId out = new SaId(spec.peer(), SaProtocol.ESP, c.peerSpi());
        try {
            sadb.add(new SaSpec(out, spec.local(), mode(c), spec.outboundKeys(), encapsulation(spec), false,
                    replayWindow, softLife(c.lifeSeconds(), random), hardLife(c)));
        } catch (SadbException e) {
            sadb.delete(in);
            throw e;
        }
        for (Flow f : flows(spec)) {
            if (!f.equals(sadb.flow(f.key()))) {
                sadb.addFlow(f);
            }
        }
        return new ChildSa(in, out, spec.connection());
    }

    /**
     * Installs only the inbound SA. A quick mode responder does this when it
     * sends its answer: the initiator installs on that answer and may send
     * at once, before our side has read its last message. {@link #complete}
     * then adds the rest.
     */
    public SaId installInbound(ChildSaSpec spec, RandomGenerator random) throws SadbException {
        Phase2Choice c = spec.choice();
        SaId in = inboundId(spec);
        sadb.add(new SaSpec(in, spec.peer(), mode(c), spec.inboundKeys(), encapsulation(spec), false, replayWindow,
                softLife(c.lifeSeconds(), random), hardLife(c)));
        return in;
    }

    private static SaId inboundId(ChildSaSpec spec) {
        return new SaId(spec.local(), SaProtocol.ESP, spec.ourSpi());
    }

    private static SaMode mode(Phase2Choice c) {
        return c.tunnel() ? SaMode.TUNNEL : SaMode.TRANSPORT;
    }

    private static Encapsulation encapsulation(ChildSaSpec spec) {
        return spec.peerNatPort() == 0 ? Encapsulation.RAW : new Encapsulation.Udp(4500, spec.peerNatPort());
    }

    private static SaLifetime hardLife(Phase2Choice c) {
        return c.lifeSeconds() > 0 ? new SaLifetime(c.lifeSeconds(), 0, 0) : SaLifetime.NONE;
    }

    /**
     * The soft lifetime: 85 to 95 % of the hard one, drawn anew for every SA
     * so that the two ends, and the SAs of many connections, do not all
     * start their rekeys at the same moment.
     */
    private static SaLifetime softLife(long hardSeconds, RandomGenerator random) {
        if (hardSeconds <= 0) {
            return SaLifetime.NONE;
        }
        long soft = hardSeconds * random.nextInt(850, 951) / 1000;
        return new SaLifetime(Math.max(1, soft), 0, 0);
    }

    /** Removes both SAs, not the flows. Whether anything was removed. */
    public boolean remove(ChildSa sa) {
        boolean in = sadb.delete(sa.inbound());
        boolean out = sadb.delete(sa.outbound());
        return in || out;
    }

    /** Removes an inbound SA installed ahead by {@link #installInbound} whose quick mode then failed. */
    public boolean removeInbound(SaId in) {
        return sadb.delete(in);
    }

    /** Removes the connection's flows: when it is torn down, never on a rekey. */
    public void removeFlows(ChildSaSpec spec) {
        for (Flow f : flows(spec)) {
            sadb.deleteFlow(f.key());
        }
    }

    /**
     * The out flow and its reverse in flow, as ipsecctl makes them for a
     * flow rule without direction. No srcid/dstid: isakmpd's own flows carry
     * the phase 1 IDs, but nothing on this side reads them.
     */
    static List<Flow> flows(ChildSaSpec s) {
        Selector out = new Selector(s.localNet(), s.remoteNet(), s.protocol(), s.localPort(), s.remotePort());
        Selector in = new Selector(s.remoteNet(), s.localNet(), s.protocol(), s.remotePort(), s.localPort());
        return List.of(
                new Flow(FlowDirection.OUT, out, SaProtocol.ESP, FlowType.REQUIRE, s.peer(), s.local(), null, null),
                new Flow(FlowDirection.IN, in, SaProtocol.ESP, FlowType.REQUIRE, s.peer(), s.local(), null, null));
    }
}
