package dev.tandem.conf.ipsec;

/**
 * A flow (security policy): which traffic needs which protection.
 *
 * @param proto   IP protocol selector, 0 for any
 * @param srcPort source port selector, 0 for any
 * @param dstPort destination port selector, 0 for any
 * @param local   local endpoint, or null
 * @param peer    remote gateway, or null for "any peer"
 * @param ids     identities, or null for deny/bypass flows, which carry none
 */
public record FlowRule(int number, SaType saType, Direction direction, int proto,
                       Host src, int srcPort, Host dst, int dstPort,
                       Host local, Host peer, Ids ids, FlowType type) implements IpsecRule {
}
