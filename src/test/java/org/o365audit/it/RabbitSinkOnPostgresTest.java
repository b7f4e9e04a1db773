package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.o365audit.config.TenantProperties;
import org.o365audit.it.faults.BlobBody;
import org.o365audit.it.faults.Element;
import org.o365audit.it.faults.Expectation;
import org.o365audit.it.faults.HostileRecords;
import org.o365audit.it.faults.TcpProxy;
import org.o365audit.it.receivers.RabbitQueue;
import org.o365audit.simulator.SimBlob;
import org.o365audit.sink.SinkBackoff;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The RabbitMQ sink against the machine's real RabbitMQ (127.0.0.1:5672), the store on PostgreSQL (schema
 * o365_rabbitsink). Sink "rabbit" reaches the broker through a TCP proxy the outage test cuts; "rabbit-aad" keeps
 * only Azure AD records; "rabbit-unroutable" publishes to an exchange no queue is bound to until the test binds one.
 * Exchanges carry a random part, so parallel runs never share one; each test looks at its own tenant only.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_rabbitsink",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_rabbitsink",
        "spring.flyway.create-schemas=true",
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
        "o365.sink-refusal-retry=2s",
        "o365.sinks.rabbit-files.type=files",
        "o365.sinks.rabbit-files.directory=target/rabbitsink-pg/files",
        "o365.sinks.rabbit-files.roll-millis=500",
        "o365.sinks.rabbit-files.poll-millis=200",
        "o365.sinks.rabbit.type=rabbitmq",
        "o365.sinks.rabbit.username=guest",
        "o365.sinks.rabbit.password=" + RabbitSinkOnPostgresTest.PASSWORD,
        "o365.sinks.rabbit.routing-key=o365.${body.app}.${body.tenantId}.${body.operation}",
        "o365.sinks.rabbit.batch-size=40",
        "o365.sinks.rabbit.poll-millis=200",
        "o365.sinks.rabbit-aad.type=rabbitmq",
        "o365.sinks.rabbit-aad.host=127.0.0.1",
        "o365.sinks.rabbit-aad.filter=${body.app} == 'Azure AD'",
        "o365.sinks.rabbit-aad.poll-millis=200",
        "o365.sinks.rabbit-unroutable.type=rabbitmq",
        "o365.sinks.rabbit-unroutable.host=127.0.0.1",
        "o365.sinks.rabbit-unroutable.filter=${body.tenantName} starts with 'unroutable-'",
        "o365.sinks.rabbit-unroutable.routing-key=o365.${body.tenantId}",
        "o365.sinks.rabbit-unroutable.batch-size=7",
        "o365.sinks.rabbit-unroutable.poll-millis=200"})
class RabbitSinkOnPostgresTest extends CollectorTestBase {
    /** RabbitMQ's guest password: it must reach the broker through the sink's own connection factory only. */
    static final String PASSWORD = "guest";
    static final Duration SINK_PATIENCE = Duration.ofSeconds(60);
    static final TcpProxy PROXY;
    /** Everything sink "rabbit" publishes, and everything sink "rabbit-aad" publishes. */
    static final RabbitQueue ALL;
    static final RabbitQueue AAD;
    static final String UNROUTABLE_EXCHANGE = RabbitQueue.exchangeName("o365-test-unroutable");

    static {
        Postgres.dropSchema("o365_rabbitsink");
        SinkFiles.emptyDirectory("rabbitsink-pg");
        try {
            PROXY = TcpProxy.to(RabbitQueue.HOST, RabbitQueue.PORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ALL = RabbitQueue.bind(RabbitQueue.exchangeName("o365-test-all"), "#");
        AAD = RabbitQueue.bind(RabbitQueue.exchangeName("o365-test-aad"), "#");
    }

    @Autowired
    SinkBackoff backoff;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry r) {
        r.add("o365.sinks.rabbit.addresses", () -> "127.0.0.1:" + PROXY.port());
        r.add("o365.sinks.rabbit.exchange", ALL::exchange);
        r.add("o365.sinks.rabbit-aad.exchange", AAD::exchange);
        r.add("o365.sinks.rabbit-unroutable.exchange", () -> UNROUTABLE_EXCHANGE);
    }

    @AfterAll
    static void closeBroker() {
        ALL.close();
        AAD.close();
        PROXY.close();
    }

    @Test
    void aBrokerOutageLosesNothingWhileTheFilesSinkGoesOnAndEveryRecordArrivesOnceWhenBack() {
        TestTenant t = tenant();
        PROXY.cut();
        Map<String, String> ids;
        try {
            ids = collect(t, 30, 0);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(SinkFiles.lines(Path.of("target/rabbitsink-pg/files"), t.id())).hasSize(ids.size());
                assertThat(backoff.failures("rabbit")).isPositive();
            });
            assertThat(ALL.forTenant(t.id())).isEmpty();
        } finally {
            PROXY.restore();
        }
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(RabbitQueue.recordIds(ALL.forTenant(t.id()))).containsExactlyInAnyOrderElementsOf(ids.keySet()));
        List<RabbitQueue.Received> got = ALL.forTenant(t.id());
        assertThat(got).hasSize(ids.size());
        assertThat(RabbitQueue.arrivals(got).values()).allMatch(n -> n == 1);
        assertThat(setAside("rabbit", t)).isEmpty();
        // the message as consumers see it: persistent JSON, id to deduplicate on, the routing key from the expression
        RabbitQueue.Received m = got.get(0);
        String recordId = m.json().path("record").path("Id").asText();
        assertThat(m.messageId()).isEqualTo(t.id() + "/" + recordId);
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.deliveryMode()).isEqualTo(2);
        assertThat(m.routingKey()).isEqualTo("o365.Exchange." + t.id() + ".Set-Mailbox");
        assertThat(m.header("o365-app")).isEqualTo("Exchange");
        assertThat(m.header("o365-batch-id")).isNotBlank();
        assertThat(m.json().path("tenantId").asText()).isEqualTo(t.id());
    }

    @Test
    void onlyTheRecordsTheFilterKeepsArrive() {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 6, 4);
        Set<String> aad = ids.entrySet().stream().filter(e -> e.getValue().equals("Azure AD")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(aad).hasSize(4);
        // the unfiltered sink has them all: the filtered one has been past them too
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(RabbitQueue.recordIds(ALL.forTenant(t.id()))).containsExactlyInAnyOrderElementsOf(ids.keySet());
            assertThat(RabbitQueue.recordIds(AAD.forTenant(t.id()))).containsExactlyInAnyOrderElementsOf(aad);
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(AAD.forTenant(t.id())).hasSize(aad.size()));
        assertThat(AAD.forTenant(t.id())).allMatch(m -> m.routingKey().equals("o365.Azure_AD"));
    }

    @Test
    void anUnroutableMessageRefusesTheBatchAndNothingIsLostOnceAQueueIsBound() {
        String id = UUID.randomUUID().toString();
        TenantProperties p = SimulatedTenants.register(MICROSOFT, id, "unroutable-" + id.substring(0, 8), List.of(EXCHANGE));
        TestTenant t = new TestTenant(id, MICROSOFT.tenant(id), p);
        Map<String, String> ids = collect(t, 20, 0);
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(backoff.refusal("rabbit-unroutable")).contains("unroutable", UNROUTABLE_EXCHANGE));
        assertThat(setAside("rabbit-unroutable", t)).isEmpty();
        try (RabbitQueue bound = RabbitQueue.alsoBind(UNROUTABLE_EXCHANGE, "o365.#")) {
            await().atMost(SINK_PATIENCE).untilAsserted(() ->
                    assertThat(RabbitQueue.recordIds(bound.forTenant(t.id()))).containsExactlyInAnyOrderElementsOf(ids.keySet()));
            assertThat(RabbitQueue.arrivals(bound.forTenant(t.id())).values()).allMatch(n -> n == 1);
            assertThat(bound.forTenant(t.id())).allMatch(m -> m.routingKey().equals("o365." + t.id()));
        }
        assertThat(backoff.refusal("rabbit-unroutable")).isNull();
        assertThat(setAside("rabbit-unroutable", t)).isEmpty();
    }

    @Test
    void hostileValuesInRecordsAndRoutingKeysBreakNoBatch() {
        TestTenant t = tenant();
        List<Element> hostile = HostileRecords.textCases(t.id(), 20261205L).stream()
                .filter(e -> e.expectation() == Expectation.STORED).toList();
        BlobBody body = BlobBody.of(hostile);
        Instant created = minutesAgo(40);
        t.sim().addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("rabbit-hostile-" + t.id(), 1), created, created,
                body.bytes()));
        start(t);
        awaitStored(t, body.expectedStoredIds().size());
        List<String> stored = jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id());
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(RabbitQueue.recordIds(ALL.forTenant(t.id()))).containsExactlyInAnyOrderElementsOf(stored));
        List<RabbitQueue.Received> got = ALL.forTenant(t.id());
        assertThat(got).allMatch(m -> m.routingKey().matches("[A-Za-z0-9._-]{1,255}"));
        assertThat(got).anyMatch(m -> m.routingKey().length() == 255);
        assertThat(setAside("rabbit", t)).isEmpty();
    }

    /** A tenant with {@code exchange} Exchange records and {@code aad} Azure AD role changes; their Ids and apps. */
    Map<String, String> collect(TestTenant t, int exchange, int aad) {
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(exchange, t.id(), created));
        for (int i = 0; i < aad; i++) {
            records.add(TestRecords.aadRecord(UUID.randomUUID().toString(), t.id(), created.minusSeconds(i)));
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("rabbit-" + t.id(), 1), created, created, records));
        start(t);
        awaitStored(t, exchange + aad);
        return jdbc.queryForList("SELECT id, app FROM audit_event WHERE tenant_id = ?", t.id()).stream()
                .collect(Collectors.toMap(m -> (String) m.get("id"), m -> (String) m.get("app")));
    }

    List<String> setAside(String sink, TestTenant t) {
        return jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = ? AND tenant_id = ?", String.class,
                sink, t.id());
    }
}
