package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.FakeLogsIngestion;
import org.o365audit.simulator.SimBlob;
import org.o365audit.sink.SinkBackoff;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The Sentinel sink against a local Logs Ingestion API and Entra ID token endpoint (FakeLogsIngestion), on the real
 * PostgreSQL (schema o365_sentinelsink), next to a files sink that goes on while the API is down.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_sentinelsink",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_sentinelsink",
        "spring.flyway.create-schemas=true",
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
        "o365.sinks.sentinel-files.type=files",
        "o365.sinks.sentinel-files.directory=target/sentinel-sink-files",
        "o365.sinks.sentinel-files.roll-millis=500",
        "o365.sinks.sentinel-files.poll-millis=200",
        "o365.sinks.sentinel.type=sentinel",
        "o365.sinks.sentinel.client-secret=" + SentinelSinkOnPostgresTest.SECRET,
        "o365.sinks.sentinel.batch-size=50",
        "o365.sinks.sentinel.linger-millis=200",
        "o365.sinks.sentinel.poll-millis=200",
        // only Azure AD records, to a DCR of their own, gzipped
        "o365.sinks.sentinel-aad.gzip=true",
        "o365.sinks.sentinel-aad.type=sentinel",
        "o365.sinks.sentinel-aad.client-secret=" + SentinelSinkOnPostgresTest.SECRET,
        "o365.sinks.sentinel-aad.filter=${body.recordTypeName} == 'AzureActiveDirectory'",
        "o365.sinks.sentinel-aad.poll-millis=200",
        "o365.sinks.sentinel-aad.linger-millis=200",
        // a DCR in Azure US Government while the app's token endpoint gives a token for what is asked:
        // the token is for https://monitor.azure.us, which the public cloud's endpoint refuses
        "o365.sinks.sentinel-gov.type=sentinel",
        "o365.sinks.sentinel-gov.cloud=gcc-high",
        "o365.sinks.sentinel-gov.client-secret=" + SentinelSinkOnPostgresTest.SECRET,
        "o365.sinks.sentinel-gov.poll-millis=500",
        "o365.sink-refusal-retry=2s"})
class SentinelSinkOnPostgresTest extends CollectorTestBase {
    static final String SECRET = "sentinel-app-secret-Xq7Lm2";
    static final String DIRECTORY = UUID.randomUUID().toString();
    static final String CLIENT = UUID.randomUUID().toString();
    static final String STREAM = "Custom-O365Audit_CL";
    static final FakeLogsIngestion INGEST = FakeLogsIngestion.start(DIRECTORY, "dcr-" + hex(), STREAM).allow(CLIENT, SECRET);
    static final FakeLogsIngestion INGEST_AAD = FakeLogsIngestion.start(DIRECTORY, "dcr-" + hex(), STREAM).allow(CLIENT, SECRET);
    /** The DCR of the sink whose cloud says Azure US Government. */
    static final FakeLogsIngestion INGEST_GOV = FakeLogsIngestion.start(DIRECTORY, "dcr-" + hex(), STREAM).allow(CLIENT, SECRET);
    static final Duration SINK_PATIENCE = Duration.ofSeconds(40);

    static {
        Postgres.dropSchema("o365_sentinelsink");
        SinkFiles.emptyDirectory("sentinel-sink-files");
    }

    @Autowired
    SinkBackoff backoff;

    @DynamicPropertySource
    static void sinks(DynamicPropertyRegistry r) {
        INGEST.sinkSettings(CLIENT).forEach((k, v) -> r.add("o365.sinks.sentinel." + k, () -> v));
        INGEST_AAD.sinkSettings(CLIENT).forEach((k, v) -> r.add("o365.sinks.sentinel-aad." + k, () -> v));
        INGEST_GOV.sinkSettings(CLIENT).forEach((k, v) -> r.add("o365.sinks.sentinel-gov." + k, () -> v));
    }

    @AfterAll
    static void stopFakes() {
        INGEST.close();
        INGEST_AAD.close();
        INGEST_GOV.close();
    }

    @Test
    void everyRecordArrivesOnceAfterAnOutageWhileTheFilesSinkGoesOn() {
        TestTenant t = tenant();
        Instant created = minutesAgo(30);
        List<String> records = new ArrayList<>(TestRecords.records(40, t.id(), created));
        // hostile values: quotes, backslashes, newlines, non-ASCII, a very long value (U+0000 never gets this far:
        // PostgreSQL cannot store it, the collector quarantines such a record)
        String hostileId = UUID.randomUUID().toString();
        records.add(TestRecords.record(hostileId, t.id(), created).replace("\"Version\":1",
                "\"Version\":1,\"Odd\":\"\\\"q\\\" back\\\\slash\\nline \u00e9\u4e2d\",\"Long\":\""
                        + "y".repeat(70_000) + "\""));
        INGEST.goDown();
        try {
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("sentinel-outage-" + t.id(), 1), created,
                    created, records));
            start(t);
            awaitStored(t, 41);
            await().atMost(SINK_PATIENCE).until(() -> SinkFiles.lines(Path.of("target/sentinel-sink-files"), t.id()).size() == 41);
            await().atMost(SINK_PATIENCE).until(() -> backoff.failures("sentinel") > 0);
            assertThat(INGEST.arrivals(t.id())).isZero();
        } finally {
            INGEST.comeBack();
        }
        await().atMost(SINK_PATIENCE).until(() -> INGEST.distinctRecordIds(t.id()).size() == 41);
        assertThat(INGEST.distinctRecordIds(t.id())).contains(hostileId);
        assertThat(INGEST.duplicates(t.id())).isEmpty();
        assertThat(INGEST.arrivals(t.id())).isEqualTo(41);
        assertThat(setAside("sentinel", t)).isEmpty();
        assertThat(INGEST.undeclaredColumns()).isEmpty();
        assertThat(INGEST.internalErrors()).isEmpty();
    }

    @Test
    void onlyTheRecordsTheFilterKeepsArrive() {
        TestTenant t = tenant();
        Instant created = minutesAgo(20);
        List<String> records = new ArrayList<>(TestRecords.records(12, t.id(), created));
        List<String> aad = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            aad.add(id);
            records.add(TestRecords.aadRecord(id, t.id(), created.minusSeconds(i)));
        }
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("sentinel-filter-" + t.id(), 1), created,
                created, records));
        start(t);
        awaitStored(t, 17);
        await().atMost(SINK_PATIENCE).until(() -> INGEST.distinctRecordIds(t.id()).size() == 17);
        await().atMost(SINK_PATIENCE).until(() -> INGEST_AAD.distinctRecordIds(t.id()).size() >= 5);
        assertThat(INGEST_AAD.distinctRecordIds(t.id())).containsExactlyInAnyOrderElementsOf(aad);
        assertThat(INGEST_AAD.arrivals(t.id())).isEqualTo(5);
        await().atMost(SINK_PATIENCE).until(() -> INGEST_AAD.inFlight() == 0);
        assertThat(INGEST_AAD.calls()).isNotEmpty().allMatch(c -> c.gzip() && c.status() == 204);
        assertThat(INGEST.calls()).noneMatch(FakeLogsIngestion.Call::gzip);
    }

    @Test
    void aThrottledCallWaitsForRetryAfter() {
        TestTenant t = tenant();
        Instant created = minutesAgo(25);
        INGEST.respondWith(429, 1, "3");
        int callsBefore = INGEST.calls().size();
        t.sim().addBlob(blob(t, "sentinel-429-" + t.id(), 1, created, 6));
        start(t);
        await().atMost(SINK_PATIENCE).until(() -> INGEST.distinctRecordIds(t.id()).size() == 6);
        await().atMost(SINK_PATIENCE).until(() -> INGEST.inFlight() == 0);
        List<FakeLogsIngestion.Call> calls = INGEST.calls().subList(callsBefore, INGEST.calls().size());
        int throttled = indexOfStatus(calls, 429);
        assertThat(throttled).isGreaterThanOrEqualTo(0);
        FakeLogsIngestion.Call next = calls.get(throttled + 1);
        // the sink's own back-off after one failure is about 1 s: the 3 s are the API's
        assertThat(Duration.between(calls.get(throttled).at(), next.at())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(next.requestId()).isEqualTo(calls.get(throttled).requestId());
        assertThat(INGEST.duplicates(t.id())).isEmpty();
    }

    @Test
    void aBatchOverOneMegabyteGoesInPartsAndARecordTooLargeAloneIsSetAside() {
        TestTenant t = tenant();
        Instant created = minutesAgo(35);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(TestRecords.record(UUID.randomUUID().toString(), t.id(), created.minusSeconds(i)).replace(
                    "\"Version\":1", "\"Version\":1,\"ExtendedProperties\":\"" + "x".repeat(120_000) + "\""));
        }
        String bigId = UUID.randomUUID().toString();
        records.add(7, TestRecords.record(bigId, t.id(), created).replace("\"Version\":1",
                "\"Version\":1,\"ExtendedProperties\":\"" + "z".repeat(1_100_000) + "\""));
        int callsBefore = INGEST.calls().size();
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("sentinel-big-" + t.id(), 1), created,
                created, records));
        start(t);
        awaitStored(t, 21);
        await().atMost(SINK_PATIENCE).untilAsserted(() -> {
            assertThat(INGEST.distinctRecordIds(t.id())).hasSize(20).doesNotContain(bigId);
            assertThat(setAside("sentinel", t)).containsExactly(bigId);
        });
        await().atMost(SINK_PATIENCE).until(() -> INGEST.inFlight() == 0);
        List<FakeLogsIngestion.Call> calls = INGEST.calls().subList(callsBefore, INGEST.calls().size());
        assertThat(calls).allMatch(c -> c.status() == 204 && c.bytes() <= 1_000_000);
        assertThat(calls.size()).isGreaterThanOrEqualTo(3);
        assertThat(INGEST.duplicates(t.id())).isEmpty();
        assertThat(jdbc.queryForObject("SELECT reason FROM sink_set_aside WHERE sink = 'sentinel' AND record_id = ?",
                String.class, bigId)).contains("bytes as a Logs Ingestion row", "1 MB");
    }

    @Test
    void theTokenIsForAzureMonitorsAudienceAndGoesToTheEndpointOnly() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "sentinel-token-" + t.id(), 1, minutesAgo(15), 3));
        start(t);
        await().atMost(SINK_PATIENCE).until(() -> INGEST.distinctRecordIds(t.id()).size() == 3);
        assertThat(Set.copyOf(INGEST.issuedScopes())).containsExactly("https://monitor.azure.com//.default");
        assertThat(INGEST.authorizationAtLogin()).isEmpty();
        assertThat(INGEST.calls()).allMatch(c -> c.status() != 401);
        // a token for another audience (Azure US Government's) is refused: the sink shows it, nothing is set aside
        await().atMost(SINK_PATIENCE).untilAsserted(() ->
                assertThat(backoff.refusal("sentinel-gov")).contains("HTTP 401", "monitor.azure.us"));
        assertThat(Set.copyOf(INGEST_GOV.issuedScopes())).containsExactly("https://monitor.azure.us//.default");
        assertThat(INGEST_GOV.calls()).isNotEmpty().allMatch(c -> c.status() == 401);
        assertThat(INGEST_GOV.arrivals(t.id())).isZero();
        assertThat(INGEST_GOV.authorizationAtLogin()).isEmpty();
        assertThat(setAside("sentinel-gov", t)).isEmpty();
    }

    List<String> setAside(String sink, TestTenant t) {
        return jdbc.queryForList("SELECT record_id FROM sink_set_aside WHERE sink = ? AND tenant_id = ?", String.class,
                sink, t.id());
    }

    private static int indexOfStatus(List<FakeLogsIngestion.Call> calls, int status) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).status() == status) {
                return i;
            }
        }
        return -1;
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
