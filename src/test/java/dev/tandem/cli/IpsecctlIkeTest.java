package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.control.ControlHandler;
import dev.tandem.control.ControlServer;
import dev.tandem.control.IkeCommandCodec;
import dev.tandem.control.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipsecctl -f and -d -f with ike rules against a stand-in for tandemd: what reaches the daemon, what comes back. */
class IpsecctlIkeTest {

    private static final String RULE = "ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 psk \"a b\\\\c\"\n";

    /** Records requests; answers ike requests with {@code answer}. */
    private static final class FakeDaemon implements ControlHandler {
        final List<Message> requests = new CopyOnWriteArrayList<>();
        final Message answer;

        FakeDaemon(Message answer) {
            this.answer = answer;
        }

        @Override
        public Message handle(Message request, Consumer<String> out) {
            requests.add(request);
            return answer;
        }

        @Override
        public void monitor(Consumer<String> out, BooleanSupplier stop) {
        }
    }

    @Test
    void addSendsTheRulesIsakmpdCommands(@TempDir Path dir) throws Exception {
        FakeDaemon d = new FakeDaemon(Message.of("ok"));
        try (ControlServer s = ControlServer.start(dir.resolve("sock"), d)) {
            CliRun r = CliRun.of(RULE, "ipsecctl", "--control", s.path().toString(), "-f", "-");
            assertThat(r.err()).isEmpty();
            assertThat(r.status()).isZero();
        }
        assertThat(d.requests).hasSize(1);
        Message m = d.requests.getFirst();
        assertThat(m.verb()).isEqualTo("ike-add");
        List<ConfCommand> cmds = IkeCommandCodec.decode(m);
        assertThat(cmds).contains(new ConfCommand.Set("peer-198.51.100.10", "Authentication", "a b\\\\c", true));
        assertThat(cmds.getLast()).isEqualTo(new ConfCommand.Add("Phase 2", "Connections",
                "from-10.1.0.0/24-to-10.2.0.0/24", false));
    }

    @Test
    void deleteSendsTheTeardown(@TempDir Path dir) throws Exception {
        FakeDaemon d = new FakeDaemon(Message.of("ok"));
        try (ControlServer s = ControlServer.start(dir.resolve("sock"), d)) {
            CliRun r = CliRun.of(RULE, "ipsecctl", "--control", s.path().toString(), "-d", "-f", "-");
            assertThat(r.status()).isZero();
        }
        Message m = d.requests.getFirst();
        assertThat(m.verb()).isEqualTo("ike-delete");
        assertThat(IkeCommandCodec.decode(m)).startsWith(new ConfCommand.Teardown("from-10.1.0.0/24-to-10.2.0.0/24"));
    }

    @Test
    void aRefusalIsReportedWithTheRuleNumber(@TempDir Path dir) throws Exception {
        FakeDaemon d = new FakeDaemon(new Message("error", Map.of("message",
                "phase 2 transform AES_CTR is not supported by the data plane")));
        try (ControlServer s = ControlServer.start(dir.resolve("sock"), d)) {
            CliRun r = CliRun.of("flow esp from 10.9.0.0/24 to 10.8.0.0/24 peer 198.51.100.9\n" + RULE,
                    "ipsecctl", "--control", s.path().toString(), "-f", "-");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains("ipsecctl: failed to add ike rule 2: phase 2 transform AES_CTR is not "
                    + "supported by the data plane");
        }
    }

    @Test
    void anUntranslatableRuleNeverReachesTheDaemon(@TempDir Path dir) throws Exception {
        FakeDaemon d = new FakeDaemon(Message.of("ok"));
        try (ControlServer s = ControlServer.start(dir.resolve("sock"), d)) {
            CliRun r = CliRun.of("ike esp from 10.1.0.0/24 to 10.2.0.0/24 peer 198.51.100.10 main enc aes-128-gcm "
                    + "psk x\n", "ipsecctl", "--control", s.path().toString(), "-f", "-");
            assertThat(r.status()).isEqualTo(1);
            // ipsecctl numbers rules from 0 (-vv shows the same numbers)
            assertThat(r.err()).contains("failed to add ike rule 0: illegal transform aes-128-gcm");
        }
        assertThat(d.requests).isEmpty();
    }
}
