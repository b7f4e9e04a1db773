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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.FakeLogsIngestion;

/**
 * The packaged collector is killed with SIGKILL while the Sentinel sink posts to a slow Logs Ingestion endpoint,
 * and started again. The API has no idempotency key, so the guarantee is at least once: every record arrives, and
 * the only repeats are the rows of the call(s) in flight at the kill, each at most twice, under the same RecordId.
 */
class SentinelSinkRestartIT extends PackagedCollectorIT {
    static final int BLOBS = 30;
    static final int RECORDS_PER_BLOB = 40;
    static final int BATCH = 100;
    static final String APP_SECRET = "sentinel-restart-secret-9Hv3Q";

    @Override
    String schema() {
        return "o365_sentinelrestart";
    }

    @Test
    void everyRecordArrivesAtLeastOnceAfterAKillAndOnlyTheCallInFlightRepeats() throws Exception {
        Backfill backfill = backfill("sentinel-kill", BLOBS, RECORDS_PER_BLOB, 20, 300);
        String tenantId = backfill.tenantId();
        String clientId = backfill.clientId();
        String secret = backfill.secret();
        Set<String> ids = backfill.ids();
        Path log = Path.of("target", "sentinel-sink-restart.log");
        Files.deleteIfExists(log);
        String directory = UUID.randomUUID().toString();
        String app = UUID.randomUUID().toString();
        try (FakeLogsIngestion ingest = FakeLogsIngestion.start(directory, "dcr-" + UUID.randomUUID().toString()
                .replace("-", ""), "Custom-O365Audit_CL").allow(app, APP_SECRET)) {
            // the call after the first two batches is taken and never answered: the kill lands while it is in flight
            ingest.holdAnswersAfter(2 * BATCH);
            List<String> args = new ArrayList<>(tenantArgs("sentinel-kill", tenantId, clientId, "SENTINEL_KILL_TENANT_SECRET",
                    "Audit.Exchange"));
            args.add("--o365.poll-interval=2s");
            ingest.sinkSettings(app).forEach((k, v) -> args.add("--o365.sinks.siem." + k + "=" + v));
            args.add("--o365.sinks.siem.client-secret=${SENTINEL_KILL_APP_SECRET}");
            args.add("--o365.sinks.siem.batch-size=" + BATCH);
            args.add("--o365.sinks.siem.linger-millis=300");
            args.add("--o365.sinks.siem.poll-millis=300");
            Map<String, String> env = Map.of("SENTINEL_KILL_TENANT_SECRET", secret, "SENTINEL_KILL_APP_SECRET", APP_SECRET);

            Process first = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                        .until(() -> ingest.held() > 0);
            } finally {
                first.destroyForcibly();   // SIGKILL while a call is in flight
                first.waitFor();
            }
            int atKill = ingest.distinctRecordIds(tenantId).size();
            assertThat(atKill).isBetween(1, ids.size() - 1);
            ingest.release();
            int rowsBefore = ingest.rows();
            Instant restart = Instant.now();

            Process second = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ingest.distinctRecordIds(tenantId).size() >= ids.size());
            } finally {
                second.destroy();
                second.waitFor();
            }
            assertThat(ingest.distinctRecordIds(tenantId)).containsExactlyInAnyOrderElementsOf(ids);
            Map<String, Integer> duplicates = ingest.duplicates(tenantId);
            // at least once: the call in flight at the kill was taken (its answer was lost) and sent again after the
            // restart; only its rows (one batch at most) came twice
            assertThat(duplicates.size()).isBetween(1, BATCH);
            assertThat(duplicates.values()).allMatch(n -> n == 2);
            assertThat(ingest.arrivals(tenantId)).isEqualTo(ids.size() + duplicates.size());
            List<FakeLogsIngestion.Call> after = ingest.calls().stream().filter(c -> c.at().isAfter(restart)).toList();
            assertThat(after).allMatch(c -> c.status() == 204);
            double seconds = Duration.between(after.get(0).at(), after.get(after.size() - 1).at()).toMillis() / 1000.0;
            System.out.printf("SentinelSinkRestartIT: %d records, %d rows at the kill, %d RecordIds twice; after the"
                            + " restart %d rows in %d calls over %.2f s (%.0f rows/s)%n", ids.size(), atKill,
                    duplicates.size(), ingest.rows() - rowsBefore, after.size(), seconds,
                    (ingest.rows() - rowsBefore) / Math.max(seconds, 0.001));
            assertThat(ingest.authorizationAtLogin()).isEmpty();
            assertThat(ingest.internalErrors()).isEmpty();
            String written = Files.readString(log);
            assertThat(written).doesNotContain(secret).doesNotContain(APP_SECRET).doesNotContain("fake-li-");
        }
    }
}
