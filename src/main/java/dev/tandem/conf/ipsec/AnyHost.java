package dev.tandem.conf.ipsec;

/** The keyword {@code any} before expansion (address family unspecified). */
public record AnyHost() implements HostSpec {
}
