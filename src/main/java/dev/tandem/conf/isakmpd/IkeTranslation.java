package dev.tandem.conf.isakmpd;

import java.util.List;

/**
 * The isakmpd commands for one ike rule.
 *
 * @param commands the commands, complete when {@code error} is null; up to
 *                 the failing point otherwise, as ipsecctl prints them
 * @param error    why the rule cannot be given to isakmpd (e.g. "illegal
 *                 transform aes-128-gcm"), or null
 */
public record IkeTranslation(List<ConfCommand> commands, String error) {

    public boolean ok() {
        return error == null;
    }
}
