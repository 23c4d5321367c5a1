package dev.tandem.conf.ipsec;

/**
 * One element of a host list as written in ipsec.conf: a concrete address
 * or {@code any}, which rule expansion turns into 0.0.0.0/0 and ::/0.
 */
public sealed interface HostSpec permits Host, AnyHost {
}
