package dev.tandem.conf.sasyncd;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the sasyncd.conf parser. Only
 * {@link SasyncdConf.Invalid} may leave it; a rejection must name at least
 * one problem, each as "file: line: message" with a line inside the file; an
 * accepted file must satisfy what the record promises.
 */
class SasyncdConfFuzzTest {

    private static final Path FILE = Path.of("fuzz.conf");
    private static final Pattern PROBLEM = Pattern.compile("fuzz\\.conf: ([1-9][0-9]*): .+", Pattern.DOTALL);

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"interface ", "group ", "flushmode ", "sync", "startup", "never", "listen ", "on ",
        "inet ", "inet6 ", "port ", "mode ", "master", "slave", "skipslave", "peer ", "sharedkey ", "control ",
        "isakmpd", "iked", "all", "none", "0x", "0123456789abcdef0123456789abcdef", "10.0.0.1", "2001:db8::1",
        "::", "#", "interval"})
    void parse(byte[] input) {
        // ISO-8859-1 maps each byte to one char, so the fuzzer's byte edits are text edits.
        String text = new String(input, StandardCharsets.ISO_8859_1);
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        try {
            SasyncdConf conf = SasyncdConf.parse(FILE, text, w -> check(w, lines));
            if (!SharedKey.validLength(conf.sharedKey().bytes().length)) {
                throw new AssertionError("accepted a key of " + conf.sharedKey().length() + " bytes");
            }
            if (new HashSet<>(conf.peers()).size() != conf.peers().size()) {
                throw new AssertionError("duplicate peers accepted: " + conf.peers());
            }
            if (conf.listen().stream().anyMatch(l -> l.port() != conf.port())) {
                throw new AssertionError("listeners on different ports: " + conf.listen());
            }
            if (!conf.toString().contains("hidden")) {
                throw new AssertionError("key not hidden: " + conf);
            }
        } catch (SasyncdConf.Invalid e) {
            List<String> problems = e.problems();
            if (problems.isEmpty() || problems.size() > Diagnostics.MAX_PROBLEMS + 1) {
                throw new AssertionError("rejected with " + problems.size() + " problems");
            }
            problems.forEach(p -> check(p, lines));
        }
    }

    private static void check(String message, long lines) {
        var m = PROBLEM.matcher(message);
        if (!m.matches() || Long.parseLong(m.group(1)) > lines) {
            throw new AssertionError("malformed message: " + message);
        }
    }
}
