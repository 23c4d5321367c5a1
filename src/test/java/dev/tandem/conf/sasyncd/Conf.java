package dev.tandem.conf.sasyncd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the parser on test text and keeps what it said. */
final class Conf {

    static final Path FILE = Path.of("/etc/sasyncd.conf");
    static final String HEX16 = "0x00112233445566778899aabbccddeeff";
    /** The two statements every valid file needs. */
    static final String REQUIRED = "interface carp0\nsharedkey " + HEX16 + "\n";

    final List<String> warnings = new ArrayList<>();

    static Conf run() {
        return new Conf();
    }

    SasyncdConf ok(String text) {
        try {
            return SasyncdConf.parse(FILE, text, warnings::add);
        } catch (SasyncdConf.Invalid e) {
            throw new AssertionError("rejected:\n" + e.getMessage(), e);
        }
    }

    List<String> problems(String text) {
        SasyncdConf.Invalid e = catchThrowableOfType(SasyncdConf.Invalid.class,
                () -> SasyncdConf.parse(FILE, text, warnings::add));
        assertThat(e).as("the file should be rejected").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems();
    }

    /** The single problem of a file with exactly one. */
    String problem(String text) {
        List<String> p = problems(text);
        assertThat(p).hasSize(1);
        return p.getFirst();
    }

    static String at(int line, String message) {
        return FILE + ": " + line + ": " + message;
    }
}
