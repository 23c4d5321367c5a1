package dev.tandem.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.conf.isakmpd.ConfCommand;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IkeCommandCodecTest {

    @Test
    void everyCommandSurvivesTheWire() throws Exception {
        List<ConfCommand> cmds = List.of(
                new ConfCommand.Set("peer-1.2.3.4", "Authentication", "k=ey force\nwith\\odd]:bytes", true),
                new ConfCommand.Set("General", "Check-interval", "30", false),
                new ConfCommand.Add("Phase 2", "Connections", "from-a-to-b", false),
                new ConfCommand.Add("phase1-x", "Transforms", "t1", true),
                new ConfCommand.Remove("Phase 2", "Passive-Connections", "from-a-to-b"),
                new ConfCommand.RemoveSection("from-a-to-b"),
                new ConfCommand.Teardown("from-a-to-b"));
        StringWriter w = new StringWriter();
        new Message("ike-add", IkeCommandCodec.encode(cmds)).write(w);
        Message back = Message.read(new BufferedReader(new StringReader(w.toString())));
        assertThat(IkeCommandCodec.decode(back)).isEqualTo(cmds);
    }

    @Test
    void badRequestsAreRefused() {
        assertThatThrownBy(() -> IkeCommandCodec.decode(Message.of("ike-add"))).hasMessage("missing field commands");
        assertThatThrownBy(() -> IkeCommandCodec.decode(new Message("ike-add", Map.of("commands", "x"))))
                .hasMessage("commands is not a number");
        assertThatThrownBy(() -> IkeCommandCodec.decode(new Message("ike-add", Map.of("commands", "100000"))))
                .hasMessage("commands must be 0 to " + IkeCommandCodec.MAX_COMMANDS);
        assertThatThrownBy(() -> IkeCommandCodec.decode(new Message("ike-add", Map.of("commands", "1"))))
                .hasMessage("missing field c0.op");
        Map<String, String> f = new LinkedHashMap<>(Map.of("commands", "1", "c0.op", "zap", "c0.section", "s"));
        assertThatThrownBy(() -> IkeCommandCodec.decode(new Message("ike-add", f)))
                .hasMessage("c0.op: unknown operation zap");
        f.put("c0.op", "set");
        assertThatThrownBy(() -> IkeCommandCodec.decode(new Message("ike-add", f)))
                .hasMessage("missing field c0.tag");
    }
}
