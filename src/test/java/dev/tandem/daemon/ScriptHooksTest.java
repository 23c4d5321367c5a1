package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptHooksTest {

    @TempDir
    Path dir;

    private static CarpTransition t(CarpState from, CarpState to) {
        return new CarpTransition("carp0", 7, from, to, "a reason with spaces", 0,
                List.of(new InterfaceAddress(IpAddress.parse("198.51.100.1").orElseThrow(), 24),
                        new InterfaceAddress(IpAddress.parse("2001:db8::1").orElseThrow(), 64)), false);
    }

    @Test
    void hooksRunInOrderWithArgumentsAndEnvironment() throws Exception {
        Path out = dir.resolve("out");
        Path script = dir.resolve("hook");
        Files.writeString(script, "#!/bin/sh\necho \"$1 $2 $CARP_INTERFACE $CARP_VHID $CARP_PREVIOUS->$CARP_STATE"
                + " [$CARP_VIPS] [$CARP_REASON]\" >> " + out + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (ScriptHooks hooks = new ScriptHooks()) {
            hooks.run(script, t(CarpState.INIT, CarpState.BACKUP));
            hooks.run(script, t(CarpState.BACKUP, CarpState.MASTER));
        }
        assertThat(Files.readAllLines(out)).containsExactly(
                "carp0 backup carp0 7 INIT->BACKUP [198.51.100.1/24 2001:db8::1/64] [a reason with spaces]",
                "carp0 master carp0 7 BACKUP->MASTER [198.51.100.1/24 2001:db8::1/64] [a reason with spaces]");
    }

    @Test
    void aMissingOrFailingScriptDoesNotStopTheNextOne() throws Exception {
        Path out = dir.resolve("out");
        Path failing = dir.resolve("failing");
        Files.writeString(failing, "#!/bin/sh\necho failing >> " + out + "\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        try (ScriptHooks hooks = new ScriptHooks()) {
            hooks.run(dir.resolve("missing"), t(CarpState.INIT, CarpState.BACKUP));
            hooks.run(failing, t(CarpState.INIT, CarpState.BACKUP));
            hooks.run(failing, t(CarpState.BACKUP, CarpState.MASTER));
        }
        assertThat(Files.readAllLines(out)).containsExactly("failing", "failing");
    }
}
