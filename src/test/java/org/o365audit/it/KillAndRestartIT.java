package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;

/**
 * The packaged collector is killed with SIGKILL in the middle of a backfill (no shutdown hook runs) and
 * started again: on PostgreSQL every record ends up stored exactly once and every blob is ledgered once.
 */
class KillAndRestartIT extends PackagedCollectorIT {
    static final int BLOBS = 800;
    static final int RECORDS_PER_BLOB = 40;

    @Override
    String schema() {
        return "o365_restart";
    }

    @Test
    void resumesWhereItStoppedAfterKill() throws Exception {
        String tenantId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = microsoft.tenant(tenantId);
        sim.registerSecret(clientId, secret);
        sim.pageSize(50);
        Set<String> ids = new HashSet<>();
        List<String> previous = List.of();
        Instant base = Instant.now().minus(Duration.ofHours(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int i = 0; i < BLOBS; i++) {
            Instant created = base.plusSeconds(120L * i);
            List<String> records = new ArrayList<>(TestRecords.records(RECORDS_PER_BLOB, tenantId, created));
            if (i % 10 == 0 && !previous.isEmpty()) {
                records.add(previous.get(0));   // repeated across blobs, as the API does
            }
            records.forEach(r -> ids.add(r.substring(r.indexOf("\"Id\":\"") + 6, r.indexOf("\"Id\":\"") + 42)));
            sim.addBlob(SimBlob.ofRecords("Audit.Exchange", TestRecords.contentId("restart", i), created, created, records));
            previous = records;
        }

        List<String> args = new ArrayList<>(tenantArgs("restart", tenantId, clientId, "RESTART_TEST_SECRET", "Audit.Exchange"));
        args.add("--o365.poll-interval=2s");
        Map<String, String> env = Map.of("RESTART_TEST_SECRET", secret);
        Path log = Path.of("target", "kill-and-restart.log");
        Files.deleteIfExists(log);

        Process first = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
        int atKill;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> count("audit_event") > 2000);
        } finally {
            first.destroyForcibly();   // SIGKILL: no graceful shutdown, transactions cut mid-way
            first.waitFor();
        }
        atKill = count("audit_event");
        assertThat(atKill).as("killed mid-run").isBetween(1, ids.size() - 1);

        Process second = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> count("blob_ledger") == BLOBS);
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(count("audit_event")).isEqualTo(ids.size());
        assertThat(db.queryForList("SELECT id FROM audit_event", String.class)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM quarantine", Integer.class)).isZero();
        assertThat(Files.readString(log)).doesNotContain(secret);
    }
}
