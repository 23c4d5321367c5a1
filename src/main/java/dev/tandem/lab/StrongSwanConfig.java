package dev.tandem.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The two files of one isolated charon (after ../shared/lab/strongswan):
 * strongswan.conf, which makes charon do ESP in userspace with
 * kernel-libipsec, and swanctl.conf, one PSK site-to-site tunnel, IKEv2 or
 * IKEv1 (main or aggressive mode). The connection is symmetric: two
 * charons talk to each other when they render it with local and remote
 * swapped. The connection is called {@link #CONN}, its CHILD_SA {@link #CHILD}.
 *
 * @param dir         the instance's directory: vici socket, swanctl dir
 * @param local       this gateway's WAN address, also its identity (ID_IPV4_ADDR)
 * @param remote      the other gateway's WAN address and identity
 * @param localTs     the network behind this gateway
 * @param remoteTs    the network behind the other one
 * @param psk         the pre-shared key, the same on both ends
 * @param version     IKE version, 1 or 2
 * @param aggressive  IKEv1 aggressive mode instead of main mode
 * @param ike         IKE proposal, e.g. aes256-sha256-modp2048
 * @param esp         ESP proposal; with a DH group (aes256-sha256-modp2048) quick mode uses PFS
 * @param ikeRekey    IKE_SA lifetime before a new one (IKEv2 rekey_time; IKEv1 reauth_time,
 *                    strongSwan does not rekey ISAKMP SAs), null for strongSwan's default
 * @param childRekey  CHILD_SA rekey_time, null for the default; no random jitter either way
 * @param dpdDelay    DPD interval of inbound silence, null for no DPD
 * @param dpdTimeout  IKEv1 only: silence after which the peer is dead (IKEv2 counts retransmits)
 * @param dpdAction   clear, trap or restart
 * @param startAction none, trap or start
 */
record StrongSwanConfig(Path dir, String local, String remote, String localTs, String remoteTs, String psk,
                        int version, boolean aggressive, String ike, String esp, Duration ikeRekey,
                        Duration childRekey, Duration dpdDelay, Duration dpdTimeout, String dpdAction,
                        String startAction) {

    static final String CONN = "lab";
    static final String CHILD = "net";

    /** The IKEv2 tunnel of the throughput comparison: GCM, no DPD, started by {@link StrongSwan#initiate}. */
    StrongSwanConfig(Path dir, String local, String remote, String localTs, String remoteTs, String psk, String esp) {
        this(dir, local, remote, localTs, remoteTs, psk, 2, false, "aes128gcm16-prfsha256-modp2048", esp, null, null,
                null, null, "clear", "none");
    }

    /** IKEv1 main mode, AES-256/SHA2-256/MODP-2048, ESP AES-256/SHA2-256 without PFS, no DPD. */
    static StrongSwanConfig ikev1(Path dir, String local, String remote, String localTs, String remoteTs,
                                  String psk) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, psk, 1, false, "aes256-sha256-modp2048",
                "aes256-sha256", null, null, null, null, "clear", "none");
    }

    StrongSwanConfig withAggressive(boolean a) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, psk, version, a, ike, esp, ikeRekey,
                childRekey, dpdDelay, dpdTimeout, dpdAction, startAction);
    }

    StrongSwanConfig withProposals(String ikeProposal, String espProposal) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, psk, version, aggressive, ikeProposal,
                espProposal, ikeRekey, childRekey, dpdDelay, dpdTimeout, dpdAction, startAction);
    }

    StrongSwanConfig withPsk(String key) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, key, version, aggressive, ike, esp,
                ikeRekey, childRekey, dpdDelay, dpdTimeout, dpdAction, startAction);
    }

    StrongSwanConfig withRekey(Duration ikeSa, Duration childSa) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, psk, version, aggressive, ike, esp, ikeSa,
                childSa, dpdDelay, dpdTimeout, dpdAction, startAction);
    }

    StrongSwanConfig withDpd(Duration delay, Duration timeout, String action) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, psk, version, aggressive, ike, esp,
                ikeRekey, childRekey, delay, timeout, action, startAction);
    }

    StrongSwanConfig withStartAction(String action) {
        return new StrongSwanConfig(dir, local, remote, localTs, remoteTs, psk, version, aggressive, ike, esp,
                ikeRekey, childRekey, dpdDelay, dpdTimeout, dpdAction, action);
    }

    Path vici() {
        return dir.resolve("charon.vici");
    }

    Path swanctlDir() {
        return dir.resolve("swanctl");
    }

    String strongswanConf() {
        // kernel-libipsec must be loaded before kernel-netlink: both offer the
        // kernel-ipsec interface and the first wins; with kernel-netlink
        // first charon would ask the kernel for XFRM SAs, which this kernel
        // (no ESP) cannot install. kernel-netlink is still needed for routes.
        // openssl comes before aes/gcm so ESP uses its AES-NI code, strongSwan's fastest;
        // it also brings 3DES and the MODP/ECP groups.
        // No include of /etc/strongswan.d: nothing system-wide may leak in.
        // Logging goes to stderr, where the lab reads the readiness line:
        // charon's stdout is block-buffered when it is a pipe, stderr is not.
        // NAT keep-alives are off so the WAN carries nothing but the
        // measured traffic (the tunnel check counts packets on it).
        // Aggressive mode with a PSK sends a hash an eavesdropper can attack
        // offline; charon refuses it as responder unless told otherwise.
        return """
                charon {
                    load = random nonce openssl pem pkcs1 x509 pubkey kdf aes sha1 sha2 hmac gcm \
                kernel-libipsec kernel-netlink socket-default vici
                    port = 500
                    port_nat_t = 4500
                    install_routes = yes
                    routing_table = 220
                    routing_table_prio = 220
                    install_virtual_ip = no
                    keep_alive = 0
                    retransmit_timeout = 2.0
                    retransmit_tries = 3
                    i_dont_care_about_security_and_use_aggressive_mode_psk = %2$s
                    filelog {
                        stderr {
                            default = 1
                            ike_name = yes
                            flush_line = yes
                        }
                    }
                    syslog {
                        daemon {
                            default = -1
                        }
                    }
                    plugins {
                        vici {
                            socket = unix://%1$s
                        }
                        kernel-netlink {
                            roam_events = no
                        }
                        socket-default {
                            use_ipv6 = no
                        }
                    }
                }
                swanctl {
                    load = random openssl pem pkcs1 pkcs8 x509 pubkey
                    socket = unix://%1$s
                }
                """.formatted(vici(), aggressive ? "yes" : "no");
    }

    String swanctlConf() {
        StringBuilder conn = new StringBuilder();
        conn.append("        version = ").append(version).append('\n');
        if (aggressive) {
            conn.append("        aggressive = yes\n");
        }
        if (ikeRekey != null) {
            // IKEv1 has no ISAKMP SA rekeying in strongSwan: it re-authenticates
            // (a new main mode) and moves the CHILD_SAs over
            conn.append(version == 1 ? "        reauth_time = " : "        rekey_time = ").append(seconds(ikeRekey))
                    .append("\n        over_time = ").append(seconds(ikeRekey.dividedBy(2)))
                    .append("\n        rand_time = 0s\n");
        }
        conn.append("        dpd_delay = ").append(dpdDelay == null ? "0s" : seconds(dpdDelay)).append('\n');
        if (dpdTimeout != null) {
            conn.append("        dpd_timeout = ").append(seconds(dpdTimeout)).append('\n');
        }
        StringBuilder child = new StringBuilder();
        if (childRekey != null) {
            // no jitter, so rekeys come when the test expects them; the hard
            // lifetime leaves room for the exchange
            child.append("                rekey_time = ").append(seconds(childRekey))
                    .append("\n                life_time = ").append(seconds(childRekey.multipliedBy(2)))
                    .append("\n                rand_time = 0s\n");
        }
        return """
                connections {
                    %1$s {
                        local_addrs = %3$s
                        remote_addrs = %4$s
                        proposals = %5$s
                        encap = yes
                        mobike = no
                %6$s        local {
                            auth = psk
                            id = %3$s
                        }
                        remote {
                            auth = psk
                            id = %4$s
                        }
                        children {
                            %2$s {
                                mode = tunnel
                                local_ts = %7$s
                                remote_ts = %8$s
                                esp_proposals = %9$s
                                start_action = %10$s
                                dpd_action = %11$s
                %12$s            }
                        }
                    }
                }
                secrets {
                    ike-%1$s {
                        id-local = %3$s
                        id-remote = %4$s
                        secret = "%13$s"
                    }
                }
                """.formatted(CONN, CHILD, local, remote, ike, conn, localTs, remoteTs, esp, startAction, dpdAction,
                child, psk);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    @Override
    public String toString() {
        // the PSK stays out of test reports
        return "StrongSwanConfig[IKEv" + version + (aggressive ? " aggressive" : "") + " " + local + " -> " + remote
                + " " + localTs + " <-> " + remoteTs + ", ike " + ike + ", esp " + esp + "]";
    }
}
