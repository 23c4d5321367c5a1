package dev.tandem.conf.isakmpd;

/**
 * One change to isakmpd's configuration, as ipsecctl writes it to isakmpd's
 * FIFO. {@link #render()} gives that command text; the IKE daemon applies the
 * records to an {@link IsakmpdConfig} directly.
 */
public sealed interface ConfCommand {

    String render();

    /** "C set [section]:tag=value [force]": set a value, replacing it only with force. */
    record Set(String section, String tag, String value, boolean force) implements ConfCommand {
        @Override
        public String render() {
            return "C set [" + section + "]:" + tag + "=" + value + (force ? " force" : "");
        }
    }

    /** "C add [section]:tag=value [force]": append to a comma-separated list. */
    record Add(String section, String tag, String value, boolean force) implements ConfCommand {
        @Override
        public String render() {
            return "C add [" + section + "]:" + tag + "=" + value + (force ? " force" : "");
        }
    }

    /** "C rmv [section]:tag=value": remove one value from a list. */
    record Remove(String section, String tag, String value) implements ConfCommand {
        @Override
        public String render() {
            return "C rmv [" + section + "]:" + tag + "=" + value;
        }
    }

    /** "C rms [section]": remove a whole section. */
    record RemoveSection(String section) implements ConfCommand {
        @Override
        public String render() {
            return "C rms [" + section + "]";
        }
    }

    /** "t name": tear down the phase 2 SAs of a connection, telling the peer. */
    record Teardown(String connection) implements ConfCommand {
        @Override
        public String render() {
            return "t " + connection;
        }
    }
}
