package dev.tandem.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.sasyncd.SasyncdConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every carp.conf and sasyncd.conf shown in the README and the admin guide is one the daemon accepts. */
class CarpConfExamplesTest {

    /** Parses one example; warnings go to the consumer; a rejected example throws. */
    private interface Check {
        void parse(Path doc, String text, Consumer<String> warn) throws Exception;
    }

    /** The fenced blocks of the docs whose first line names {@code file}, each parsed by {@code check}. */
    private static int examples(String file, Check check) throws Exception {
        Pattern block = Pattern.compile("```[a-z]*\n(# \\S*" + Pattern.quote(file) + ".*?)```\n", Pattern.DOTALL);
        int n = 0;
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs", "admin-guide.md"))) {
            Matcher m = block.matcher(Files.readString(doc));
            while (m.find()) {
                List<String> warnings = new ArrayList<>();
                check.parse(doc, m.group(1), warnings::add);
                assertThat(warnings).as(doc + ":\n" + m.group(1)).isEmpty();
                n++;
            }
        }
        return n;
    }

    @Test
    void documentedCarpConfsParse() throws Exception {
        int n = examples("carp.conf", (doc, text, warn) ->
                assertThat(CarpConf.parse(doc, text, warn).interfaces()).as(doc + ":\n" + text).isNotEmpty());
        assertThat(n).as("carp.conf examples found").isGreaterThanOrEqualTo(3);
    }

    @Test
    void documentedSasyncdConfsParse() throws Exception {
        int n = examples("sasyncd.conf", (doc, text, warn) ->
                assertThat(SasyncdConf.parse(doc, text, warn).peers()).as(doc + ":\n" + text).isNotEmpty());
        assertThat(n).as("sasyncd.conf examples found").isGreaterThanOrEqualTo(2);
    }
}
