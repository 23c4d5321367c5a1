package dev.tandem.cli;

import dev.tandem.conf.ManualKeying;
import dev.tandem.conf.ipsec.FlowRule;
import dev.tandem.conf.ipsec.IkeRule;
import dev.tandem.conf.ipsec.IpsecRule;
import dev.tandem.conf.ipsec.SaBundleRule;
import dev.tandem.conf.ipsec.SaRule;
import dev.tandem.conf.isakmpd.IkeRuleTranslator;
import dev.tandem.conf.isakmpd.IkeTranslation;
import dev.tandem.control.ControlClient;
import dev.tandem.control.IkeCommandCodec;
import dev.tandem.control.Message;
import dev.tandem.control.SadbCodec;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ipsecctl's connection to tandemd, opened on first use: what PF_KEY is to
 * OpenBSD's ipsecctl. Failures are reported the way ipsecctl reports them
 * ("failed to add rule N", with the daemon's reason) and give status 1.
 */
final class DaemonLink implements AutoCloseable {

    private final Path socket;
    private final Consumer<String> warn;
    private final IkeRuleTranslator ike;
    private ControlClient client;

    /** @param ike turns ike rules into the isakmpd commands tandemd's IKE daemon takes */
    DaemonLink(Path socket, Consumer<String> warn, IkeRuleTranslator ike) {
        this.socket = socket;
        this.warn = warn;
        this.ike = ike;
    }

    private ControlClient client() throws IOException {
        if (client == null) {
            try {
                client = ControlClient.connect(socket);
            } catch (IOException e) {
                throw new IOException("no tandemd is reachable at " + socket + " (" + e.getMessage()
                        + "); start it with 'tandem daemon', or use -n to check rules only", e);
            }
        }
        return client;
    }

    private Message call(String verb, Map<String, String> fields, Consumer<String> lines) throws IOException {
        return client().call(new Message(verb, fields), lines);
    }

    int flush() {
        try {
            Message r = call("flush", Map.of(), l -> { });
            if (!r.verb().equals("ok")) {
                warn.accept("ipsecctl_flush: failed to flush: " + r.get("message"));
                return 1;
            }
            return 0;
        } catch (IOException e) {
            warn.accept(e.getMessage());
            return 1;
        }
    }

    /** Adds (or deletes) each rule; a rule that fails is reported and the others go on. */
    int commit(List<IpsecRule> rules, boolean delete) {
        int error = 0;
        String action = delete ? "delete" : "add";
        for (IpsecRule r : rules) {
            String why;
            try {
                why = apply(r, delete);
            } catch (IOException e) {
                warn.accept(e.getMessage());
                return 1;
            }
            if (why != null) {
                warn.accept("failed to " + action + (r instanceof IkeRule ? " ike" : "") + " rule " + r.number()
                        + ": " + why);
                error = 1;
            }
        }
        return error;
    }

    /** @return null on success, else the reason */
    private String apply(IpsecRule r, boolean delete) throws IOException {
        Message answer;
        switch (r) {
            case FlowRule f -> {
                Flow flow = ManualKeying.flow(f);
                answer = delete ? call("delete-flow", SadbCodec.encode(flow.key()), l -> { })
                        : call("add-flow", SadbCodec.encode(flow), l -> { });
            }
            case SaRule s -> {
                SaSpec spec;
                try {
                    spec = ManualKeying.sa(s, SaSpecDefaults.WINDOW);
                } catch (ManualKeying.Unsupported e) {
                    return e.getMessage();
                }
                if (delete) {
                    answer = call("delete-sa", SadbCodec.encode(spec.id()), l -> { });
                } else {
                    Map<String, String> fields = new LinkedHashMap<>(SadbCodec.encode(spec));
                    fields.put("window", "default");
                    answer = call("add-sa", fields, l -> { });
                }
            }
            case SaBundleRule b -> {
                return "SA bundles are not supported";
            }
            case IkeRule i -> {
                // as OpenBSD's ipsecctl: the rule goes to the IKE daemon, not into the SADB
                IkeTranslation t = delete ? ike.teardown(i) : ike.configure(i);
                if (!t.ok()) {
                    return t.error();
                }
                answer = call(delete ? "ike-delete" : "ike-add", IkeCommandCodec.encode(t.commands()), l -> { });
            }
        }
        return answer.verb().equals("ok") ? null : answer.get("message");
    }

    int show(String what, boolean collapse, boolean keys, boolean verbose, Consumer<String> out) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("collapse", collapse ? "yes" : "no");
        f.put("keys", keys ? "yes" : "no");
        f.put("verbose", verbose ? "yes" : "no");
        String verb = switch (what) {
            case "flow" -> "show-flows";
            case "sa" -> "show-sas";
            default -> "show-all";
        };
        try {
            Message r = call(verb, f, out);
            if (!r.verb().equals("ok")) {
                warn.accept("cannot show " + what + ": " + r.get("message"));
                return 1;
            }
            return 0;
        } catch (IOException e) {
            warn.accept(e.getMessage());
            return 1;
        }
    }

    int monitor(Consumer<String> out) {
        try {
            client().monitor(out);
            return 0;
        } catch (IOException e) {
            warn.accept(e.getMessage());
            return 1;
        }
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // nothing left to tell the admin
            }
        }
    }

    /** Values the client leaves to the daemon. */
    static final class SaSpecDefaults {
        static final int WINDOW = dev.tandem.sadb.SaSpec.DEFAULT_REPLAY_WINDOW;

        private SaSpecDefaults() {
        }
    }
}
