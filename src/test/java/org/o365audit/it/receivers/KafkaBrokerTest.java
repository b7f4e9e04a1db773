package org.o365audit.it.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test broker takes records, gives them back, and keeps them across a stop and a restart on the same port. */
class KafkaBrokerTest {
    @Test
    void keepsWhatItAcknowledgedAcrossARestart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start("broker-test")) {
            broker.createTopic("t", 2);
            try (var p = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>("t", "k" + i, "v\u00e9" + i)).get(20, TimeUnit.SECONDS);
                }
            }
            assertThat(broker.readAll("t")).extracting(r -> r.key()).containsExactlyInAnyOrder(
                    "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.restart();
            assertThat(broker.count("t")).isEqualTo(10);
            assertThat(broker.readAll("t")).anyMatch(r -> r.value().equals("v\u00e97"));
            assertThat(broker.readAll("absent")).isEmpty();
        }
    }
}
