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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.RabbitQueue;

/**
 * The packaged collector is killed with SIGKILL while its RabbitMQ sink publishes, and started again: every record
 * reaches the queue at least once. A batch the broker had taken (in part) but whose confirms the killed collector
 * never saw goes again after the restart, so a few messages may arrive twice: always with the same message id
 * ({@code <tenantId>/<record Id>}), which is what consumers deduplicate on. The test counts those and prints them.
 */
class RabbitSinkRestartIT extends PackagedCollectorIT {
    static final int BLOBS = 30;
    static final int RECORDS_PER_BLOB = 40;

    @Override
    String schema() {
        return "o365_rabbitrestart";
    }

    @Test
    void killedWhilePublishingEveryRecordArrivesAndRepeatsCarryTheirMessageId() throws Exception {
        Backfill backfill = backfill("rabbit-kill", BLOBS, RECORDS_PER_BLOB, 20, 300);
        String tenantId = backfill.tenantId();
        String clientId = backfill.clientId();
        String secret = backfill.secret();
        Set<String> ids = backfill.ids();
        Path log = Path.of("target", "rabbit-sink-restart.log");
        Files.deleteIfExists(log);
        RabbitUser user = RabbitUser.create();
        try (RabbitQueue queue = RabbitQueue.bind(RabbitQueue.exchangeName("o365-test-kill"), "#")) {
            List<String> args = new ArrayList<>(tenantArgs("rabbit-kill", tenantId, clientId, "KILL_TEST_SECRET", "Audit.Exchange"));
            args.addAll(List.of("--o365.poll-interval=2s",
                    "--o365.sinks.bus.type=rabbitmq",
                    "--o365.sinks.bus.host=" + RabbitQueue.HOST,
                    "--o365.sinks.bus.username=" + user.name(),
                    "--o365.sinks.bus.password=${KILL_TEST_RABBIT_PASSWORD}",
                    "--o365.sinks.bus.exchange=" + queue.exchange(),
                    "--o365.sinks.bus.batch-size=50",
                    "--o365.sinks.bus.poll-millis=200"));
            Map<String, String> env = Map.of("KILL_TEST_SECRET", secret, "KILL_TEST_RABBIT_PASSWORD", user.password());

            Process first = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> queue.count() > 0);
            } finally {
                first.destroyForcibly();   // SIGKILL while the sink publishes
                first.waitFor();
            }
            long atKill = queue.count();

            Process second = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() ->
                        Set.copyOf(RabbitQueue.recordIds(queue.received())).size() >= ids.size());
                // what a confirm lost in the kill sends again has come by now
                Thread.sleep(1500);
            } finally {
                second.destroy();
                second.waitFor();
            }
            List<RabbitQueue.Received> got = queue.received();
            Map<String, Long> arrivals = RabbitQueue.arrivals(got);
            long repeated = got.size() - arrivals.size();
            System.out.printf("RabbitSinkRestartIT: %d records, %d messages before the kill, %d messages in all,"
                    + " %d repeated (same message id)%n", ids.size(), atKill, got.size(), repeated);
            assertThat(atKill).isBetween(1L, (long) ids.size() - 1);
            assertThat(Set.copyOf(RabbitQueue.recordIds(got))).isEqualTo(ids);
            // a repeat is the same record under the same message id: consumers deduplicate on it
            assertThat(got).allMatch(m -> m.messageId().equals(tenantId + "/" + m.json().path("record").path("Id").asText()));
            assertThat(arrivals).hasSize(ids.size());
            assertThat(repeated).isLessThanOrEqualTo(100);   // at most the batches in flight at the kill (2 x 50)
            assertThat(Files.readString(log)).doesNotContain(secret).doesNotContain(user.password());
        } finally {
            user.delete();
        }
    }

    /** A RabbitMQ user of this run (rabbitmqctl), so that the log can be searched for its password. */
    record RabbitUser(String name, String password) {
        static RabbitUser create() throws Exception {
            RabbitUser u = new RabbitUser("o365-test-" + UUID.randomUUID(), "rmq-pw-" + UUID.randomUUID());
            ctl("add_user", u.name(), u.password());
            ctl("set_permissions", "-p", "/", u.name(), ".*", ".*", ".*");
            return u;
        }

        void delete() throws Exception {
            ctl("delete_user", name);
        }

        private static void ctl(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-q"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("rabbitmqctl " + args[0] + " failed: " + out);
            }
        }
    }
}
