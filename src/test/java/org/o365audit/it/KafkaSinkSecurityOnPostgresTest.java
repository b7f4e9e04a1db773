package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.o365audit.it.receivers.KafkaBroker;
import org.o365audit.it.receivers.SelfSignedCertificate;
import org.o365audit.ops.SinkOverview;
import org.o365audit.ops.StatusController;
import org.o365audit.simulator.SimBlob;
import org.o365audit.sink.SinkBackoff;
import org.o365audit.sink.SinkPositions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The kafka sink's TLS and SASL settings against a real Kafka broker (KRaft, child JVM) with a SASL_SSL listener:
 * SASL PLAIN, a certificate made for the run that no JVM trust store holds. One sink trusts it through a Spring Boot
 * SSL bundle, one through a PKCS#12 trust store file under a secret password, one has a wrong SASL password and must
 * show as refused with nothing set aside. None of the secrets shows in an endpoint URI, the route dump, the log or
 * /api/status. Store on the real PostgreSQL, schema o365_kafkasec.
 */
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_kafkasec",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_kafkasec",
        "spring.flyway.create-schemas=true",
        "o365.delivery-sequencer-interval=200",
        "o365.sink-refusal-retry=2s",
        // SASL_SSL, PLAIN, the broker's certificate trusted through a Spring Boot SSL bundle
        "o365.sinks.secure.type=kafka",
        "o365.sinks.secure.topic=o365.secure",
        "o365.sinks.secure.security-protocol=SASL_SSL",
        "o365.sinks.secure.sasl-mechanism=PLAIN",
        "o365.sinks.secure.sasl-jaas-config=" + KafkaSinkSecurityOnPostgresTest.JAAS,
        "o365.sinks.secure.ssl-bundle=kafka-ca",
        "o365.sinks.secure.poll-millis=200",
        "o365.sinks.secure.linger-millis=200",
        "o365.sinks.secure.max-block-ms=5000",
        // SASL_SSL, trusted through a PKCS#12 trust store file under a secret password
        "o365.sinks.trustfile.type=kafka",
        "o365.sinks.trustfile.topic=o365.trustfile",
        "o365.sinks.trustfile.security-protocol=SASL_SSL",
        "o365.sinks.trustfile.sasl-jaas-config=" + KafkaSinkSecurityOnPostgresTest.JAAS,
        "o365.sinks.trustfile.ssl-truststore-password=" + KafkaSinkSecurityOnPostgresTest.TRUST_PASSWORD,
        "o365.sinks.trustfile.poll-millis=200",
        "o365.sinks.trustfile.linger-millis=200",
        "o365.sinks.trustfile.max-block-ms=5000",
        // the right certificate, the wrong password
        "o365.sinks.badpass.type=kafka",
        "o365.sinks.badpass.topic=o365.badpass",
        "o365.sinks.badpass.security-protocol=SASL_SSL",
        "o365.sinks.badpass.sasl-jaas-config=" + KafkaSinkSecurityOnPostgresTest.WRONG_JAAS,
        "o365.sinks.badpass.ssl-bundle=kafka-ca",
        "o365.sinks.badpass.poll-millis=200",
        "o365.sinks.badpass.max-block-ms=5000",
        // the right password, no trust of the broker's certificate (the JVM's trust store): failing, not refused
        "o365.sinks.notrust.type=kafka",
        "o365.sinks.notrust.topic=o365.badpass",
        "o365.sinks.notrust.security-protocol=SASL_SSL",
        "o365.sinks.notrust.sasl-jaas-config=" + KafkaSinkSecurityOnPostgresTest.JAAS,
        "o365.sinks.notrust.poll-millis=200",
        "o365.sinks.notrust.max-block-ms=3000"})
class KafkaSinkSecurityOnPostgresTest extends CollectorTestBase {
    static final String PASSWORD = "kafka-sasl-secret-Hn4v";
    static final String WRONG_PASSWORD = "kafka-wrong-secret-Pq8d";
    static final String TRUST_PASSWORD = "kafka-trust-secret-Wc5m";
    static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"o365\""
            + " password=\"" + PASSWORD + "\";";
    static final String WRONG_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"o365\" password=\"" + WRONG_PASSWORD + "\";";
    static final SelfSignedCertificate CERTIFICATE;
    static final Path TRUST_STORE;
    static final KafkaBroker BROKER;
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        Postgres.dropSchema("o365_kafkasec");
        Path dir = Path.of("target", "kafka-sec").toAbsolutePath();
        SinkFiles.emptyDirectory("kafka-sec");
        CERTIFICATE = SelfSignedCertificate.make(dir.resolve("tls"), "127.0.0.1", "IP:127.0.0.1,DNS:localhost");
        TRUST_STORE = CERTIFICATE.trustStore(TRUST_PASSWORD);
        BROKER = KafkaBroker.startSaslSsl("sec", CERTIFICATE, Map.of("o365", PASSWORD));
        for (String topic : List.of("o365.secure", "o365.trustfile", "o365.badpass")) {
            BROKER.createTopic(topic, 2);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(BROKER::close));
    }

    @Autowired
    SinkPositions positions;
    @Autowired
    SinkBackoff backoff;
    @Autowired
    CamelContext camel;
    @Autowired
    StatusController status;
    @Autowired
    ObjectMapper json;

    @DynamicPropertySource
    static void brokers(DynamicPropertyRegistry r) {
        for (String sink : List.of("secure", "trustfile", "badpass", "notrust")) {
            r.add("o365.sinks." + sink + ".brokers", BROKER::saslSslBootstrapServers);
        }
        r.add("spring.ssl.bundle.pem.kafka-ca.truststore.certificate", () -> "file:" + CERTIFICATE.pem());
        r.add("o365.sinks.trustfile.ssl-truststore-location", TRUST_STORE::toString);
    }

    @Test
    @Order(1)
    void everyRecordArrivesOverSaslSslKeyedByTenantAndIdWithItsEnvelope() throws Exception {
        TestTenant t = tenant();
        Map<String, String> apps = collect(t, 6, 2);
        Set<String> keys = apps.keySet().stream().map(id -> t.id() + "/" + id).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(recordsOf("o365.secure", t)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrderElementsOf(keys);
            assertThat(recordsOf("o365.trustfile", t)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrderElementsOf(keys);
        });
        for (ConsumerRecord<String, String> r : recordsOf("o365.secure", t)) {
            JsonNode envelope = JSON.readTree(r.value());
            assertThat(r.key()).isEqualTo(t.id() + "/" + envelope.path("record").path("Id").asText());
            assertThat(envelope.path("tenantId").asText()).isEqualTo(t.id());
            assertThat(envelope.path("app").asText()).isEqualTo(apps.get(envelope.path("record").path("Id").asText()));
        }
        assertThat(setAsideCount("secure")).isZero();
        assertThat(setAsideCount("trustfile")).isZero();
        assertThat(backoff.refusal("secure")).isNull();
        assertThat(backoff.refusal("trustfile")).isNull();
    }

    @Test
    @Order(2)
    void aWrongSaslPasswordIsRefusedNothingSetAsideTheBatchWaits() {
        TestTenant t = tenant();
        collect(t, 3, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> backoff.refusal("badpass") != null);
        assertThat(backoff.refusal("badpass")).contains("SASL");
        SinkOverview.SinkState shown = sinkOnStatusPage("badpass");
        assertThat(shown.state()).isEqualTo("refused");
        assertThat(setAsideCount("badpass")).isZero();
        assertThat(positions.backlog("badpass").records()).isPositive();
        // a certificate the sink does not trust: a TLS failure, retried (failing), not a setting refused
        await().atMost(Duration.ofSeconds(30)).until(() -> backoff.failures("notrust") > 0);
        assertThat(backoff.refusal("notrust")).isNull();
        assertThat(sinkOnStatusPage("notrust").state()).isNotEqualTo("refused");
        assertThat(setAsideCount("notrust")).isZero();
        assertThat(BROKER.count("o365.badpass")).isZero();
        // the sinks with the right password deliver meanwhile
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf("o365.secure", t).size() == 4);
    }

    @Test
    @Order(3)
    void noSecretShowsInEndpointUrisRouteDumpLogsOrStatus(CapturedOutput output) throws Exception {
        Map<String, String> places = new LinkedHashMap<>();
        places.put("endpoint URIs", camel.getEndpoints().stream().map(e -> e.getEndpointUri() + " " + e)
                .collect(Collectors.joining("\n")));
        var routes = new org.apache.camel.model.RoutesDefinition();
        routes.setRoutes(((org.apache.camel.model.ModelCamelContext) camel).getRouteDefinitions());
        places.put("route dump", org.apache.camel.support.PluginHelper.getModelToXMLDumper(camel)
                .dumpModelAsXml(camel, routes, true, false, false));
        places.put("logs", output.getAll());
        places.put("/api/status", json.writeValueAsString(status.status()));
        assertThat(places.get("endpoint URIs")).contains("securityProtocol=SASL_SSL", TRUST_STORE.getFileName().toString());
        assertThat(places.get("route dump")).contains("kafkaClientFactory", "securityProtocol");
        assertThat(places.get("/api/status")).contains("badpass", "refused");
        for (String secret : List.of(PASSWORD, WRONG_PASSWORD, TRUST_PASSWORD, "PlainLoginModule")) {
            places.forEach((place, text) -> assertThat(text).as("%s holds a configured secret", place)
                    .doesNotContain(secret));
        }
    }

    // ---- helpers

    Map<String, String> collect(TestTenant t, int exchange, int aad) {
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(exchange, t.id(), created));
        for (int i = 0; i < aad; i++) {
            records.add(TestRecords.aadRecord(UUID.randomUUID().toString(), t.id(), created.minusSeconds(i)));
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("kafkasec-" + t.id(), 1), created, created,
                records));
        start(t);
        awaitStored(t, exchange + aad);
        return jdbc.queryForList("SELECT id, app FROM audit_event WHERE tenant_id = ?", t.id()).stream()
                .collect(Collectors.toMap(m -> (String) m.get("id"), m -> (String) m.get("app")));
    }

    static List<ConsumerRecord<String, String>> recordsOf(String topic, TestTenant t) {
        return BROKER.readAll(topic).stream().filter(r -> r.key() != null && r.key().startsWith(t.id() + "/")).toList();
    }

    @SuppressWarnings("unchecked")
    SinkOverview.SinkState sinkOnStatusPage(String sink) {
        return ((List<SinkOverview.SinkState>) status.status().get("sinks")).stream()
                .filter(s -> s.name().equals(sink)).findFirst().orElseThrow();
    }

    int setAsideCount(String sink) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = ?", Integer.class, sink);
    }
}
