package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.S3Server;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;

/**
 * The packaged collector archives to S3Proxy and is killed with SIGKILL while it writes, then started again. The
 * batch cut short goes again under its id, so its objects are written again under the same keys with the same
 * bytes: every record is in the bucket exactly once, across all objects.
 */
class S3SinkRestartIT extends PackagedCollectorIT {
    static final int BLOBS = 30;
    static final int RECORDS_PER_BLOB = 40;
    static final String BUCKET = "o365-restart";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String schema() {
        return "o365_s3restart";
    }

    @Test
    void killedWhileWritingObjectsEveryRecordIsArchivedExactlyOnce() throws Exception {
        String tenantId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = microsoft.tenant(tenantId);
        sim.registerSecret(clientId, secret);
        sim.pageSize(10);
        Set<String> ids = new HashSet<>();
        Instant base = Instant.now().minus(Duration.ofHours(20)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < BLOBS; i++) {
            Instant created = base.plusSeconds(1200L * i);
            // events spread over a day: a batch gives about 24 objects (one per hour), so the kill lands amid a batch
            List<String> records = new ArrayList<>();
            for (int j = 0; j < RECORDS_PER_BLOB; j++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                records.add(TestRecords.record(id, tenantId, base.minus(Duration.ofHours(24 - (i + j) % 24)).plusSeconds(j)));
            }
            sim.addBlob(SimBlob.ofRecords("Audit.Exchange", TestRecords.contentId("s3restart", i), created, created, records));
        }
        Path log = Path.of("target", "s3-sink-restart.log");
        Files.deleteIfExists(log);
        String prefix = "kill9/" + tenantId + "/";

        try (S3Server s3 = S3Server.start("restart-it").createBucket(BUCKET)) {
            List<String> args = new ArrayList<>(tenantArgs("s3restart", tenantId, clientId, "S3_RESTART_SECRET", "Audit.Exchange"));
            args.addAll(List.of("--o365.poll-interval=2s",
                    "--o365.sinks.cold.type=s3",
                    "--o365.sinks.cold.endpoint=" + s3.endpoint(),
                    "--o365.sinks.cold.path-style-access=true",
                    "--o365.sinks.cold.bucket=" + BUCKET,
                    "--o365.sinks.cold.prefix=kill9",
                    "--o365.sinks.cold.access-key=" + S3Server.ACCESS_KEY,
                    "--o365.sinks.cold.secret-key=${S3_ARCHIVE_SECRET_KEY}",
                    "--o365.sinks.cold.batch-size=200",
                    "--o365.sinks.cold.linger-millis=0",
                    "--o365.sinks.cold.poll-millis=200"));
            Map<String, String> env = Map.of("S3_RESTART_SECRET", secret, "S3_ARCHIVE_SECRET_KEY", S3Server.SECRET_KEY);

            Process first = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                        .until(() -> s3.keys(BUCKET, prefix).size() >= 3);
            } finally {
                first.destroyForcibly();   // SIGKILL while it writes
                first.waitFor();
            }
            long linesAtKill = s3.countLines(BUCKET, prefix);
            int keysAtKill = s3.keys(BUCKET, prefix).size();

            Process second = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> s3.countLines(BUCKET, prefix) >= ids.size());
                Thread.sleep(1500);   // a duplicate written late would show now
            } finally {
                second.destroy();
                second.waitFor();
            }
            List<String> archived = s3.allLines(BUCKET, prefix).stream()
                    .map(l -> {
                        try {
                            return JSON.readTree(l).path("record").path("Id").asText();
                        } catch (Exception e) {
                            throw new IllegalStateException(l, e);
                        }
                    }).toList();
            assertThat(linesAtKill).as("killed mid-delivery").isBetween(1L, (long) ids.size() - 1);
            assertThat(keysAtKill).as("objects at the kill").isLessThan(s3.keys(BUCKET, prefix).size());
            assertThat(archived).hasSize(ids.size()).doesNotHaveDuplicates();
            assertThat(Set.copyOf(archived)).isEqualTo(ids);
            assertThat(Files.readString(log)).doesNotContain(S3Server.SECRET_KEY).doesNotContain(secret);
        }
    }
}
