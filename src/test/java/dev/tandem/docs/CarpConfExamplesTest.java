package dev.tandem.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.carp.CarpConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every carp.conf and sasyncd.conf shown in the README and the admin guide is one the daemon accepts. */
class CarpConfExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("```[a-z]*\n(# \\S*carp\\.conf.*?)```\n", Pattern.DOTALL);

    @Test
    void documentedCarpConfsParse() throws Exception {
        int n = 0;
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs", "admin-guide.md"))) {
            Matcher m = BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                List<String> warnings = new ArrayList<>();
                CarpConf c = CarpConf.parse(doc, m.group(1), warnings::add);
                assertThat(c.interfaces()).as(doc + ":\n" + m.group(1)).isNotEmpty();
                assertThat(warnings).as(doc.toString()).isEmpty();
                n++;
            }
        }
        assertThat(n).as("carp.conf examples found").isGreaterThanOrEqualTo(3);
    }

    private static final Pattern SASYNCD = Pattern.compile("```[a-z]*\n(# \\S*sasyncd\\.conf.*?)```\n", Pattern.DOTALL);

    @Test
    void documentedSasyncdConfsParse() throws Exception {
        int n = 0;
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs", "admin-guide.md"))) {
            Matcher m = SASYNCD.matcher(Files.readString(doc));
            while (m.find()) {
                List<String> warnings = new ArrayList<>();
                dev.tandem.conf.sasyncd.SasyncdConf c = dev.tandem.conf.sasyncd.SasyncdConf.parse(doc, m.group(1),
                        warnings::add);
                assertThat(c.peers()).as(doc + ":\n" + m.group(1)).isNotEmpty();
                assertThat(warnings).as(doc.toString()).isEmpty();
                n++;
            }
        }
        assertThat(n).as("sasyncd.conf examples found").isPositive();
    }
}
