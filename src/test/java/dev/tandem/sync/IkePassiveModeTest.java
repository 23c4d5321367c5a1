package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.sim.SimWorld;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IkePassiveModeTest {

    private static final String BASE = "interface carp0\nsharedkey 0x00112233445566778899aabbccddeeff\n";

    private final List<Boolean> changes = new ArrayList<>();
    private final SimWorld world = new SimWorld(1);

    private static SasyncdConf sync(String extra) throws Exception {
        return SasyncdConf.parse(Path.of("sasyncd.conf"), BASE + extra, w -> { });
    }

    private static CarpTransition transition(String iface, CarpState from, CarpState to) {
        return new CarpTransition(iface, 1, from, to, "test", 0, List.of(), false);
    }

    @Test
    void withoutSasyncdIkeIsActive() {
        IkePassiveMode m = new IkePassiveMode(null, world.loop("t"), changes::add);
        assertThat(m.carpInterface()).isNull();
        m.start(null);
        assertThat(changes).containsExactly(false);
    }

    @Test
    void followsTheCarpInterfaceOfSasyncd() throws Exception {
        IkePassiveMode m = new IkePassiveMode(sync(""), world.loop("t"), changes::add);
        assertThat(m.carpInterface()).isEqualTo("carp0");
        m.start(CarpState.INIT);
        m.accept(transition("carp0", CarpState.INIT, CarpState.BACKUP));
        m.accept(transition("carp1", CarpState.BACKUP, CarpState.MASTER));
        m.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
        world.run(IkePassiveMode.SETTLE.minusMillis(1));
        assertThat(changes).as("a new master waits before it initiates").containsExactly(true);
        world.run(Duration.ofMillis(1));
        m.accept(transition("carp0", CarpState.MASTER, CarpState.BACKUP));
        m.accept(transition("carp0", CarpState.BACKUP, CarpState.INIT));
        // only changes are passed on: INIT and BACKUP are both passive
        assertThat(changes).containsExactly(true, false, true);
    }

    @Test
    void aMastershipUndoneWithinTheSettlingTimeNeverTurnsIkeActive() throws Exception {
        IkePassiveMode m = new IkePassiveMode(sync(""), world.loop("t"), changes::add);
        m.start(CarpState.BACKUP);
        m.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
        world.run(Duration.ofMillis(80));
        m.accept(transition("carp0", CarpState.MASTER, CarpState.BACKUP));
        world.run(Duration.ofSeconds(5));
        assertThat(changes).containsExactly(true);
    }

    @Test
    void aMasterAtStartIsActive() throws Exception {
        IkePassiveMode m = new IkePassiveMode(sync("control all\n"), world.loop("t"), changes::add);
        m.start(CarpState.MASTER);
        assertThat(changes).containsExactly(false);
    }

    @Test
    void fixedModes() throws Exception {
        IkePassiveMode master = new IkePassiveMode(sync("mode master\n"), world.loop("t"), changes::add);
        assertThat(master.carpInterface()).isNull();
        master.start(null);
        IkePassiveMode slave = new IkePassiveMode(sync("mode slave\n"), world.loop("t"), changes::add);
        slave.start(null);
        slave.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
        assertThat(changes).containsExactly(false, true);
    }

    @Test
    void uncontrolledIsakmpdStaysActive() throws Exception {
        for (String control : List.of("control none\n", "control iked\n")) {
            changes.clear();
            IkePassiveMode m = new IkePassiveMode(sync(control), world.loop("t"), changes::add);
            assertThat(m.carpInterface()).isNull();
            m.start(CarpState.BACKUP);
            m.accept(transition("carp0", CarpState.BACKUP, CarpState.MASTER));
            m.accept(transition("carp0", CarpState.MASTER, CarpState.BACKUP));
            assertThat(changes).as(control).containsExactly(false);
        }
    }
}
