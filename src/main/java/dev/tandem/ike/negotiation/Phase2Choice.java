package dev.tandem.ike.negotiation;

import dev.tandem.esp.EspTransform;
import dev.tandem.ike.crypto.DhGroup;

/**
 * The quick mode transform both ends agreed on.
 *
 * @param tunnel          tunnel (true) or transport mode
 * @param udpEncapsulated ESP in UDP (RFC 3948) because a NAT was detected
 * @param pfs             the PFS group, null for none
 * @param lifeSeconds     the SA lifetime this end enforces, 0 for none
 * @param peerSpi         the SPI in the proposal we received or accepted: the SPI the peer receives with,
 *                        so the SPI of our outbound SA
 * @param proposalNumber  the number of the chosen proposal
 * @param transformNumber the number of the chosen transform
 */
public record Phase2Choice(EspTransform esp, boolean tunnel, boolean udpEncapsulated, DhGroup pfs, long lifeSeconds,
                           int peerSpi, int proposalNumber, int transformNumber) { }
