package dev.tandem.conf.ipsec;

/**
 * One rule after expansion, numbered in the order ipsecctl adds it
 * (the {@code @N} of {@code ipsecctl -vv}).
 */
public sealed interface IpsecRule permits FlowRule, SaRule, SaBundleRule, IkeRule {
    int number();
}
