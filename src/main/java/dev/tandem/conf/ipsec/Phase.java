package dev.tandem.conf.ipsec;

/**
 * The "main/aggressive ..." or "quick ..." part of an ike rule.
 *
 * @param exchange  phase 1 exchange, null for phase 2
 * @param transforms transforms written, null when none
 * @param lifetime  lifetime written, null for the isakmpd default
 */
public record Phase(Phase1Exchange exchange, Transforms transforms, Lifetime lifetime) {
}
