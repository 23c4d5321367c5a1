package dev.tandem.sadb;

/** How ESP packets of an SA travel: as IP protocol 50, or inside UDP (RFC 3948). */
public sealed interface Encapsulation {

    /** Plain ESP, IP protocol 50. */
    record Raw() implements Encapsulation { }

    /** ESP-in-UDP between the given ports (normally 4500 both). */
    record Udp(int srcPort, int dstPort) implements Encapsulation {
        public Udp {
            if (srcPort < 1 || srcPort > 0xffff || dstPort < 1 || dstPort > 0xffff) {
                throw new IllegalArgumentException("UDP port outside 1..65535");
            }
        }
    }

    Raw RAW = new Raw();
    Udp NAT_T = new Udp(4500, 4500);
}
