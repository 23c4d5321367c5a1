package dev.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Checks the cluster failover labs share. */
final class ClusterChecks {

    private ClusterChecks() {
    }

    /** The start-up interlock held: no carp interface of {@code d} became master before the snapshot was in. */
    static void assertNotMasterBefore(Lab.Daemon d, LogLines.Line synced) {
        List<LogLines.Line> lines = d.log().lines();
        int snapshot = lines.indexOf(synced);
        assertThat(lines.subList(0, snapshot)).as("the restarted node's log until the snapshot")
                .noneMatch(l -> l.text().contains("-> MASTER"))
                .anyMatch(l -> l.text().contains("demoted until the first snapshot"));
    }
}
