package dev.tandem.conf.ipsec;

/**
 * A manually keyed SA (or a tcpmd5 SA).
 *
 * @param udpEncap   ESP-in-UDP encapsulation, or null for plain ESP
 * @param transforms algorithms after defaults were applied; null for tcpmd5
 * @param authKey    authentication key or null
 * @param encKey     encryption key or null
 */
public record SaRule(int number, SaType saType, TunnelMode mode, Host src, Host dst, Spi spi,
                     UdpEncap udpEncap, Transforms transforms, Key authKey, Key encKey) implements IpsecRule {

    /** ESP-in-UDP (RFC 3948) for a manual SA; port 0 means the default, 4500. */
    public record UdpEncap(int port) { }
}
