package dev.tandem.conf.ipsec;

/**
 * The "peer ... local ..." part of a rule as written.
 *
 * @param peer  a Host, {@link AnyHost} for "peer any", or null when not given
 * @param local the local endpoint, or null
 */
record PeersSpec(HostSpec peer, Host local) {
    static final PeersSpec NONE = new PeersSpec(null, null);
}
