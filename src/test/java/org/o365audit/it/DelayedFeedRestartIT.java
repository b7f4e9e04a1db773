package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.SimulatedTenant;

/**
 * The packaged collector is killed with SIGKILL in the middle of a Power BI re-scan and started again:
 * on PostgreSQL every event is stored exactly once and the scan completes from where it stopped.
 */
class DelayedFeedRestartIT extends PackagedCollectorIT {
    static final int EVENTS = 1500;

    @Override
    String schema() {
        return "o365_delayed_restart";
    }

    @Test
    void resumesAPowerBiRescanAfterKill() throws Exception {
        String tenantId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = microsoft.tenant(tenantId);
        sim.registerSecret(clientId, secret);
        sim.powerBi().pageSize(5);
        sim.powerBi().hourlyLimit(100_000);
        List<String> ids = new ArrayList<>();
        Instant base = Instant.now().minus(Duration.ofDays(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int i = 0; i < EVENTS; i++) {
            String id = UUID.randomUUID().toString();
            Instant at = base.plusSeconds(340L * i);
            sim.powerBi().addEvent(DelayedFeedScenarios.pbiEvent(id, tenantId, at), at);
            ids.add(id);
        }
        List<String> args = new ArrayList<>(tenantArgs("delayed-restart", tenantId, clientId, "DELAYED_TEST_SECRET", "Audit.General"));
        args.addAll(List.of(
                "--o365.delayed.poll-interval=2s",
                "--o365.delayed.powerbi-requests-per-hour=100000",
                "--o365.tenants[0].powerbi.enabled=true",
                "--o365.tenants[0].powerbi.api-url=" + microsoft.baseUrl() + "/powerbi"));
        Map<String, String> env = Map.of("DELAYED_TEST_SECRET", secret);
        Path log = Path.of("target", "delayed-restart.log");
        Files.deleteIfExists(log);

        Process first = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> count("audit_event") > 300);
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        int atKill = count("audit_event");
        assertThat(atKill).as("killed mid-scan").isBetween(1, EVENTS - 1);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM delayed_feed_state WHERE scan_started_at IS NOT NULL", Integer.class))
                .as("a scan was in progress").isEqualTo(1);
        Instant settledAtKill = settledUntil();

        Process second = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
        try {
            // done when every event is stored and the interrupted first scan has completed (the watermark moved
            // from the backfill start to scan start - 72 h)
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> count("audit_event") == EVENTS
                    && settledUntil().isAfter(settledAtKill.plus(Duration.ofDays(3))));
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(db.queryForList("SELECT id FROM audit_event", String.class)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(db.queryForList("SELECT DISTINCT source FROM audit_event", String.class)).containsExactly("powerbi-activity");
        assertThat(Files.readString(log)).doesNotContain(secret);
    }

    Instant settledUntil() {
        return db.queryForObject("SELECT settled_until FROM delayed_feed_state", java.sql.Timestamp.class).toInstant();
    }
}
