package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.conf.sasyncd.SasyncdConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IkePassiveModeTest {

    private static final String BASE = "interface carp0\nsharedkey 0x00112233445566778899aabbccddeeff\n";

    private final List<Boolean> changes = new ArrayList<>();

    private static SasyncdConf sync(String extra) throws Exception {
        return SasyncdConf.parse(Path.of("sasyncd.conf"), BASE + extra, w -> { });
    }

    private static CarpTransition transition(String iface, CarpState from, CarpState to) {
        return new CarpTransition(iface, 1, from, to, "test", 0, List.of(), false);
    }

    @Test
    void withoutSasyncdIkeIsActive() {
        IkePassiveMode m = new IkePassiveMode(null, changes::add);
        assertThat(m.carpInterface()).isNull();
        m.start(null);
        assertThat(changes).containsExactly(false);
    }

    @Test
    void followsTheCarpInterfaceOfSasyncd() throws Exception {
        IkePassiveMode m = new IkePassiveMode(sync(""), changes::add);
        assertThat(m.carpInterface()).isEqualTo("carp0");
        m.start(CarpState.INIT);
        m.accept(transition("carp0", CarpState.INIT, CarpState.BACKUP));
        m.accept(transition("carp1", CarpState.BACKUP, CarpState.MASTER));
        m.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
        m.accept(transition("carp0", CarpState.MASTER, CarpState.BACKUP));
        m.accept(transition("carp0", CarpState.BACKUP, CarpState.INIT));
        // only changes are passed on: INIT and BACKUP are both passive
        assertThat(changes).containsExactly(true, false, true);
    }

    @Test
    void aMasterAtStartIsActive() throws Exception {
        IkePassiveMode m = new IkePassiveMode(sync("control all\n"), changes::add);
        m.start(CarpState.MASTER);
        assertThat(changes).containsExactly(false);
    }

    @Test
    void fixedModes() throws Exception {
        IkePassiveMode master = new IkePassiveMode(sync("mode master\n"), changes::add);
        assertThat(master.carpInterface()).isNull();
        master.start(null);
        IkePassiveMode slave = new IkePassiveMode(sync("mode slave\n"), changes::add);
        slave.start(null);
        slave.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
        assertThat(changes).containsExactly(false, true);
    }

    @Test
    void uncontrolledIsakmpdStaysActive() throws Exception {
        for (String control : List.of("control none\n", "control iked\n")) {
            changes.clear();
            IkePassiveMode m = new IkePassiveMode(sync(control), changes::add);
            assertThat(m.carpInterface()).isNull();
            m.start(CarpState.BACKUP);
            m.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
            m.accept(transition("carp0", CarpState.MASTER, CarpState.BACKUP));
            assertThat(changes).as(control).containsExactly(false);
        }
    }
}
