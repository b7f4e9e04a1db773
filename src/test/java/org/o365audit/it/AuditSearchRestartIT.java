package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.SimulatedAuditSearch;
import org.o365audit.simulator.SimulatedTenant;

/**
 * The packaged collector killed with SIGKILL while an audit search it submitted is still running at Microsoft, and
 * started again on the same PostgreSQL: it polls that query on and reads its records; it never submits it again.
 */
class AuditSearchRestartIT extends PackagedCollectorIT {
    @Override
    String schema() {
        return "o365_search_it";
    }

    @Test
    void aQueryStillRunningAcrossKillNineIsResumedNotResubmitted() throws Exception {
        String tenantId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = microsoft.tenant(tenantId);
        sim.registerSecret(clientId, secret);
        SimulatedAuditSearch search = sim.graph().auditSearch();
        Instant gapFrom = Instant.now().minus(Duration.ofDays(16)).truncatedTo(ChronoUnit.SECONDS);
        Instant gapTo = Instant.now().minus(Duration.ofDays(6)).truncatedTo(ChronoUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            search.addRecord(TestRecords.record(id, tenantId, gapFrom.plus(Duration.ofHours(6L * i + 1))));
        }
        search.completeAfterPolls(Integer.MAX_VALUE);   // running until the test says otherwise
        Path log = Path.of("target", "audit-search-restart.log");
        Files.deleteIfExists(log);
        List<String> args = new ArrayList<>(tenantArgs("search-restart", tenantId, clientId, "SEARCH_TEST_SECRET",
                "Audit.Exchange"));
        args.addAll(List.of("--o365.tenants[0].audit-search=true", "--o365.tenants[0].graph-url=" + microsoft.graphUrl(),
                "--o365.audit-search.poll-interval=1s"));
        String where = " WHERE tenant_id = '" + tenantId + "'";

        Process first = CollectorProcess.start(List.of("-Xmx512m"), args, Map.of("SEARCH_TEST_SECRET", secret), log);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(this::tableReady);
            // the collector was down ten days: the gap the Management API can no longer fill
            db.update("INSERT INTO gap (tenant_id, tenant_name, feed, gap_from, gap_to, content_id, reason, detected_at)"
                    + " VALUES (?, 'search-restart', 'Audit.Exchange', ?, ?, '', 'down longer than the API keeps content', ?)",
                    tenantId, Timestamp.from(gapFrom), Timestamp.from(gapTo), Timestamp.from(Instant.now()));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> search.submissions() == 1 && count("audit_search_query" + where
                            + " AND status IN ('notStarted', 'running')") == 1);
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        assertThat(count("audit_event" + where)).as("nothing stored before the kill").isZero();

        search.completeAfterPolls(1);
        Process second = CollectorProcess.start(List.of("-Xmx512m"), args, Map.of("SEARCH_TEST_SECRET", secret), log);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count("audit_event" + where) == ids.size()
                            && count("gap" + where + " AND filled_at IS NOT NULL") == 1);
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(search.submissions()).as("the query submitted before the kill, polled on, never submitted again")
                .isEqualTo(1);
        assertThat(count("audit_event" + where + " AND source = 'audit-search'")).isEqualTo(ids.size());
        assertThat(Files.readString(log)).doesNotContain(secret);
    }

    private boolean tableReady() {
        try {
            db.queryForObject("SELECT COUNT(*) FROM audit_search_query", Integer.class);
            return true;
        } catch (RuntimeException notYetMigrated) {
            return false;
        }
    }
}
