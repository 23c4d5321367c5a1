package dev.tandem.control;

import dev.tandem.conf.isakmpd.ConfCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The isakmpd commands of an ike rule in a control message (ipsecctl to
 * tandemd, where OpenBSD's ipsecctl writes to isakmpd's FIFO). Each command
 * is a group of fields ("c3.op", "c3.section", "c3.tag", "c3.value",
 * "c3.force"), so any value, a pre-shared key included, arrives unchanged.
 */
public final class IkeCommandCodec {

    /** More commands than any one rule translates to: a bound for what a request may carry. */
    public static final int MAX_COMMANDS = 256;

    private IkeCommandCodec() {
    }

    public static Map<String, String> encode(List<ConfCommand> commands) {
        if (commands.size() > MAX_COMMANDS) {
            throw new IllegalArgumentException(commands.size() + " commands, more than " + MAX_COMMANDS);
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("commands", Integer.toString(commands.size()));
        for (int i = 0; i < commands.size(); i++) {
            String p = "c" + i + ".";
            switch (commands.get(i)) {
                case ConfCommand.Set s -> put(f, p, "set", s.section(), s.tag(), s.value(), s.force());
                case ConfCommand.Add a -> put(f, p, "add", a.section(), a.tag(), a.value(), a.force());
                case ConfCommand.Remove r -> put(f, p, "rmv", r.section(), r.tag(), r.value(), false);
                case ConfCommand.RemoveSection r -> put(f, p, "rms", r.section(), null, null, false);
                case ConfCommand.Teardown t -> put(f, p, "t", t.connection(), null, null, false);
            }
        }
        return f;
    }

    private static void put(Map<String, String> f, String p, String op, String section, String tag, String value,
                            boolean force) {
        f.put(p + "op", op);
        f.put(p + "section", section);
        if (tag != null) {
            f.put(p + "tag", tag);
            f.put(p + "value", value);
            f.put(p + "force", force ? "yes" : "no");
        }
    }

    public static List<ConfCommand> decode(Message m) throws Message.BadMessage {
        int n;
        try {
            n = Integer.parseInt(m.require("commands"));
        } catch (NumberFormatException e) {
            throw new Message.BadMessage("commands is not a number");
        }
        if (n < 0 || n > MAX_COMMANDS) {
            throw new Message.BadMessage("commands must be 0 to " + MAX_COMMANDS);
        }
        List<ConfCommand> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String p = "c" + i + ".";
            String op = m.require(p + "op");
            String section = m.require(p + "section");
            out.add(switch (op) {
                case "set" -> new ConfCommand.Set(section, m.require(p + "tag"), m.require(p + "value"),
                        "yes".equals(m.require(p + "force")));
                case "add" -> new ConfCommand.Add(section, m.require(p + "tag"), m.require(p + "value"),
                        "yes".equals(m.require(p + "force")));
                case "rmv" -> new ConfCommand.Remove(section, m.require(p + "tag"), m.require(p + "value"));
                case "rms" -> new ConfCommand.RemoveSection(section);
                case "t" -> new ConfCommand.Teardown(section);
                default -> throw new Message.BadMessage(p + "op: unknown operation " + op);
            });
        }
        return out;
    }
}
