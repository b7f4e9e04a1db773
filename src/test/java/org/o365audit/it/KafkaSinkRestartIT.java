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
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.KafkaBroker;

/**
 * The packaged collector delivers to a real Kafka broker and is killed with SIGKILL mid-delivery, then started again.
 * Kafka has no way to refuse a record it already has, so the guarantee is at least once: afterwards every record is
 * in the topic, and a record that is there twice (the unconfirmed batch sent again after the restart, by a new
 * producer) is there under the same key {@code <tenantId>/<Id>} with the same value. The repeats are counted.
 */
class KafkaSinkRestartIT extends PackagedCollectorIT {
    static final int BLOBS = 30;
    static final int RECORDS_PER_BLOB = 40;
    static final String TOPIC = "o365.restart";

    @Override
    String schema() {
        return "o365_kafkarestart";
    }

    @Test
    void killedMidDeliveryEveryRecordArrivesAndARepeatHasItsKey() throws Exception {
        Backfill backfill = backfill("kafka-restart", BLOBS, RECORDS_PER_BLOB, 5, 1800);
        String tenantId = backfill.tenantId();
        String clientId = backfill.clientId();
        String secret = backfill.secret();
        Set<String> ids = backfill.ids();
        Path log = Path.of("target", "kafka-sink-restart.log");
        Files.deleteIfExists(log);

        try (KafkaBroker broker = KafkaBroker.start("restart-it")) {
            broker.createTopic(TOPIC, 3);
            List<String> args = new ArrayList<>(tenantArgs("kafka-restart", tenantId, clientId, "KAFKA_RESTART_SECRET",
                    "Audit.Exchange"));
            args.addAll(List.of("--o365.poll-interval=1s",
                    "--o365.sinks.stream.type=kafka",
                    "--o365.sinks.stream.brokers=" + broker.bootstrapServers(),
                    "--o365.sinks.stream.topic=" + TOPIC,
                    "--o365.sinks.stream.batch-size=100",
                    "--o365.sinks.stream.linger-millis=0",
                    "--o365.sinks.stream.poll-millis=200"));
            Map<String, String> env = Map.of("KAFKA_RESTART_SECRET", secret);

            Process first = CollectorProcess.start(List.of("-Xmx384m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(300))
                        .until(() -> broker.count(TOPIC) > 0);
            } finally {
                first.destroyForcibly();   // SIGKILL mid-delivery
                first.waitFor();
            }
            long atKill = broker.count(TOPIC);

            long restarted = System.nanoTime();
            Process second = CollectorProcess.start(List.of("-Xmx384m"), args, env, log);
            try {
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(1000))
                        .until(() -> broker.count(TOPIC) >= ids.size() && keys(broker).size() >= ids.size());
            } finally {
                second.destroy();
                second.waitFor();
            }
            double seconds = Duration.ofNanos(System.nanoTime() - restarted).toMillis() / 1000.0;

            List<ConsumerRecord<String, String>> all = broker.readAll(TOPIC);
            Map<String, List<String>> valuesByKey = all.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
            assertThat(valuesByKey.keySet()).isEqualTo(ids.stream().map(id -> tenantId + "/" + id).collect(Collectors.toSet()));
            // a repeat is the same record again under the same key: a consumer that deduplicates on the key sees it once
            valuesByKey.forEach((key, values) -> assertThat(Set.copyOf(values)).as(key).hasSize(1));
            long repeats = all.size() - valuesByKey.size();
            // the sink's rate as the broker saw it: records appended after the restart over the time they took
            long restartedAt = System.currentTimeMillis() - Duration.ofNanos(System.nanoTime() - restarted).toMillis();
            var after = all.stream().mapToLong(ConsumerRecord::timestamp).filter(ts -> ts >= restartedAt).summaryStatistics();
            System.out.printf("KafkaSinkRestartIT: %d records appended after the restart in %d ms (%.0f records/s)%n",
                    after.getCount(), after.getMax() - after.getMin(),
                    after.getCount() * 1000.0 / Math.max(1, after.getMax() - after.getMin()));
            System.out.printf("KafkaSinkRestartIT: %d records, %d in the topic at the kill, %d messages in the end, %d"
                    + " repeated under their key; after the restart all in %.1f s (collection included)%n", ids.size(),
                    atKill, all.size(), repeats, seconds);
            assertThat(atKill).isBetween(1L, (long) ids.size());
            assertThat(repeats).isLessThanOrEqualTo(ids.size());
            assertThat(Files.readString(log)).doesNotContain(secret);
        }
    }

    private static Set<String> keys(KafkaBroker broker) {
        return broker.readAll(TOPIC).stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    }
}
