package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.Attribute;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.DisableJmx;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o365audit.it.receivers.FakeBulkEndpoint;
import org.o365audit.it.receivers.FakeSplunkHec;
import org.o365audit.it.receivers.Rsyslog;
import org.o365audit.it.receivers.SelfSignedCertificate;
import org.o365audit.it.receivers.WebhookReceiver;
import org.o365audit.simulator.SimBlob;
import org.o365audit.ops.SinkHealth;
import org.o365audit.ops.SinkOverview;
import org.o365audit.ops.StatusController;
import org.o365audit.sink.SinkBackoff;
import org.o365audit.sink.SinkPositions;
import org.springframework.boot.actuate.health.Status;
import org.o365audit.sink.SetAsideResends;
import org.o365audit.sink.SinkBatch;
import org.o365audit.sink.SinkRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The sinks against real local receivers: an HTTPS webhook that checks the HMAC, a fake Splunk HEC and a fake
 * _bulk endpoint that check the wire format and fail on demand, Debian's rsyslog over TCP and TLS, NDJSON
 * files, and a JDBC copy in PostgreSQL. Every sink reads the same store with its own position. Each test
 * has a tenant of its own and looks only at that tenant's records.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
// Camel's MBeans as production registers them (Camel's test support leaves them out by default): the secret scan reads them
@DisableJmx(false)
@TestPropertySource(properties = {
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml,classpath:sink-routes/*.camel.yaml",
        "o365.delivery-sequencer-interval=200",
        "o365.sinks.archive.type=files",
        "o365.sinks.archive.enabled=true",
        "o365.sinks.archive.directory=${test.sinks.dir}/archive",
        "o365.sinks.archive.roll-millis=700",
        "o365.sinks.archive.poll-millis=200",
        "o365.sinks.hook.type=webhook",
        "o365.sinks.hook.secret=" + SinkScenarios.WEBHOOK_SECRET,
        "o365.sinks.hook.batch-size=25",
        "o365.sinks.hook.linger-millis=200",
        "o365.sinks.hook.poll-millis=200",
        "o365.sinks.splunk.type=splunk-hec",
        "o365.sinks.splunk.token=" + SinkScenarios.HEC_TOKEN,
        "o365.sinks.splunk.index=o365",
        "o365.sinks.splunk.batch-size=20",
        "o365.sinks.splunk.poll-millis=200",
        "o365.sinks.elastic.type=elasticsearch",
        "o365.sinks.elastic.index=o365-audit",
        "o365.sinks.elastic.authorization=ApiKey dGVzdDp0ZXN0",
        "o365.sinks.elastic.poll-millis=200",
        // credentials in the URL; trust of a self-signed certificate only through the sink's SSL bundle
        "o365.sinks.elastic-basic.type=elasticsearch",
        "o365.sinks.elastic-basic.index=o365-basic",
        "o365.sinks.elastic-basic.ssl-bundle=receivers",
        "o365.sinks.elastic-basic.poll-millis=200",
        "o365.sinks.syslog-json.type=syslog",
        "o365.sinks.syslog-json.host=127.0.0.1",
        "o365.sinks.syslog-json.poll-millis=200",
        "o365.sinks.syslog-cef.type=syslog",
        "o365.sinks.syslog-cef.host=localhost",
        "o365.sinks.syslog-cef.tls=true",
        "o365.sinks.syslog-cef.format=cef",
        "o365.sinks.syslog-cef.ssl-bundle=rsyslog-pem",
        "o365.sinks.syslog-cef.poll-millis=200",
        "o365.sinks.syslog-leef.type=syslog",
        "o365.sinks.syslog-leef.host=localhost",
        "o365.sinks.syslog-leef.tls=true",
        "o365.sinks.syslog-leef.format=leef",
        "o365.sinks.syslog-leef.ssl-bundle=rsyslog-p12",
        "o365.sinks.syslog-leef.poll-millis=200",
        "o365.sinks.warehouse.type=jdbc",
        "o365.sinks.warehouse.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${o365.test.warehouse-schema}",
        "o365.sinks.warehouse.username=postgres",
        "o365.sinks.warehouse.password=" + SinkScenarios.WAREHOUSE_PASSWORD,   // PostgreSQL here trusts any
        // a receiver whose certificate is trusted (ssl-bundle) but names another host: refused, and accepted by
        // the sink that switches the host name check off
        "o365.sinks.syslog-misnamed.type=syslog",
        "o365.sinks.syslog-misnamed.host=localhost",
        "o365.sinks.syslog-misnamed.tls=true",
        "o365.sinks.syslog-misnamed.ssl-bundle=elsewhere",
        "o365.sinks.syslog-misnamed.poll-millis=200",
        "o365.sinks.syslog-unchecked.type=syslog",
        "o365.sinks.syslog-unchecked.host=localhost",
        "o365.sinks.syslog-unchecked.tls=true",
        "o365.sinks.syslog-unchecked.ssl-bundle=elsewhere",
        "o365.sinks.syslog-unchecked.hostname-verification=false",
        "o365.sinks.syslog-unchecked.poll-millis=200",
        "o365.sinks.warehouse.poll-millis=200",
        "o365.sink-refusal-retry=2s"})
abstract class SinkScenarios extends CollectorTestBase {
    static final String HEC_TOKEN = "7c0ffee0-5ec2-4e7a-9d1b-4ec70ce7a1e5";
    static final String WEBHOOK_SECRET = "whsec_c2luay10ZXN0LXNlY3JldA==";
    static final String CERT_PASSWORD = "cert-pw-7Hq2xM";
    static final String TRUST_STORE_PASSWORD = "tenant-trust-pw-3Vd9";
    static final javax.management.MBeanServer JMX = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    static final Duration SINK_PATIENCE = Duration.ofSeconds(60);
    static final WebhookReceiver WEBHOOK = WebhookReceiver.start("/hook", WEBHOOK_SECRET);
    static final FakeSplunkHec HEC = FakeSplunkHec.start(HEC_TOKEN).allowIndexes("o365");
    static final FakeBulkEndpoint BULK = FakeBulkEndpoint.start().requireAuthorization("ApiKey dGVzdDp0ZXN0");
    static final Rsyslog RSYSLOG = Rsyslog.start();
    /** rsyslog with a certificate for elsewhere.example only. */
    static final Rsyslog RSYSLOG_ELSEWHERE = Rsyslog.start("elsewhere.example", "DNS:elsewhere.example");
    static final String BASIC_USER = "o365writer";
    static final String BASIC_PASSWORD = "Pa55-in-the-url-7Kq";
    static final String WAREHOUSE_PASSWORD = "warehouse-pw-Rm42";
    /** _bulk on a certificate made for this run, which only the elastic-basic sink's SSL bundle trusts. */
    static final SelfSignedCertificate RECEIVER_CERT = SelfSignedCertificate.make(
            Path.of("target", "receiver-certs", UUID.randomUUID().toString()), "localhost", "DNS:localhost,IP:127.0.0.1");
    static final FakeBulkEndpoint BULK_BASIC = FakeBulkEndpoint.start(RECEIVER_CERT.serverContext())
            .requireAuthorization("Basic " + java.util.Base64.getEncoder().encodeToString(
                    (BASIC_USER + ":" + BASIC_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    /** The JDBC sink's target: another database (here a schema of the machine's PostgreSQL). */
    static final org.springframework.jdbc.core.JdbcTemplate WAREHOUSE = new org.springframework.jdbc.core.JdbcTemplate(
            new org.springframework.jdbc.datasource.DriverManagerDataSource(Postgres.URL, "postgres", ""));

    /** The warehouse schema of this test JVM: surefire's forks run the H2 and PostgreSQL classes side by side. */
    static final String WAREHOUSE_SCHEMA = "o365_sink_copy" + System.getProperty("o365.test.fork", "");

    static {
        System.setProperty("o365.test.warehouse-schema", WAREHOUSE_SCHEMA);
        Postgres.dropSchema(WAREHOUSE_SCHEMA);
        Postgres.createSchema(WAREHOUSE_SCHEMA);
    }

    @Autowired
    SinkPositions positions;
    @Autowired
    SetAsideResends resends;
    @Autowired
    SinkBackoff backoff;
    @Autowired
    CamelContext camel;
    @Autowired
    StatusController status;
    @Autowired
    ObjectMapper json;
    @org.springframework.beans.factory.annotation.Value("${test.sinks.dir}")
    Path dir;

    @DynamicPropertySource
    static void receivers(DynamicPropertyRegistry r) {
        r.add("o365.sinks.hook.url", WEBHOOK::url);
        r.add("o365.sinks.splunk.url", HEC::baseUrl);
        r.add("o365.sinks.elastic.url", BULK::baseUrl);
        r.add("o365.sinks.syslog-json.port", () -> String.valueOf(RSYSLOG.tcpPort()));
        r.add("o365.sinks.syslog-cef.port", () -> String.valueOf(RSYSLOG.tlsPort()));
        r.add("o365.sinks.syslog-leef.port", () -> String.valueOf(RSYSLOG.tlsPort()));
        r.add("o365.sinks.syslog-misnamed.port", () -> String.valueOf(RSYSLOG_ELSEWHERE.tlsPort()));
        r.add("o365.sinks.syslog-unchecked.port", () -> String.valueOf(RSYSLOG_ELSEWHERE.tlsPort()));
        r.add("o365.sinks.elastic-basic.url",
                () -> BULK_BASIC.url().replace("https://", "https://" + BASIC_USER + ":" + BASIC_PASSWORD + "@"));
        // the sinks' trust: Spring Boot SSL bundles, PEM and PKCS#12 (rsyslog's certificates are made per run)
        r.add("spring.ssl.bundle.pem.rsyslog-pem.truststore.certificate", () -> "file:" + RSYSLOG.caPem());
        r.add("spring.ssl.bundle.jks.rsyslog-p12.truststore.location",
                () -> "file:" + RSYSLOG.trustStore("rsyslog-trust"));
        r.add("spring.ssl.bundle.jks.rsyslog-p12.truststore.password", () -> "rsyslog-trust");
        r.add("spring.ssl.bundle.jks.rsyslog-p12.truststore.type", () -> "PKCS12");
        r.add("spring.ssl.bundle.pem.elsewhere.truststore.certificate", () -> "file:" + RSYSLOG_ELSEWHERE.caPem());
        r.add("spring.ssl.bundle.pem.receivers.truststore.certificate", () -> "file:" + RECEIVER_CERT.pem());
    }

    /** A tenant with one blob of 20 Exchange records and 10 Azure AD role changes; returns their Ids. */
    Map<String, String> collect(TestTenant t, int exchange, int aad) {
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(exchange, t.id(), created));
        for (int i = 0; i < aad; i++) {
            records.add(TestRecords.aadRecord(UUID.randomUUID().toString(), t.id(), created.minusSeconds(i)));
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("sinks-" + t.id(), 1), created, created, records));
        start(t);
        awaitStored(t, exchange + aad);
        return jdbc.queryForList("SELECT id, app FROM audit_event WHERE tenant_id = ?", t.id()).stream()
                .collect(Collectors.toMap(m -> (String) m.get("id"), m -> (String) m.get("app")));
    }

    @Test
    void everySinkGetsEveryRecordOnce() {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 20, 10);

        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(WEBHOOK.distinctRecordIds(t.id())).containsExactlyInAnyOrderElementsOf(ids.keySet());
            assertThat(idsOf(SinkFiles.lines(dir.resolve("archive"), t.id()))).containsExactlyInAnyOrderElementsOf(ids.keySet());
            assertThat(hecEvents(t)).hasSize(ids.size());
            assertThat(bulkDocuments(t)).hasSize(ids.size());
            assertThat(syslog(t, "CEF:")).hasSize(ids.size());
            assertThat(syslog(t, "LEEF:")).hasSize(ids.size());
            assertThat(syslog(t, "{")).hasSize(ids.size());
            assertThat(warehouseRows(t)).isEqualTo(ids.size());
        });
        assertThat(WEBHOOK.duplicateRecordArrivals()).isZero();
        assertThat(WEBHOOK.rejectedSignatures()).isZero();
        assertThat(idsOf(hecEvents(t).stream().map(e -> e.get("event")).toList()))
                .containsExactlyInAnyOrderElementsOf(ids.keySet());
        assertThat(bulkDocuments(t).keySet()).allMatch(id -> id.matches("[0-9a-f]{64}"));
    }

    @Test
    void filesAreWholeGzippedNdjsonPerTenantAppAndDay() throws IOException {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 6, 3);
        await().atMost(SINK_PATIENCE).until(() -> SinkFiles.lines(dir.resolve("archive"), t.id()).size() == ids.size());
        String tenantName = t.props().getName();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("archive").resolve(tenantName))) {
            files = s.filter(Files::isRegularFile).toList();
        }
        // one file per app and day; every visible file complete and gzipped, nothing half-written
        assertThat(files).allMatch(f -> f.getFileName().toString().matches(tenantName + "_(Exchange|Azure_AD)_\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.ndjson\\.gz"));
        assertThat(files.stream().map(f -> f.getParent().getParent().getFileName().toString()).distinct())
                .containsExactlyInAnyOrder("Exchange", "Azure_AD");
        JsonNode line = SinkFiles.lines(dir.resolve("archive"), t.id()).get(0);
        assertThat(line.path("tenantName").asText()).isEqualTo(tenantName);
        assertThat(line.path("creationTime").asText()).endsWith("Z");
        assertThat(line.path("record").path("Id").asText()).isIn(ids.keySet());
    }

    @Test
    void webhookBatchesAreSignedAndKeepTheirIdAcrossRetries() {
        double failedBefore = failedDeliveries("hook");
        WEBHOOK.respondWith(503, 2);
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 10, 0);
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(WEBHOOK.distinctRecordIds(t.id())).containsExactlyInAnyOrderElementsOf(ids.keySet()));
        assertThat(WEBHOOK.scriptedResponses()).isZero();
        assertThat(WEBHOOK.duplicateRecordArrivals()).isZero();
        assertThat(WEBHOOK.rejectedSignatures()).isZero();
        // both 503s reached the sink (HttpClient's own retry is off); the batch went again under its id
        assertThat(failedDeliveries("hook") - failedBefore).isEqualTo(2);
    }

    @Test
    void aWebhookThatRefusesKeepsTheBatchPendingAndShowsWhyUntilItIsFixed() throws Exception {
        WEBHOOK.answerEveryRequestWith(401);
        TestTenant t = tenant();
        Map<String, String> ids;
        try {
            ids = collect(t, 12, 0);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(sinkAttribute("hook", "State")).isEqualTo("refused");
                assertThat(sinkAttribute("hook", "Reason")).contains("HTTP 401", "rejected by test script");
            });
            // where an operator looks: /api/status, readiness, the metric
            SinkOverview.SinkState shown = sinkOnStatusPage("hook");
            assertThat(shown.state()).isEqualTo("refused");
            assertThat(shown.status()).isEqualTo("error");
            assertThat(shown.message()).contains("HTTP 401", "Nothing is set aside");
            assertThat(sinkHealth.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(sinkHealth.health().getDetails().get("hook"))).contains("refused", "HTTP 401");
            assertThat(meters.find("o365.sink.refused").tag("sink", "hook").gauge().value()).isEqualTo(1.0);
            // each kind of refusal in turn: the reason shown follows the destination's answer
            for (int status : new int[] {403, 404, 301, 400, 422}) {
                WEBHOOK.answerEveryRequestWith(status);
                await().atMost(SINK_PATIENCE).untilAsserted(() ->
                        assertThat(sinkAttribute("hook", "Reason")).contains("HTTP " + status));
                if (status == 301) {
                    assertThat(sinkAttribute("hook", "Reason")).contains("redirect to https://hooks.example.com/v2/o365")
                            .doesNotContain("redirect-secret-token");
                }
            }
            assertThat(setAside("hook", t)).isEmpty();
            assertThat(WEBHOOK.distinctRecordIds(t.id())).isEmpty();
        } finally {
            WEBHOOK.answerNormally();
        }
        // fixed: it resumes by itself, every record once, none set aside
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(WEBHOOK.distinctRecordIds(t.id())).containsExactlyInAnyOrderElementsOf(ids.keySet()));
        assertThat(WEBHOOK.duplicateRecordArrivals()).isZero();
        assertThat(WEBHOOK.alteredRedeliveries()).isEmpty();
        assertThat(setAside("hook", t)).isEmpty();
        assertThat(sinkAttribute("hook", "State")).isNotEqualTo("refused");
        assertThat(sinkAttribute("hook", "Reason")).isEmpty();
        assertThat(meters.find("o365.sink.refused").tag("sink", "hook").gauge().value()).isZero();
    }

    @Test
    void aWebhookAnswering413GetsTheBatchInPartsAndARecordTooLargeAlonesIsSetAside() {
        TestTenant t = tenant();
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(18, t.id(), created));
        String bigId = UUID.randomUUID().toString();
        records.add(9, TestRecords.aadRecord(bigId, t.id(), created).replace("\"Version\":1",
                "\"Version\":1,\"ExtendedProperties\":\"" + "x".repeat(6000) + "\""));
        WEBHOOK.maxBodyBytes(4000);
        int tooLargeBefore = WEBHOOK.tooLargeRequests();
        try {
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("parts-" + t.id(), 1), created, created, records));
            start(t);
            awaitStored(t, 19);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(WEBHOOK.distinctRecordIds(t.id())).hasSize(18).doesNotContain(bigId);
                assertThat(setAside("hook", t)).containsExactly(bigId);
            });
        } finally {
            WEBHOOK.maxBodyBytes(Integer.MAX_VALUE);
        }
        assertThat(WEBHOOK.tooLargeRequests()).isGreaterThan(tooLargeBefore);
        assertThat(WEBHOOK.duplicateRecordArrivals()).isZero();
        assertThat(WEBHOOK.alteredRedeliveries()).isEmpty();
        List<ObjectNode> parts = WEBHOOK.batches().stream().filter(b -> b.path("records").path(0).path("tenantId")
                .asText().equals(t.id())).toList();
        assertThat(parts).hasSizeGreaterThan(1)
                .allMatch(b -> b.path("batchId").asText().matches("[0-9a-f-]{36}-part-\\d+-\\d+"));
        assertThat(jdbc.queryForObject("SELECT reason FROM sink_set_aside WHERE sink = 'hook' AND tenant_id = ?",
                String.class, t.id())).contains("too large", "413");
    }

    @Test
    void bulkRefusedWholeForAConfigurationReasonSetsNothingAside() {
        BULK.failWholeRequests(1, 400);
        BULK.failWholeRequests(1, 404);
        BULK.failWholeRequests(1, 401);
        BULK.failWholeRequests(1, 302);
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 6, 0);
        await().atMost(SINK_PATIENCE).untilAsserted(() -> assertThat(bulkDocuments(t)).hasSize(ids.size()));
        assertThat(setAside("elastic", t)).isEmpty();
    }

    @Test
    void hecGoesOnWhenTheConfirmAfterSettingAsideTheBatchsLastEventFails() {
        TestTenant t = tenant();
        HEC.rejectLastEventOnce(env -> env.path("event").path("OrganizationId").asText().equals(t.id()));
        try (ConfirmFailsOnce fault = ConfirmFailsOnce.arm(jdbc, "splunk")) {
            Map<String, String> ids = collect(t, 12, 0);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(fault.fired()).isTrue();
                assertThat(setAside("splunk", t)).hasSize(1);
                assertThat(hecEvents(t)).hasSize(11);
            });
            // the batch is confirmed after all and what comes next goes out
            TestTenant next = tenant();
            Map<String, String> more = collect(next, 3, 0);
            await().atMost(SINK_PATIENCE).untilAsserted(() ->
                    assertThat(idsOf(hecEvents(next).stream().map(e -> e.get("event")).toList()))
                            .containsExactlyInAnyOrderElementsOf(more.keySet()));
            List<String> indexed = idsOf(hecEvents(t).stream().map(e -> e.get("event")).toList());
            assertThat(indexed).doesNotHaveDuplicates().doesNotContainAnyElementsOf(setAside("splunk", t));
            assertThat(setAside("splunk", t)).hasSize(1).isSubsetOf(ids.keySet());
        }
    }

    @Test
    void aSinkThatIsDownHoldsUpNoOtherAndCatchesUpWhenBack() {
        WEBHOOK.goDown();
        TestTenant t = tenant();
        Map<String, String> ids;
        try {
            ids = collect(t, 15, 5);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(idsOf(SinkFiles.lines(dir.resolve("archive"), t.id()))).hasSize(ids.size());
                assertThat(hecEvents(t)).hasSize(ids.size());
            });
            assertThat(WEBHOOK.distinctRecordIds(t.id())).isEmpty();
        } finally {
            WEBHOOK.comeBack();
        }
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(WEBHOOK.distinctRecordIds(t.id())).containsExactlyInAnyOrderElementsOf(ids.keySet()));
        assertThat(WEBHOOK.duplicateRecordArrivals()).isZero();
    }

    @Test
    void hecInvalidEventIsSetAsideAndTheRestIndexedOnce() {
        TestTenant t = tenant();
        String[] poison = new String[1];
        HEC.rejectEventOnce(env -> env.path("event").path("Id").asText().equals(poison[0]));
        Instant created = minutesAgo(30);
        List<String> records = TestRecords.records(12, t.id(), created);
        String bad = records.get(5);
        poison[0] = bad.substring(bad.indexOf("\"Id\":\"") + 6, bad.indexOf("\"Id\":\"") + 42);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("hec-" + t.id(), 1), created, created, records));
        start(t);
        awaitStored(t, 12);
        await().atMost(SINK_PATIENCE).untilAsserted(() -> assertThat(
                jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = 'splunk' AND tenant_id = ?",
                        String.class, t.id())).containsExactly(poison[0]));
        await().atMost(SINK_PATIENCE).untilAsserted(() -> assertThat(hecEvents(t)).hasSize(11));
        List<String> indexed = idsOf(hecEvents(t).stream().map(e -> e.get("event")).toList());
        assertThat(indexed).doesNotHaveDuplicates().doesNotContain(poison[0]);
        ObjectNode first = hecEvents(t).get(0);
        assertThat(first.path("sourcetype").asText()).isEqualTo("o365:management:activity");
        assertThat(first.path("index").asText()).isEqualTo("o365");
        assertThat(first.path("time").asDouble()).isLessThan(1e11);
    }

    @Test
    void hecTakesSeveralFullBatchesInOneGo() {
        // batch-size 20: 45 records are two full batches and a partial one, claimed in one loop of the route
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 45, 0);
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(idsOf(hecEvents(t).stream().map(e -> e.get("event")).toList()))
                        .containsExactlyInAnyOrderElementsOf(ids.keySet()));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = 'splunk' AND tenant_id = ?",
                Integer.class, t.id())).isZero();
    }

    @Test
    void bulkRetriesThrottledItemsWithoutDuplicatesAndSetsAsideRefusedOnes() {
        TestTenant t = tenant();
        BULK.throttleItems(4);
        BULK.rejectWhen(doc -> doc.path("o365").path("audit").path("Operation").asText().equals("Add member to role.")
                && doc.path("organization").path("id").asText().equals(t.id()));
        try {
            Map<String, String> ids = collect(t, 8, 2);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(bulkDocuments(t)).hasSize(8);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = 'elastic' AND tenant_id = ?",
                        Integer.class, t.id())).isEqualTo(2);
            });
            assertThat(BULK.itemStatuses()).containsKey(429);
            ObjectNode doc = bulkDocuments(t).values().iterator().next();
            assertThat(doc.path("event").path("action").asText()).isEqualTo("Set-Mailbox");
            assertThat(doc.path("event").path("outcome").asText()).isEqualTo("success");
            assertThat(doc.path("user").path("id").asText()).isEqualTo("stinger@contoso.onmicrosoft.com");
            assertThat(doc.path("source").path("ip").asText()).isEqualTo("2a09:bac5:111:105::1a:89");
            assertThat(doc.path("source").path("port").asInt()).isEqualTo(25138);
            assertThat(doc.path("cloud").path("provider").asText()).isEqualTo("azure");
            assertThat(ids).containsKey(doc.path("o365").path("audit").path("Id").asText());
        } finally {
            BULK.rejectWhen(doc -> false);
        }
    }

    @Test
    void syslogCefAndLeefOverTlsCarryTheRecordFieldByField() {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 0, 1);
        String id = ids.keySet().iterator().next();
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(syslog(t, "CEF:")).hasSize(1);
            assertThat(syslog(t, "LEEF:")).hasSize(1);
        });
        String cef = syslog(t, "CEF:").get(0);
        assertThat(cef).matches("^<110>1 \\S+Z \\S+ o365-audit - AUDIT \\[o365@32473 [^\\n]*\\] CEF:0\\|Microsoft\\|Office 365\\|1\\|Add member to role\\.\\|Add member to role\\.\\|3\\|.*");
        String ext = cef.substring(cef.indexOf("|3|") + 3);
        assertThat(ext).contains("externalId=" + id, "deviceExternalId=" + t.id(), "act=Add member to role.",
                "cat=AzureActiveDirectory", "suser=admin@contoso.onmicrosoft.com", "src=203.0.113.7", "spt=51000",
                "cs1Label=RecordType", "cs1=8");
        // in the record: admin=ops|team\ops] -> '=' and '\' escaped, '|' left alone in the extension
        assertThat(ext).contains("admin\\=ops|team\\\\ops]");
        String leef = syslog(t, "LEEF:").get(0);
        String body = leef.substring(leef.indexOf("LEEF:"));
        assertThat(body).startsWith("LEEF:2.0|Microsoft|Office 365|1|Add member to role.|x09|");
        Map<String, String> attrs = leefAttributes(body.substring("LEEF:2.0|Microsoft|Office 365|1|Add member to role.|x09|".length()));
        assertThat(attrs).containsEntry("cat", "AzureActiveDirectory").containsEntry("usrName", "admin@contoso.onmicrosoft.com")
                .containsEntry("src", "203.0.113.7").containsEntry("srcPort", "51000").containsEntry("o365Id", id)
                .containsEntry("domain", "contoso.onmicrosoft.com");
        assertThat(attrs.get("devTime")).matches("\\d{13}");
    }

    @Test
    void filterWrittenInRouteYamlRoutesASubset() {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 7, 4);
        Set<String> aad = ids.entrySet().stream().filter(e -> e.getValue().equals("Azure AD")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        Set<String> exchange = ids.entrySet().stream().filter(e -> e.getValue().equals("Exchange")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(aad).hasSize(4);
        assertThat(exchange).hasSize(7);
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(idsOf(SinkFiles.lines(dir.resolve("admin-files"), t.id()))).containsExactlyInAnyOrderElementsOf(aad);
            assertThat(idsOf(SinkFiles.lines(dir.resolve("mailbox-files"), t.id()))).containsExactlyInAnyOrderElementsOf(exchange);
            // the filtered sinks moved past the records they did not take
            assertThat(positions.backlog("admin-files").records()).isZero();
        });
    }

    @Test
    void aSinkReplayedFromATimeDeliversThoseRecordsAgain() throws Exception {
        TestTenant t = tenant();
        Instant before = Instant.now().minusSeconds(1);
        Map<String, String> ids = collect(t, 5, 0);
        await().atMost(SINK_PATIENCE).until(() -> SinkFiles.lines(dir.resolve("mailbox-files"), t.id()).size() == 5);
        // as an operator does it: the Sink MBean's replayFrom (Hawtio, Jolokia)
        String answer = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("o365audit:type=Sink,name=mailbox-files"), "replayFrom",
                new Object[] {before.toString()}, new String[] {String.class.getName()});
        assertThat(answer).contains("replays from delivery epoch");
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            List<String> lines = idsOf(SinkFiles.lines(dir.resolve("mailbox-files"), t.id()));
            assertThat(lines).hasSize(10);
            assertThat(Set.copyOf(lines)).containsExactlyInAnyOrderElementsOf(ids.keySet());
        });
    }

    // ---- what the receivers hold for one tenant, and what the collector shows

    List<String> setAside(String sink, TestTenant t) {
        return jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = ? AND tenant_id = ?", String.class,
                sink, t.id());
    }

    /** An attribute of the sink's MBean, as Hawtio and Jolokia read it. */
    static String sinkAttribute(String sink, String attribute) throws Exception {
        return String.valueOf(java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                new javax.management.ObjectName("o365audit:type=Sink,name=" + sink), attribute));
    }

    /** The sink as GET /api/status lists it. */
    @SuppressWarnings("unchecked")
    SinkOverview.SinkState sinkOnStatusPage(String sink) {
        return ((List<SinkOverview.SinkState>) statusController.status().get("sinks")).stream()
                .filter(s -> s.name().equals(sink)).findFirst().orElseThrow();
    }

    @Autowired
    StatusController statusController;
    @Autowired
    SinkHealth sinkHealth;
    @Test
    void setAsideRecordsAreSentAgainOnceWhenTheDestinationIsFixed() throws Exception {
        TestTenant t = tenant();
        BULK.rejectWhen(doc -> doc.path("o365").path("audit").path("Operation").asText().equals("Add member to role.")
                && doc.path("organization").path("id").asText().equals(t.id()));
        Map<String, String> ids;
        try {
            ids = collect(t, 3, 3);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(bulkDocuments(t)).hasSize(3);
                assertThat(setAsideIds("elastic", t)).hasSize(3);
            });
        } finally {
            // the mapping is fixed
            BULK.rejectWhen(doc -> false);
        }
        long waiting = jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = 'elastic'", Long.class);
        Map<Integer, Integer> statusesBefore = BULK.itemStatuses();
        // as an operator does it: the Sink MBean's operation (Hawtio, Jolokia), blank times = all
        String answer = resendSetAside("elastic", "", "");
        assertThat(answer).startsWith(waiting + " set-aside record").contains("of sink elastic (set aside at any time) queued");
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(bulkDocuments(t).values().stream().map(d -> d.path("o365").path("audit").path("Id").asText()))
                    .containsExactlyInAnyOrderElementsOf(ids.keySet());
            assertThat(sinkAttribute("elastic", "ResendPending")).isEqualTo("0");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = 'elastic'", Long.class)).isZero();
        assertThat(sinkAttribute("elastic", "SetAside")).isEqualTo("0");
        // each went once: as many creates as records queued, none of them a second time (409)
        Map<Integer, Integer> statuses = BULK.itemStatuses();
        assertThat(statuses.getOrDefault(201, 0) - statusesBefore.getOrDefault(201, 0)).isEqualTo((int) waiting);
        assertThat(statuses.getOrDefault(409, 0)).isEqualTo(statusesBefore.getOrDefault(409, 0));
        // nothing is left to send: a second call queues nothing and nothing goes
        int itemsBefore = BULK.itemsReceived();
        assertThat(resendSetAside("elastic", "", "")).startsWith("0 set-aside records of sink elastic");
        Thread.sleep(1000);
        assertThat(BULK.itemsReceived()).isEqualTo(itemsBefore);
    }

    @Test
    void resendForATimeRangeTakesOnlyThoseAndSetsAsideAgainWhatIsStillRefused() throws Exception {
        Instant start = Instant.now();
        TestTenant early = tenant();
        List<String> e = blobOf(early, 3);
        HEC.rejectEvents(env -> env.path("event").path("Id").asText().equals(e.get(0)));
        start(early);
        await().atMost(SINK_PATIENCE).untilAsserted(() -> assertThat(setAsideIds("splunk", early)).containsExactly(e.get(0)));
        Thread.sleep(20);
        Instant mid = Instant.now();
        Thread.sleep(20);
        TestTenant late = tenant();
        List<String> l = blobOf(late, 6);
        Set<String> refused = Set.of(l.get(1), l.get(3), l.get(5));
        HEC.rejectEvents(env -> refused.contains(env.path("event").path("Id").asText()));
        try {
            start(late);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(setAsideIds("splunk", late)).containsExactlyInAnyOrderElementsOf(refused);
                assertThat(hecEvents(late)).hasSize(3);
            });
            String firstBatch = batchOfSetAside("splunk", l.get(3));
            // l3 is still refused: in the resent batch l1 is taken, l3 refused with code 6, then l5 taken
            HEC.rejectEvents(env -> env.path("event").path("Id").asText().equals(l.get(3)));
            assertThat(resendSetAside("splunk", mid.toString(), "")).startsWith("3 set-aside records of sink splunk (set aside since " + mid + ") queued");
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                assertThat(sinkAttribute("splunk", "ResendPending")).isEqualTo("0");
                assertThat(setAsideIds("splunk", late)).containsExactly(l.get(3));
            });
            assertThat(idsOf(hecEvents(late).stream().map(ev -> ev.get("event")).toList()))
                    .containsExactlyInAnyOrder(l.get(0), l.get(1), l.get(2), l.get(4), l.get(5));
            // set aside again: one row, with the resent batch and a new time
            assertThat(batchOfSetAside("splunk", l.get(3))).isNotEqualTo(firstBatch);
            assertThat(jdbc.queryForObject("SELECT created_at FROM sink_set_aside WHERE sink = 'splunk' AND record_id = ?",
                    java.sql.Timestamp.class, l.get(3)).toInstant()).isAfter(mid);
            // outside the range: untouched
            assertThat(setAsideIds("splunk", early)).containsExactly(e.get(0));
            assertThat(idsOf(hecEvents(early).stream().map(ev -> ev.get("event")).toList())).doesNotContain(e.get(0));
        } finally {
            HEC.rejectEvents(env -> false);
        }
        assertThat(resendSetAside("splunk", start.toString(), mid.toString()))
                .startsWith("1 set-aside record of sink splunk (set aside from " + start + " to " + mid + ") queued");
        assertThat(resendSetAside("splunk", start.toString(), "")).startsWith("1 set-aside record of sink splunk");
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(idsOf(hecEvents(early).stream().map(ev -> ev.get("event")).toList()))
                    .containsExactlyInAnyOrderElementsOf(e);
            assertThat(idsOf(hecEvents(late).stream().map(ev -> ev.get("event")).toList()))
                    .containsExactlyInAnyOrderElementsOf(l);
            assertThat(setAsideIds("splunk", early)).isEmpty();
            assertThat(setAsideIds("splunk", late)).isEmpty();
        });
        assertThat(resendSetAside("splunk", start.toString(), "")).startsWith("0 set-aside records");
    }

    @Test
    void aBatchRefusedAgainAfterACrashIsSetAsideOnce() {
        TestTenant t = tenant();
        collect(t, 2, 0);
        List<SinkRecord> records = jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id())
                .stream().map(id -> new SinkRecord(0, 0, t.id(), t.id(), "Audit.Exchange", id, null, Instant.now(), null,
                        "Exchange", 2, "ExchangeItem", "Send", "u@contoso.com", null, "Exchange", "test", "{}")).toList();
        String sink = "crashing-" + t.id().substring(0, 8);
        // the destination refuses both; the process dies before the confirm; the same batch goes again, refused again
        positions.setAside(sink, "batch-1", records, "mapping error");
        positions.setAside(sink, "batch-1", records, "mapping error");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = ?", Integer.class, sink))
                .isEqualTo(2);
        // another batch (a replay) refusing the same record is a new verdict of its own
        positions.setAside(sink, "batch-2", records.subList(0, 1), "mapping error");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = ?", Integer.class, sink))
                .isEqualTo(3);
    }

    @Test
    void aResendBatchKeepsItsIdUntilConfirmedAndWaitsBehindAPendingBatch() {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 3, 0);
        List<String> r = jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ? ORDER BY delivery_epoch, seq",
                String.class, t.id());
        assertThat(r).hasSize(3).containsExactlyInAnyOrderElementsOf(ids.keySet());
        // "ghost" has no route: the claims below stand for its route before and after a kill -9
        String sink = "ghost-" + t.id().substring(0, 8);
        for (String id : List.of(r.get(0), r.get(0), r.get(1), r.get(2))) {
            jdbc.update("""
                    INSERT INTO sink_set_aside (sink, batch_id, tenant_id, record_id, reason, created_at)
                    VALUES (?, 'first', ?, ?, 'refused', CURRENT_TIMESTAMP)""", sink, t.id(), id);
        }
        assertThat(resends.queue(sink, null, null)).isEqualTo(new SetAsideResends.Queued(4, 0, 0));
        assertThat(resends.queue(sink, null, null)).isEqualTo(new SetAsideResends.Queued(0, 4, 0));
        SinkBatch first = resends.claim(sink, 10);
        // a record set aside twice (replayed and refused again) goes once
        assertThat(first.records()).extracting(SinkRecord::getId).containsExactlyElementsOf(r);
        assertThat(first.redelivery()).isFalse();
        SinkBatch again = resends.claim(sink, 10);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.records()).extracting(SinkRecord::getId).containsExactlyElementsOf(r);
        assertThat(again.redelivery()).isTrue();
        // r1 refused again, r0 taken (Splunk HEC before a bad event): only r2 is left in the batch
        resends.setAsideAgain(sink, first.id(), List.of(again.records().get(1)), "refused again");
        resends.progress(sink, first.id(), List.of(again.records().get(0)));
        SinkBatch rest = resends.claim(sink, 10);
        assertThat(rest.id()).isEqualTo(first.id());
        assertThat(rest.records()).extracting(SinkRecord::getId).containsExactly(r.get(2));
        resends.confirm(sink, first.id());
        assertThat(resends.pending(sink)).isZero();
        assertThat(jdbc.queryForList("SELECT record_id, reason, batch_id FROM sink_set_aside WHERE sink = ?", sink))
                .singleElement().satisfies(row -> assertThat(row.values())
                        .containsExactly(r.get(1), "refused again", first.id()));
        // a pending batch of new records goes first: the resend waits behind it
        assertThat(resends.queue(sink, null, null).queued()).isEqualTo(1);
        jdbc.update("""
                INSERT INTO sink_position (sink, epoch, seq, pending_batch, pending_epoch, pending_seq, delivered, set_aside,
                updated_at) VALUES (?, 0, 0, 'new-records', 0, 0, 0, 0, CURRENT_TIMESTAMP)""", sink);
        assertThat(resends.claim(sink, 10).isEmpty()).isTrue();
        jdbc.update("UPDATE sink_position SET pending_batch = NULL WHERE sink = ?", sink);
        SinkBatch last = resends.claim(sink, 10);
        assertThat(last.records()).extracting(SinkRecord::getId).containsExactly(r.get(1));
        assertThat(last.id()).isNotEqualTo(first.id());
    }

    @Test
    void syslogOverTlsRefusesACertificateNamingAnotherHostAndKeepsTheBatch() {
        TestTenant t = tenant();
        Map<String, String> ids = collect(t, 3, 1);
        // the twin sink without the host name check delivers: the chain is trusted, only the name is wrong
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(syslog(RSYSLOG_ELSEWHERE, t, "{")).hasSize(ids.size()));
        await().atMost(SINK_PATIENCE).until(() -> backoff.failures("syslog-misnamed") > 0);
        // nothing came from the sink that checks the name; its records stay pending, none is set aside
        assertThat(syslog(RSYSLOG_ELSEWHERE, t, "{")).hasSize(ids.size());
        assertThat(positions.backlog("syslog-misnamed").records()).isGreaterThanOrEqualTo(ids.size());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = 'syslog-misnamed'",
                Integer.class)).isZero();
    }

    @Test
    void noConfiguredSecretShowsInJmxRoutesEndpointsTracesLogsOrStatus(CapturedOutput output) throws Exception {
        ObjectName context = camel.getManagementStrategy().getManagementObjectNameStrategy()
                .getObjectNameForCamelContext(camel);
        ObjectName tracer = single("org.apache.camel:context=" + context.getKeyProperty("context") + ",type=tracer,*");
        StringBuilder traced = new StringBuilder();
        TestTenant withSecret = tenant();
        // its own trust store for Microsoft's endpoints, under a password of its own
        withSecret.props().setTrustStore(copyKeyStore(Path.of("src/test/resources/tls/localhost-trust.p12"),
                "simulator", "tenant-trust-" + withSecret.id(), TRUST_STORE_PASSWORD).toString());
        withSecret.props().setTrustStorePassword(TRUST_STORE_PASSWORD);
        TestTenant withCertificate = certificateTenant(CERT_PASSWORD);
        // traced as an operator traces from Hawtio: the HTTP sinks' routes, headers and properties included
        JMX.setAttribute(tracer, new Attribute("TracePattern", "sink-splunk*,sink-elastic*,sink-hook*"));
        JMX.setAttribute(tracer, new Attribute("BodyMaxChars", 1000));
        JMX.setAttribute(tracer, new Attribute("BacklogSize", 1000));
        JMX.setAttribute(tracer, new Attribute("Enabled", true));
        try {
            int n = collect(withSecret, 6, 2).size();
            withCertificate.sim().addBlob(blob(withCertificate, "cert-" + withCertificate.id(), 1, minutesAgo(20), 3));
            start(withCertificate);
            awaitStored(withCertificate, 3);
            await().atMost(SINK_PATIENCE).untilAsserted(() -> {
                traced.append(JMX.invoke(tracer, "dumpAllTracedMessagesAsXml", null, null));
                assertThat(hecEvents(withSecret)).hasSize(n);
                assertThat(bulkDocuments(withSecret)).hasSize(n);
                assertThat(BULK_BASIC.documents("o365-basic").values().stream()
                        .filter(d -> d.path("organization").path("id").asText().equals(withSecret.id()))).hasSize(n);
                assertThat(WEBHOOK.distinctRecordIds(withSecret.id())).hasSize(n);
            });
        } finally {
            JMX.setAttribute(tracer, new Attribute("Enabled", false));
        }
        assertThat(traced).as("the trace holds the HTTP sinks' requests with their headers")
                .contains("services/collector/event", "_bulk", "webhook-signature", "application/x-ndjson");

        Map<String, String> places = new java.util.LinkedHashMap<>();
        places.put("traced messages", traced.toString());
        // as Hawtio's route source shows them: XML, with the placeholders resolved
        places.put("route dump", JMX.invoke(context, "dumpRoutesAsXml", new Object[] {true}, new String[] {"boolean"})
                + "\n" + JMX.invoke(context, "dumpRouteTemplatesAsXml", null, null));
        places.put("endpoint URIs", camel.getEndpoints().stream().map(e -> e.getEndpointUri() + " " + e).toList().toString());
        places.put("MBean attributes", allMBeanAttributes());
        places.put("logs", output.getAll());
        places.put("/api/status", json.writeValueAsString(status.status()));
        assertThat(places.get("route dump")).contains("sink-elastic-basic", "services/collector/event");
        assertThat(places.get("endpoint URIs")).contains(BULK_BASIC.url().substring("https://".length()) + "/_bulk");
        for (String secret : List.of(withSecret.props().getClientSecret(), TRUST_STORE_PASSWORD, CERT_PASSWORD, HEC_TOKEN,
                WEBHOOK_SECRET,
                "dGVzdDp0ZXN0", BASIC_PASSWORD, java.util.Base64.getEncoder().encodeToString(
                        (BASIC_USER + ":" + BASIC_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                WAREHOUSE_PASSWORD)) {
            places.forEach((place, text) -> assertThat(text).as("%s holds a configured secret", place)
                    .doesNotContain(secret));
        }
    }

    /** A tenant that signs in with a certificate, PKCS#12 under {@code password}. */
    TestTenant certificateTenant(String password) throws Exception {
        TestTenant t = tenant();
        Path file = copyKeyStore(Path.of("src/test/resources/certs/client.p12"), "changeit",
                "certificate-tenant-" + t.id(), password);
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        t.sim().registerCertificate(t.props().getClientId(),
                (java.security.cert.X509Certificate) store.getCertificate(store.aliases().nextElement()));
        t.props().setClientSecret(null);
        t.props().setCertificatePath(file.toString());
        t.props().setCertificatePassword(password);
        return t;
    }

    /** A PKCS#12 copy of {@code source} (keys and certificates) under {@code password}, in the test's directory. */
    Path copyKeyStore(Path source, String sourcePassword, String name, String password) throws Exception {
        java.security.KeyStore original = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(source)) {
            original.load(in, sourcePassword.toCharArray());
        }
        java.security.KeyStore copy = java.security.KeyStore.getInstance("PKCS12");
        copy.load(null, null);
        for (String alias : java.util.Collections.list(original.aliases())) {
            if (original.isKeyEntry(alias)) {
                copy.setKeyEntry(alias, original.getKey(alias, sourcePassword.toCharArray()), password.toCharArray(),
                        original.getCertificateChain(alias));
            } else {
                copy.setCertificateEntry(alias, original.getCertificate(alias));
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".p12");
        try (var out = Files.newOutputStream(file)) {
            copy.store(out, password.toCharArray());
        }
        return file;
    }

    static ObjectName single(String pattern) throws Exception {
        Set<ObjectName> names = JMX.queryNames(new ObjectName(pattern), null);
        assertThat(names).as(pattern).hasSize(1);
        return names.iterator().next();
    }

    /** Every readable attribute of every MBean on the platform MBean server, as Hawtio's JMX tab can show it. */
    static String allMBeanAttributes() throws Exception {
        StringBuilder all = new StringBuilder();
        for (ObjectName n : JMX.queryNames(null, null)) {
            all.append(n).append('\n');
            for (var a : JMX.getMBeanInfo(n).getAttributes()) {
                try {
                    all.append(a.getName()).append('=').append(a.isReadable() ? JMX.getAttribute(n, a.getName()) : "")
                            .append('\n');
                } catch (Exception | LinkageError unreadable) {
                    // some platform attributes are not supported on this JVM
                }
            }
        }
        return all.toString();
    }

    // ---- what the receivers hold for one tenant

    /** A blob of n Exchange records for the tenant, not collected yet; their Ids in order. */
    List<String> blobOf(TestTenant t, int n) {
        Instant created = minutesAgo(30);
        List<String> records = TestRecords.records(n, t.id(), created);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("resend-" + t.id(), 1), created, created, records));
        return records.stream().map(raw -> {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw).path("Id").asText();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    List<String> setAsideIds(String sink, TestTenant t) {
        return jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = ? AND tenant_id = ?", String.class,
                sink, t.id());
    }

    String batchOfSetAside(String sink, String recordId) {
        return jdbc.queryForObject("SELECT batch_id FROM sink_set_aside WHERE sink = ? AND record_id = ?", String.class,
                sink, recordId);
    }

    static String resendSetAside(String sink, String from, String to) throws Exception {
        return (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("o365audit:type=Sink,name=" + sink), "resendSetAside",
                new Object[] {from, to}, new String[] {String.class.getName(), String.class.getName()});
    }


    List<ObjectNode> hecEvents(TestTenant t) {
        return HEC.events().stream().filter(e -> e.path("event").path("OrganizationId").asText().equals(t.id())).toList();
    }

    Map<String, ObjectNode> bulkDocuments(TestTenant t) {
        return BULK.documents("o365-audit").entrySet().stream()
                .filter(e -> e.getValue().path("organization").path("id").asText().equals(t.id()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<String> syslog(TestTenant t, String messageStart) {
        return syslog(RSYSLOG, t, messageStart);
    }

    static List<String> syslog(Rsyslog rsyslog, TestTenant t, String messageStart) {
        return rsyslog.lines().stream().filter(l -> l.contains(t.id()))
                .filter(l -> {
                    int sd = l.indexOf("] ");
                    String msg = sd < 0 ? "" : l.substring(sd + 2).replace("\uFEFF", "");
                    return msg.startsWith(messageStart);
                }).toList();
    }

    int warehouseRows(TestTenant t) {
        try {
            return WAREHOUSE.queryForObject("SELECT COUNT(*) FROM " + WAREHOUSE_SCHEMA + ".o365_audit_record WHERE tenant_id = ?",
                    Integer.class, t.id());
        } catch (RuntimeException notThereYet) {
            return 0;
        }
    }

    double failedDeliveries(String sink) {
        return meters.find("o365.sink.deliveries.failed").tag("sink", sink).counter().count();
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    static Map<String, String> leefAttributes(String tail) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        // rsyslog writes the tab delimiter as #011 (parser.escapeControlCharactersOnReceive)
        for (String kv : tail.split("#011")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    static List<String> idsOf(List<? extends JsonNode> records) {
        return records.stream().map(r -> r.has("record") ? r.path("record").path("Id").asText() : r.path("Id").asText())
                .toList();
    }
}
