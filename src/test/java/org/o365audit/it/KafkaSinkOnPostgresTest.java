package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.o365audit.it.receivers.KafkaBroker;
import org.o365audit.simulator.SimBlob;
import org.o365audit.sink.SinkBackoff;
import org.o365audit.sink.SinkPositions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The kafka sink against a real Kafka broker (KRaft, child JVM, started here) reading the store on the real
 * PostgreSQL (schema o365_kafkasink): one message per record keyed by tenant/Id, a filter, a topic per app, a record
 * too large set aside alone, an unknown topic refused until it is created, and a broker outage that holds up no other
 * sink and loses nothing. The outage runs last: it makes every kafka sink back off.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_kafkasink",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_kafkasink",
        "spring.flyway.create-schemas=true",
        "o365.delivery-sequencer-interval=200",
        "o365.sink-refusal-retry=2s",
        "o365.sinks.archive.enabled=true",
        "o365.sinks.archive.type=files",
        "o365.sinks.archive.directory=target/kafka-sink-pg/archive",
        "o365.sinks.archive.roll-millis=500",
        "o365.sinks.archive.poll-millis=200",
        // every record, one topic; a JAAS secret that must never show (PLAINTEXT: the broker does not ask for it)
        "o365.sinks.stream.type=kafka",
        "o365.sinks.stream.topic=o365.all",
        "o365.sinks.stream.max-request-size=60000",
        "o365.sinks.stream.sasl-jaas-config=" + KafkaSinkOnPostgresTest.JAAS,
        "o365.sinks.stream.poll-millis=200",
        "o365.sinks.stream.linger-millis=200",
        "o365.sinks.stream.batch-size=50",
        "o365.sinks.stream.request-timeout-ms=2500",
        "o365.sinks.stream.delivery-timeout-ms=5000",
        "o365.sinks.stream.max-block-ms=3000",
        // Azure AD only
        "o365.sinks.admins.type=kafka",
        "o365.sinks.admins.topic=o365.admins",
        "o365.sinks.admins.filter=${body.app} == 'Azure AD'",
        "o365.sinks.admins.poll-millis=200",
        // a topic per app: "Azure AD" becomes o365.Azure_AD
        "o365.sinks.byapp.type=kafka",
        "o365.sinks.byapp.topic=o365.other",
        "o365.sinks.byapp.topic-expression=o365.${body.app}",
        "o365.sinks.byapp.poll-millis=200",
        // its topic is created only by the test
        "o365.sinks.late.type=kafka",
        "o365.sinks.late.topic=o365.late",
        "o365.sinks.late.max-block-ms=2000",
        "o365.sinks.late.poll-millis=200"})
class KafkaSinkOnPostgresTest extends CollectorTestBase {
    static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"o365\""
            + " password=\"kafka-jaas-secret-Q7w2\";";
    static final KafkaBroker BROKER;
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        Postgres.dropSchema("o365_kafkasink");
        SinkFiles.emptyDirectory("kafka-sink-pg");
        BROKER = KafkaBroker.start("sink-pg");
        for (String topic : List.of("o365.all", "o365.admins", "o365.other", "o365.Exchange", "o365.Azure_AD")) {
            BROKER.createTopic(topic, 3, Map.of("max.message.bytes", "1000000"));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(BROKER::close));
    }

    @Autowired
    SinkPositions positions;
    @Autowired
    SinkBackoff backoff;
    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void brokers(DynamicPropertyRegistry r) {
        for (String sink : List.of("stream", "admins", "byapp", "late")) {
            r.add("o365.sinks." + sink + ".brokers", BROKER::bootstrapServers);
        }
    }

    @Test
    @Order(1)
    void everyRecordArrivesOnceAsItsEnvelopeKeyedByTenantAndIdHostileValuesIncluded() throws Exception {
        TestTenant t = tenant();
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(12, t.id(), created));
        String hostileId = UUID.randomUUID().toString();
        String hostileValue = "control\\u0001 quote\\\" backslash\\\\ newline\\n tab\\t Zoë 東京 🙂 " + "x".repeat(20_000);
        records.add(TestRecords.aadRecord(hostileId, t.id(), created).replace("\"Version\":1",
                "\"Version\":1,\"ExtendedProperties\":\"" + hostileValue + "\",\"Odd\\\"Key\":\"\\u2028\""));
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("kafka-" + t.id(), 1), created, created, records));
        long stored = System.nanoTime();
        start(t);
        awaitStored(t, 13);
        Set<String> ids = storedIds(t);

        await().atMost(Duration.ofSeconds(40)).until(() -> recordsOf("o365.all", t).size() >= 13);
        System.out.printf("kafka sink: %d records stored and delivered in %d ms%n", 13,
                Duration.ofNanos(System.nanoTime() - stored).toMillis());
        List<ConsumerRecord<String, String>> got = recordsOf("o365.all", t);
        assertThat(got).extracting(ConsumerRecord::key).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> t.id() + "/" + id).toList());
        for (ConsumerRecord<String, String> r : got) {
            JsonNode envelope = JSON.readTree(r.value());
            String id = envelope.path("record").path("Id").asText();
            assertThat(r.key()).isEqualTo(t.id() + "/" + id);
            assertThat(envelope.path("tenantId").asText()).isEqualTo(t.id());
            assertThat(header(r, "o365.tenant.id")).isEqualTo(t.id());
            assertThat(header(r, "o365.app")).isEqualTo(envelope.path("app").asText()).isNotBlank();
            assertThat(header(r, "o365.batch.id")).matches("[0-9a-f-]{36}.*");
            assertThat(r.value()).doesNotContain("\n");
        }
        JsonNode hostile = got.stream().map(r -> read(r.value())).filter(e -> e.path("record").path("Id").asText()
                .equals(hostileId)).findFirst().orElseThrow();
        String expected = JSON.readTree("\"" + hostileValue + "\"").asText();
        assertThat(hostile.path("record").path("ExtendedProperties").asText()).isEqualTo(expected)
                .contains("\u0001", "\"", "\\", "\n", "Zoë 東京 🙂");
        assertThat(hostile.path("record").path("Odd\"Key").asText()).isEqualTo("\u2028");
        assertThat(setAsideIds("stream", t)).isEmpty();

        // the JAAS secret is in no endpoint URI nor the route dump
        String uris = camel.getEndpoints().stream().map(e -> e.getEndpointUri() + " " + e).collect(Collectors.joining("\n"));
        assertThat(uris).contains("kafka://o365.all").doesNotContain("kafka-jaas-secret-Q7w2").doesNotContain("PlainLoginModule");
        var routes = new org.apache.camel.model.RoutesDefinition();
        routes.setRoutes(((org.apache.camel.model.ModelCamelContext) camel).getRouteDefinitions());
        String dump = org.apache.camel.support.PluginHelper.getModelToXMLDumper(camel)
                .dumpModelAsXml(camel, routes, true, false, false);
        assertThat(dump).contains("kafkaClientFactory").doesNotContain("kafka-jaas-secret-Q7w2");
    }

    @Test
    @Order(2)
    void onlyTheRecordsTheFilterKeepsArrive() {
        TestTenant t = tenant();
        Map<String, String> apps = collect(t, 7, 4);
        Set<String> aad = apps.entrySet().stream().filter(e -> e.getValue().equals("Azure AD")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(aad).hasSize(4);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(idsIn("o365.admins", t)).containsExactlyInAnyOrderElementsOf(aad);
            assertThat(positions.backlog("admins").records()).isZero();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> idsIn("o365.all", t).size() == 11);
        assertThat(idsIn("o365.admins", t)).hasSize(4);
    }

    @Test
    @Order(3)
    void topicExpressionSendsEachRecordToItsAppsTopicWithALegalName() {
        TestTenant t = tenant();
        Map<String, String> apps = collect(t, 5, 3);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(idsIn("o365.Exchange", t)).containsExactlyInAnyOrderElementsOf(idsOfApp(apps, "Exchange"));
            assertThat(idsIn("o365.Azure_AD", t)).containsExactlyInAnyOrderElementsOf(idsOfApp(apps, "Azure AD"));
        });
        assertThat(idsIn("o365.other", t)).isEmpty();
        assertThat(setAsideIds("byapp", t)).isEmpty();
    }

    @Test
    @Order(4)
    void aRecordTooLargeIsSetAsideAloneAndTheOthersAreDelivered() {
        TestTenant t = tenant();
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(9, t.id(), created));
        String bigId = UUID.randomUUID().toString();
        records.add(4, TestRecords.aadRecord(bigId, t.id(), created).replace("\"Version\":1",
                "\"Version\":1,\"ExtendedProperties\":\"" + "y".repeat(80_000) + "\""));
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("kafka-big-" + t.id(), 1), created, created, records));
        start(t);
        awaitStored(t, 10);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(setAsideIds("stream", t)).containsExactly(bigId);
            assertThat(idsIn("o365.all", t)).hasSize(9).doesNotContain(bigId).doesNotHaveDuplicates();
            assertThat(positions.backlog("stream").records()).isZero();
        });
        assertThat(jdbc.queryForObject("SELECT reason FROM sink_set_aside WHERE sink = 'stream' AND tenant_id = ?",
                String.class, t.id())).contains("kafka", "max.request.size");
        // the other kafka sinks (no such limit) took it
        await().atMost(Duration.ofSeconds(20)).until(() -> idsIn("o365.Azure_AD", t).contains(bigId));
    }

    @Test
    @Order(5)
    void aTopicThatDoesNotExistRefusesTheBatchUntilItIsCreated() {
        TestTenant t = tenant();
        Set<String> ids = collect(t, 3, 1).keySet();
        await().atMost(Duration.ofSeconds(30)).until(() -> backoff.refusal("late") != null);
        assertThat(backoff.refusal("late")).contains("no such topic");
        assertThat(idsIn("o365.late", t)).isEmpty();
        assertThat(setAsideCount("late")).isZero();
        BROKER.createTopic("o365.late", 1);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(idsIn("o365.late", t)).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(backoff.refusal("late")).isNull();
        });
        assertThat(setAsideCount("late")).isZero();
    }

    @Test
    @Order(6)
    void aBrokerThatIsDownHoldsUpNoOtherSinkAndGetsEveryRecordWhenBack() {
        TestTenant t = tenant();
        BROKER.stop();
        Map<String, String> apps;
        try {
            apps = collect(t, 30, 10);
            // the files sink delivers while Kafka is down
            await().atMost(Duration.ofSeconds(40)).until(() -> SinkFiles.lines(Path.of("target/kafka-sink-pg/archive"),
                    t.id()).size() == 40);
            await().atMost(Duration.ofSeconds(30)).until(() -> backoff.failures("stream") > 0);
            assertThat(positions.backlog("stream").records()).isPositive();
        } finally {
            BROKER.restart();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(Set.copyOf(idsIn("o365.all", t))).isEqualTo(apps.keySet());
            assertThat(Set.copyOf(idsIn("o365.admins", t))).isEqualTo(idsOfApp(apps, "Azure AD"));
        });
        // at least once: a repeat can only be a whole record again under the same key
        List<ConsumerRecord<String, String>> all = recordsOf("o365.all", t);
        Map<String, Long> perKey = all.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perKey.keySet()).isEqualTo(apps.keySet().stream().map(id -> t.id() + "/" + id).collect(Collectors.toSet()));
        long repeats = all.size() - perKey.size();
        System.out.printf("kafka sink outage: %d records, %d delivered, %d repeated under their key%n", apps.size(),
                all.size(), repeats);
        assertThat(setAsideIds("stream", t)).isEmpty();
        assertThat(setAsideIds("admins", t)).isEmpty();
    }

    // ---- helpers

    Map<String, String> collect(TestTenant t, int exchange, int aad) {
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(exchange, t.id(), created));
        for (int i = 0; i < aad; i++) {
            records.add(TestRecords.aadRecord(UUID.randomUUID().toString(), t.id(), created.minusSeconds(i)));
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("kafka-" + t.id(), 1), created, created, records));
        start(t);
        awaitStored(t, exchange + aad);
        return jdbc.queryForList("SELECT id, app FROM audit_event WHERE tenant_id = ?", t.id()).stream()
                .collect(Collectors.toMap(m -> (String) m.get("id"), m -> (String) m.get("app")));
    }

    Set<String> storedIds(TestTenant t) {
        return new HashSet<>(jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id()));
    }

    static Set<String> idsOfApp(Map<String, String> apps, String app) {
        return apps.entrySet().stream().filter(e -> e.getValue().equals(app)).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    static List<ConsumerRecord<String, String>> recordsOf(String topic, TestTenant t) {
        return BROKER.readAll(topic).stream().filter(r -> r.key() != null && r.key().startsWith(t.id() + "/")).toList();
    }

    static List<String> idsIn(String topic, TestTenant t) {
        return recordsOf(topic, t).stream().map(r -> r.key().substring(t.id().length() + 1)).toList();
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> setAsideIds(String sink, TestTenant t) {
        return jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = ? AND tenant_id = ?", String.class,
                sink, t.id());
    }

    int setAsideCount(String sink) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = ?", Integer.class, sink);
    }
}
