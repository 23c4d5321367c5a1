package dev.tandem.daemon;

import dev.tandem.os.NonlocalBind;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup does not hold the VIP, yet IKE must be able to bind it so that it
 * answers from the VIP the moment the node becomes master: the daemon turns
 * on net.ipv4.ip_nonlocal_bind (per network namespace) and says so.
 */
final class NonlocalBindSetting {

    private static final Logger LOG = LoggerFactory.getLogger(NonlocalBindSetting.class);

    private NonlocalBindSetting() {
    }

    static void ensure() {
        try {
            if (!NonlocalBind.enabled()) {
                NonlocalBind.set(true);
                LOG.info("net.ipv4.ip_nonlocal_bind set to 1, so the VIPs can be bound while this node is BACKUP");
            }
        } catch (IOException e) {
            LOG.warn("cannot set net.ipv4.ip_nonlocal_bind ({}); binding a VIP on a BACKUP node will fail",
                    e.getMessage());
        }
    }
}
