package dev.tandem.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The admin guide shows the shipped example files as they are, so what it shows is what the lab test runs. */
class AdminGuideTest {

    static final Pattern EXAMPLE = Pattern.compile("<!-- example-file: (\\S+) -->\n```\n(.*?)```\n", Pattern.DOTALL);

    @Test
    void exampleFilesAreQuotedVerbatim() throws Exception {
        String guide = Files.readString(Path.of("docs", "admin-guide.md"));
        Matcher m = EXAMPLE.matcher(guide);
        int n = 0;
        while (m.find()) {
            assertThat(m.group(2)).as(m.group(1)).isEqualTo(Files.readString(Path.of(m.group(1))));
            n++;
        }
        assertThat(n).as("example files quoted in the guide").isEqualTo(8);
    }
}
