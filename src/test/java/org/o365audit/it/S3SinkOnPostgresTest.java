package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o365audit.it.receivers.S3Server;
import org.o365audit.ops.SinkOverview;
import org.o365audit.sink.SinkPositions;
import org.o365audit.simulator.SimBlob;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The s3 sink against S3Proxy (a real S3-compatible server in a child JVM, objects on disk under target/s3/), with a
 * files sink next to it, on the real PostgreSQL (schema o365_s3sink). Each test has a tenant of its own and looks
 * only under that tenant's keys.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_s3sink",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_s3sink",
        "spring.flyway.create-schemas=true",
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
        "o365.delivery-sequencer-interval=200",
        "o365.sink-refusal-retry=2s",
        "o365.sinks.files.type=files",
        "o365.sinks.files.directory=target/s3sink-files",
        "o365.sinks.files.roll-millis=500",
        "o365.sinks.files.poll-millis=200",
        "o365.sinks.archive-s3.type=s3",
        "o365.sinks.archive-s3.path-style-access=true",
        "o365.sinks.archive-s3.bucket=" + S3SinkOnPostgresTest.BUCKET,
        "o365.sinks.archive-s3.prefix=/audit/m365/",
        "o365.sinks.archive-s3.access-key=" + S3Server.ACCESS_KEY,
        "o365.sinks.archive-s3.secret-key=" + S3Server.SECRET_KEY,
        "o365.sinks.archive-s3.batch-size=20",
        "o365.sinks.archive-s3.linger-millis=200",
        "o365.sinks.archive-s3.poll-millis=200",
        "o365.sinks.aad-s3.type=s3",
        "o365.sinks.aad-s3.path-style-access=true",
        "o365.sinks.aad-s3.bucket=o365-aad",
        "o365.sinks.aad-s3.create-bucket=true",
        "o365.sinks.aad-s3.access-key=" + S3Server.ACCESS_KEY,
        "o365.sinks.aad-s3.secret-key=" + S3Server.SECRET_KEY,
        "o365.sinks.aad-s3.filter=${body.app} == 'Azure AD'",
        "o365.sinks.aad-s3.linger-millis=200",
        "o365.sinks.aad-s3.poll-millis=200",
        "o365.sinks.wrong-s3.type=s3",
        "o365.sinks.wrong-s3.path-style-access=true",
        "o365.sinks.wrong-s3.bucket=" + S3SinkOnPostgresTest.BUCKET,
        "o365.sinks.wrong-s3.prefix=wrong",
        "o365.sinks.wrong-s3.access-key=" + S3Server.ACCESS_KEY,
        "o365.sinks.wrong-s3.secret-key=" + S3SinkOnPostgresTest.WRONG_SECRET,
        "o365.sinks.wrong-s3.poll-millis=200",
        "o365.sinks.later-s3.type=s3",
        "o365.sinks.later-s3.path-style-access=true",
        "o365.sinks.later-s3.bucket=o365-later",
        "o365.sinks.later-s3.access-key=" + S3Server.ACCESS_KEY,
        "o365.sinks.later-s3.secret-key=" + S3Server.SECRET_KEY,
        "o365.sinks.later-s3.linger-millis=200",
        "o365.sinks.later-s3.poll-millis=200"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3SinkOnPostgresTest extends CollectorTestBase {
    static final String BUCKET = "o365-archive";
    static final String WRONG_SECRET = "not-the-secret-Wq93kZ";
    static final Duration S3_PATIENCE = Duration.ofSeconds(60);
    static final S3Server S3;
    static final Path FILES = Path.of("target", "s3sink-files");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    /** prefix/tenant/app/yyyy/MM/dd/HH/batchId.ndjson.gz */
    private static final Pattern KEY = Pattern.compile(
            "audit/m365/([0-9a-f-]{36})/([A-Za-z0-9._-]+)/(\\d{4}/\\d{2}/\\d{2}/\\d{2})/([0-9a-f-]{36})\\.ndjson\\.gz");

    static {
        Postgres.dropSchema("o365_s3sink");
        SinkFiles.emptyDirectory("s3sink-files");
        S3 = S3Server.start("sink-test").createBucket(BUCKET);
    }

    @Autowired
    SinkOverview overview;
    @Autowired
    CamelContext camel;
    @Autowired
    SinkPositions positions;

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry r) {
        for (String sink : List.of("archive-s3", "aad-s3", "wrong-s3", "later-s3")) {
            r.add("o365.sinks." + sink + ".endpoint", S3::endpoint);
        }
    }

    @AfterAll
    static void stopStore() {
        S3.close();
    }

    @Test
    @Order(3)   // last: the other s3 sinks' back-off after the outage would slow the tests after it
    void theStoreDownHoldsUpNoOtherSinkAndOnceBackEveryRecordIsArchivedOncePerTenantAppAndHour() {
        TestTenant t = tenant();
        Instant hourA = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
        Instant hourB = hourA.plus(Duration.ofHours(1));
        Map<String, String> expected = new HashMap<>();   // Id -> app folder
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(exchange(expected, t, hourA.plusSeconds(120L * i + 30)));
            records.add(exchange(expected, t, hourB.plusSeconds(120L * i + 30)));
        }
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            records.add(TestRecords.aadRecord(id, t.id(), hourB.plusSeconds(600L + i)));
            expected.put(id, "Azure-AD");
        }
        // hostile values: quotes, backslashes, a newline, non-ASCII, a long value (a record holding U+0000 never
        // reaches a sink: the collector quarantines it)
        String hostileId = UUID.randomUUID().toString();
        String hostileValue = "q\"b\\s\nn\tz é漢字🙂 </x> ${body} " + "x".repeat(60_000);
        records.add(hostile(hostileId, t.id(), hourA.plusSeconds(3000), hostileValue));
        expected.put(hostileId, "Exchange");

        S3.stop();
        try {
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("s3-" + t.id(), 1), minutesAgo(5),
                    minutesAgo(5), records));
            start(t);
            // the files sink writes all along; the s3 sink fails and backs off
            await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() ->
                    assertThat(SinkFiles.lines(FILES, t.id())).hasSize(expected.size()));
            await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() -> {
                SinkOverview.SinkState s = overview.get("archive-s3");
                assertThat(s.state()).isEqualTo("failing");
                assertThat(s.failures()).isGreaterThanOrEqualTo(1);
            });
        } finally {
            S3.restart();
        }
        String prefix = "audit/m365/" + t.id() + "/";
        await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() ->
                assertThat(S3.allLines(BUCKET, prefix)).hasSizeGreaterThanOrEqualTo(expected.size()));

        List<String> ids = new ArrayList<>();
        for (String key : S3.keys(BUCKET, prefix)) {
            Matcher m = KEY.matcher(key);
            assertThat(m.matches()).as(key).isTrue();
            HeadObjectResponse head = S3.head(BUCKET, key);
            assertThat(head.contentType()).isEqualTo("application/x-ndjson");
            assertThat(head.contentEncoding()).isEqualTo("gzip");
            for (String line : S3.lines(BUCKET, key)) {
                JsonNode n = read(line);
                String id = n.path("record").path("Id").asText();
                ids.add(id);
                // every line sits under its own tenant, app and creation hour
                assertThat(m.group(1)).isEqualTo(t.id()).isEqualTo(n.path("tenantId").asText());
                assertThat(m.group(2)).isEqualTo(expected.get(id));
                assertThat(m.group(3)).isEqualTo(HOUR.format(Instant.parse(n.path("creationTime").asText())));
                if (id.equals(hostileId)) {
                    assertThat(n.path("record").path("Operation").asText()).isEqualTo(hostileValue);
                }
            }
        }
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(S3.keys(BUCKET, prefix)).anyMatch(k -> k.contains("/Azure-AD/" + HOUR.format(hourB) + "/"))
                .anyMatch(k -> k.contains("/Exchange/" + HOUR.format(hourA) + "/"))
                .anyMatch(k -> k.contains("/Exchange/" + HOUR.format(hourB) + "/"));
        assertThat(setAside("archive-s3", t)).isEmpty();
        await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(overview.get("archive-s3").failures()).isZero());
    }

    @Test
    @Order(1)
    void theFilteredSinkArchivesOnlyWhatItsFilterKeepsInTheBucketItCreated() {
        TestTenant t = tenant();
        Map<String, String> expected = new HashMap<>();
        List<String> records = new ArrayList<>();
        Instant created = minutesAgo(20);
        for (int i = 0; i < 10; i++) {
            records.add(exchange(expected, t, created.minusSeconds(i)));
        }
        Set<String> aad = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            String id = UUID.randomUUID().toString();
            records.add(TestRecords.aadRecord(id, t.id(), created.minusSeconds(i)));
            aad.add(id);
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("s3f-" + t.id(), 1), created, created, records));
        start(t);
        // aad-s3 had no bucket: create-bucket made it
        await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() ->
                assertThat(idsOf(S3.allLines("o365-aad", t.id() + "/"))).containsExactlyInAnyOrderElementsOf(aad));
        await().atMost(S3_PATIENCE).ignoreExceptions().until(() -> overview.get("aad-s3").lagRecords() == 0);
        assertThat(idsOf(S3.allLines("o365-aad", t.id() + "/"))).hasSize(aad.size());
        assertThat(S3.keys("o365-aad", t.id() + "/")).allMatch(k -> k.startsWith(t.id() + "/Azure-AD/"));
        assertThat(setAside("aad-s3", t)).isEmpty();
    }

    @Test
    @Order(2)
    void wrongCredentialsOrAMissingBucketAreRefusedSetNothingAsideAndLoseNothing(CapturedOutput output) {
        TestTenant t = tenant();
        Map<String, String> expected = new HashMap<>();
        List<String> records = new ArrayList<>();
        Instant created = minutesAgo(10);
        for (int i = 0; i < 8; i++) {
            records.add(exchange(expected, t, created.minusSeconds(i)));
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("s3w-" + t.id(), 1), created, created, records));
        start(t);
        await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() -> {
            SinkOverview.SinkState wrong = overview.get("wrong-s3");
            assertThat(wrong.state()).isEqualTo("refused");
            assertThat(wrong.reason()).contains("HTTP 403", "SignatureDoesNotMatch");
            SinkOverview.SinkState later = overview.get("later-s3");
            assertThat(later.state()).isEqualTo("refused");
            assertThat(later.reason()).contains("HTTP 404", "NoSuchBucket", "o365-later");
        });
        await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() ->
                assertThat(S3.allLines(BUCKET, "audit/m365/" + t.id() + "/")).hasSize(records.size()));
        assertThat(S3.keys(BUCKET, "wrong/")).isEmpty();
        // the refused batch stays pending (same id, tried again), the position does not move past it
        assertThat(positions.find("wrong-s3").orElseThrow().pendingBatch()).isNotNull();
        assertThat(overview.get("wrong-s3").delivered()).isZero();
        assertThat(setAside("wrong-s3", t)).isEmpty();
        assertThat(setAside("later-s3", t)).isEmpty();

        // the bucket made: later-s3 resumes by itself and archives every record once
        S3.createBucket("o365-later");
        await().atMost(S3_PATIENCE).ignoreExceptions().untilAsserted(() ->
                assertThat(idsOf(S3.allLines("o365-later", t.id() + "/")))
                        .containsExactlyInAnyOrderElementsOf(expected.keySet()));
        await().atMost(S3_PATIENCE).ignoreExceptions().until(() -> !overview.get("later-s3").state().equals("refused"));
        // the secret keys are in no endpoint, route, log line or refusal
        for (String secret : List.of(S3Server.SECRET_KEY, WRONG_SECRET)) {
            assertThat(camel.getEndpoints()).allSatisfy(e -> assertThat(e.getEndpointUri()).doesNotContain(secret));
            assertThat(camel.getRoutes()).allSatisfy(r -> assertThat(String.valueOf(r.getProperties())).doesNotContain(secret));
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(overview.get("wrong-s3").toString()).doesNotContain(secret);
        }
    }

    private static String exchange(Map<String, String> expected, TestTenant t, Instant created) {
        String id = UUID.randomUUID().toString();
        expected.put(id, "Exchange");
        return TestRecords.record(id, t.id(), created);
    }

    private static String hostile(String id, String tenantId, Instant created, String operation) {
        try {
            String record = TestRecords.record(id, tenantId, created);
            return record.replace("\"Operation\":\"Set-Mailbox\"", "\"Operation\":" + JSON.writeValueAsString(operation));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(line, e);
        }
    }

    private static List<String> idsOf(List<String> lines) {
        return lines.stream().map(l -> read(l).path("record").path("Id").asText()).toList();
    }

    List<String> setAside(String sink, TestTenant t) {
        return jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = ? AND tenant_id = ?", String.class,
                sink, t.id());
    }
}
