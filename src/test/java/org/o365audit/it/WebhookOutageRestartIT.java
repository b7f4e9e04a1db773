package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.WebhookReceiver;

/**
 * The webhook receiver is down while the packaged collector backfills, and the collector is killed with
 * SIGKILL during the outage and started again. The files sink keeps writing all along; once the receiver is
 * back every record arrives there exactly once, and every record is in the files exactly once.
 */
class WebhookOutageRestartIT extends PackagedCollectorIT {
    static final int BLOBS = 150;
    static final int RECORDS_PER_BLOB = 40;
    static final String SECRET = "whsec_b3V0YWdlLXRlc3Qtc2VjcmV0";

    @Override
    String schema() {
        return "o365_outage";
    }

    @Test
    void webhookOutageAndKillLoseNothingAndRepeatNothing() throws Exception {
        Backfill backfill = backfill("outage", BLOBS, RECORDS_PER_BLOB, 20, 300);
        String tenantId = backfill.tenantId();
        String clientId = backfill.clientId();
        String secret = backfill.secret();
        Set<String> ids = backfill.ids();
        Path files = Path.of(SinkFiles.emptyDirectory("outage-files"));
        Path log = Path.of("target", "webhook-outage-restart.log");
        Files.deleteIfExists(log);

        try (WebhookReceiver hook = WebhookReceiver.start("/o365", SECRET)) {
            hook.goDown();
            List<String> args = new ArrayList<>(tenantArgs("outage", tenantId, clientId, "OUTAGE_TEST_SECRET", "Audit.Exchange"));
            args.addAll(List.of("--o365.poll-interval=2s",
                    "--o365.sinks.outage-files.type=files",
                    "--o365.sinks.outage-files.directory=" + files,
                    "--o365.sinks.outage-files.roll-millis=1000",
                    "--o365.sinks.outage-files.batch-size=200",
                    "--o365.sinks.hook.type=webhook",
                    "--o365.sinks.hook.url=" + hook.url(),
                    "--o365.sinks.hook.secret=${OUTAGE_HOOK_SECRET}",
                    "--o365.sinks.hook.batch-size=100"));
            Map<String, String> env = Map.of("OUTAGE_TEST_SECRET", secret, "OUTAGE_HOOK_SECRET", SECRET);

            Process first = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                // the files sink writes while the webhook is down
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> SinkFiles.lines(files, tenantId).size() > 1000);
            } finally {
                first.destroyForcibly();   // SIGKILL during the outage
                first.waitFor();
            }
            int linesAtKill = SinkFiles.lines(files, tenantId).size();
            assertThat(hook.distinctRecordIds(tenantId)).isEmpty();

            Process second = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> SinkFiles.lines(files, tenantId).size() >= ids.size());
                assertThat(hook.distinctRecordIds(tenantId)).as("webhook still down").isEmpty();
                hook.comeBack();
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> hook.distinctRecordIds(tenantId).size() >= ids.size());
            } finally {
                second.destroy();
                second.waitFor();
            }
            assertThat(linesAtKill).isBetween(1, ids.size());
            assertThat(hook.distinctRecordIds(tenantId)).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(hook.duplicateRecordArrivals()).isZero();
            assertThat(hook.rejectedSignatures()).isZero();
            List<String> inFiles = SinkFiles.lines(files, tenantId).stream()
                    .map(n -> n.path("record").path("Id").asText()).toList();
            assertThat(inFiles).hasSize(ids.size()).doesNotHaveDuplicates();
            assertThat(Set.copyOf(inFiles)).isEqualTo(ids);
            assertThat(Files.readString(log)).doesNotContain(secret).doesNotContain(SECRET);
        }
    }

}
