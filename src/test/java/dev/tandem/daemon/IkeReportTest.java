package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.control.Json;
import dev.tandem.ike.IkeStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IkeReportTest {

    @Test
    void noDaemonNoSection() {
        assertThat(IkeReport.json(null, null)).isNull();
        assertThat(IkeReport.text(null)).isEmpty();
    }

    @Test
    void countsPassiveAndCounters() {
        IkeStatus s = new IkeStatus(List.of(), List.of(), Map.of("phase1_established", 4L, "bad_hash", 2L), true);
        Map<String, Object> m = IkeReport.json(s, new IkeReport.Traffic(10, 1, 2, 9, 3));
        assertThat(Json.write(m)).contains("\"send_failures\"");
        assertThat(m.keySet()).containsExactly("passive", "phase1_sas", "phase2_sas", "sockets", "counters");
        assertThat(m.get("passive")).isEqualTo(true);
        assertThat(m.get("phase1_sas")).isEqualTo(0);
        assertThat(m).extractingByKey("sockets").isEqualTo(Map.of("received", 10L, "queue_drops", 1L,
                "malformed", 2L, "sent", 9L, "send_failures", 3L));
        @SuppressWarnings("unchecked")
        Map<String, Object> counters = (Map<String, Object>) m.get("counters");
        assertThat(counters.keySet()).containsExactly("bad_hash", "phase1_established");
        assertThat(IkeReport.text(m)).isEqualTo("ike: passive, 0 phase 1 SAs, 0 phase 2 SAs; messages in 10, out 9, "
                + "queue drops 1, send failures 3\n");
    }
}
