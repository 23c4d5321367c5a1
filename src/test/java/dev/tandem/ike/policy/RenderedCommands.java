package dev.tandem.ike.policy;

import dev.tandem.conf.isakmpd.ConfCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads back the isakmpd FIFO commands of ipsecctl's expected outputs (the conformance .ok files). */
final class RenderedCommands {

    private static final Pattern SET = Pattern.compile("C (set|add) \\[([^]]+)]:([^=]+)=(.*?)( force)?");
    private static final Pattern RMV = Pattern.compile("C rmv \\[([^]]+)]:([^=]+)=(.*)");
    private static final Pattern RMS = Pattern.compile("C rms \\[([^]]+)]");

    private RenderedCommands() {
    }

    /** The command lines of {@code text}; other lines (rule echoes, messages) are skipped. */
    static List<ConfCommand> parse(String text) {
        List<ConfCommand> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = SET.matcher(line)).matches()) {
                boolean force = m.group(5) != null;
                out.add(m.group(1).equals("set") ? new ConfCommand.Set(m.group(2), m.group(3), m.group(4), force)
                        : new ConfCommand.Add(m.group(2), m.group(3), m.group(4), force));
            } else if ((m = RMV.matcher(line)).matches()) {
                out.add(new ConfCommand.Remove(m.group(1), m.group(2), m.group(3)));
            } else if ((m = RMS.matcher(line)).matches()) {
                out.add(new ConfCommand.RemoveSection(m.group(1)));
            } else if (line.startsWith("t ")) {
                out.add(new ConfCommand.Teardown(line.substring(2)));
            }
        }
        return out;
    }
}
