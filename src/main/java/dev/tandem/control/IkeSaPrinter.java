package dev.tandem.control;

import dev.tandem.ike.IkeStatus;
import dev.tandem.ike.Phase1Status;
import dev.tandem.ike.Phase2Status;
import java.util.Locale;

/**
 * The IKE section of {@code ipsecctl -s all}, after FLOWS and SAD (OpenBSD
 * shows isakmpd's SAs only through its own FIFO report; here they belong
 * with the rest): one line per phase 1 SA and per phase 2 SA, never a key.
 * Nothing at all when there are none, so the output of a node without IKE
 * SAs is OpenBSD's.
 */
public final class IkeSaPrinter {

    private IkeSaPrinter() {
    }

    public static String render(IkeStatus s) {
        if (s == null || s.phase1().isEmpty() && s.phase2().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\nIKE SAs:\n");
        for (Phase1Status p : s.phase1()) {
            sb.append(phase1(p)).append('\n');
        }
        for (Phase2Status p : s.phase2()) {
            sb.append(phase2(p)).append('\n');
        }
        return sb.toString();
    }

    /** "phase 1 NAME main LOCAL -> REMOTE initiator cookies I:R TRANSFORM STATE AGE/LIFE [nat-t] [remote-id ID]". */
    static String phase1(Phase1Status p) {
        StringBuilder sb = new StringBuilder("phase 1 ").append(p.policy()).append(' ')
                .append(p.mode().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(p.local()).append(" -> ").append(p.remote()).append(' ')
                .append(p.initiator() ? "initiator" : "responder")
                .append(" cookies ").append(p.initiatorCookie()).append(':').append(p.responderCookie())
                .append(' ').append(p.transform())
                .append(' ').append(p.state().toLowerCase(Locale.ROOT))
                .append(' ').append(p.ageSeconds()).append("s/").append(p.lifeSeconds()).append('s');
        if (p.natT()) {
            sb.append(" nat-t");
        }
        if (p.remoteId() != null) {
            sb.append(" remote-id ").append(p.remoteId());
        }
        return sb.toString();
    }

    /** "phase 2 CONNECTION spi in 0x.. out 0x.. TRANSFORM [pfs] AGE/LIFE cookies I:R". */
    static String phase2(Phase2Status p) {
        return "phase 2 " + p.connection() + " spi in " + String.format("0x%08x", p.inboundSpi())
                + " out " + String.format("0x%08x", p.outboundSpi()) + ' ' + p.transform()
                + (p.pfs() ? " pfs" : "") + ' ' + p.ageSeconds() + "s/" + p.lifeSeconds() + 's'
                + " cookies " + p.phase1Cookies();
    }
}
