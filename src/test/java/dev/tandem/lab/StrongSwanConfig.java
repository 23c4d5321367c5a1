package dev.tandem.lab;

import java.nio.file.Path;

/**
 * The two files of one isolated charon (after ../shared/lab/strongswan):
 * strongswan.conf, which makes charon do ESP in userspace with
 * kernel-libipsec, and swanctl.conf, one IKEv2 PSK site-to-site tunnel.
 * The swanctl.conf is symmetric: both ends render it with local and remote
 * swapped.
 *
 * @param dir      the instance's directory: vici socket, swanctl dir
 * @param local    this gateway's WAN address
 * @param remote   the other gateway's WAN address
 * @param localTs  the network behind this gateway
 * @param remoteTs the network behind the other one
 * @param psk      the pre-shared key, the same on both ends
 * @param esp      ESP proposal, e.g. aes128gcm16
 */
record StrongSwanConfig(Path dir, String local, String remote, String localTs, String remoteTs, String psk,
                        String esp) {

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
        // openssl comes before aes/gcm so ESP uses its AES-NI code, strongSwan's fastest.
        // No include of /etc/strongswan.d: nothing system-wide may leak in.
        // Logging goes to stderr, where the lab reads the readiness line:
        // charon's stdout is block-buffered when it is a pipe, stderr is not.
        // DPD and NAT keep-alives are off so the WAN carries nothing but the
        // measured traffic (the tunnel check counts packets on it).
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
                """.formatted(vici());
    }

    String swanctlConf() {
        return """
                connections {
                    bench {
                        version = 2
                        local_addrs = %s
                        remote_addrs = %s
                        proposals = aes128gcm16-prfsha256-modp2048
                        encap = yes
                        mobike = no
                        dpd_delay = 0
                        local {
                            auth = psk
                            id = %1$s
                        }
                        remote {
                            auth = psk
                            id = %2$s
                        }
                        children {
                            net {
                                mode = tunnel
                                local_ts = %s
                                remote_ts = %s
                                esp_proposals = %s
                                start_action = none
                            }
                        }
                    }
                }
                secrets {
                    ike-bench {
                        id-local = %1$s
                        id-remote = %2$s
                        secret = "%s"
                    }
                }
                """.formatted(local, remote, localTs, remoteTs, esp, psk);
    }
}
