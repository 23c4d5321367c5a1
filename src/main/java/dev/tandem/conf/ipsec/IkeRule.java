package dev.tandem.conf.ipsec;

/**
 * An ike rule: a connection for the IKE daemon to negotiate.
 *
 * @param proto     IP protocol selector, 0 for any
 * @param local     local address for IKE, or null
 * @param peer      remote gateway, or null for the default (any) peer
 * @param phase1    main or aggressive mode settings
 * @param phase2    quick mode settings
 * @param tag       pf tag for the SAs, or null
 * @param iface     unit of the sec(4) interface for route-based rules, or null
 */
public record IkeRule(int number, IkeMode mode, SaType saType, TunnelMode tunnelMode, int proto,
                      Host src, int srcPort, Host dst, int dstPort, Host local, Host peer,
                      Phase phase1, Phase phase2, Ids ids, IkeAuth auth, String tag,
                      Long iface) implements IpsecRule {
}
