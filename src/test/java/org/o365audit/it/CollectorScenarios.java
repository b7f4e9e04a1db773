package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.o365audit.Application;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.SubscriptionState;
import org.o365audit.simulator.TestTls;
import org.o365audit.simulator.ThrottleStyle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The collector's Management Activity API behaviours end to end (see {@link CollectorTestBase}).
 * Subclasses pick the database.
 */
abstract class CollectorScenarios extends CollectorTestBase {

    @Test
    void pagesThroughEveryListingPageToTheEnd() {
        TestTenant t = tenant();
        t.sim().pageSize(20);
        for (int i = 0; i < 250; i++) {
            t.sim().addBlob(blob(t, "paging", i, minutesAgo(300 - i), 2));
        }
        start(t);
        awaitStored(t, 500);
        assertThat(ledgered(t)).isEqualTo(250);
        List<RecordedRequest> pages = apiCalls(t, "/subscriptions/content").stream()
                .filter(r -> r.query().containsKey("nextPage")).toList();
        assertThat(pages).hasSizeGreaterThanOrEqualTo(12);
        assertThat(t.sim().requests()).filteredOn(r -> r.path().contains("/activity/feed/"))
                .allMatch(RecordedRequest::hasPublisherIdentifier, "PublisherIdentifier on every API call");
    }

    @Test
    void listsInWindowsOfAtMostADayNeverMoreThanSevenDaysBack() {
        TestTenant t = tenant();
        int[] hoursAgo = {167, 150, 120, 72, 49, 25, 3};
        for (int i = 0; i < hoursAgo.length; i++) {
            t.sim().addBlob(blob(t, "window", i, minutesAgo(hoursAgo[i] * 60L), 1));
        }
        start(t);
        awaitStored(t, hoursAgo.length);
        List<RecordedRequest> listings = apiCalls(t, "/subscriptions/content").stream()
                .filter(r -> !r.query().containsKey("nextPage")).toList();
        assertThat(listings).isNotEmpty();
        for (RecordedRequest r : listings) {
            Instant start = LocalDateTime.parse(r.query().get("startTime")).toInstant(ZoneOffset.UTC);
            Instant end = LocalDateTime.parse(r.query().get("endTime")).toInstant(ZoneOffset.UTC);
            assertThat(Duration.between(start, end)).isPositive().isLessThanOrEqualTo(Duration.ofHours(24));
            assertThat(start).isAfterOrEqualTo(r.at().minus(Duration.ofDays(7)));
        }
        // the first poll tiles the whole week: each window starts where the previous one ended
        int n = 1;
        while (n < listings.size() && listings.get(n).query().get("startTime").equals(listings.get(n - 1).query().get("endTime"))) {
            n++;
        }
        Instant firstStart = LocalDateTime.parse(listings.get(0).query().get("startTime")).toInstant(ZoneOffset.UTC);
        Instant firstEnd = LocalDateTime.parse(listings.get(n - 1).query().get("endTime")).toInstant(ZoneOffset.UTC);
        assertThat(n).isBetween(7, 8);
        assertThat(Duration.between(firstStart, firstEnd)).isGreaterThan(Duration.ofDays(7).minusMinutes(15));
        assertThat(t.sim().requests()).noneMatch(r -> r.status() == 400, "no window was rejected");
    }

    @Test
    void startsAMissingSubscriptionAndTakesAlreadyEnabledAsSuccess() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "sub", 0, minutesAgo(30), 3));
        start(t);
        awaitStored(t, 3);
        assertThat(t.sim().startCalls(EXCHANGE)).isEqualTo(1);
        assertThat(t.sim().subscriptionState(EXCHANGE)).isEqualTo(SubscriptionState.ENABLED);
    }

    @Test
    void startOnAnEnabledSubscriptionAnsweringAF20024IsSuccess() {
        TestTenant t = tenant();
        t.sim().subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        api.startSubscription(t.props().resolve(0), EXCHANGE);   // must not throw
        assertThat(apiCalls(t, "/subscriptions/start")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(t.sim().subscriptionState(EXCHANGE)).isEqualTo(SubscriptionState.ENABLED);
    }

    @Test
    void neverStartsASubscriptionTwiceWithinFifteenMinutes() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "disabled", 0, minutesAgo(30), 2));
        start(t);
        awaitStored(t, 2);
        // an admin disables the subscription: listing now answers AF20023
        t.sim().subscriptionState(EXCHANGE, SubscriptionState.DISABLED);
        t.sim().clearRequests();
        await().atMost(PATIENCE).until(() -> apiCalls(t, "/subscriptions/list").size() >= 3);
        assertThat(t.sim().startCalls(EXCHANGE)).isEqualTo(1);
        assertThat(apiCalls(t, "/subscriptions/start")).isEmpty();
    }

    @Test
    void aRepeatedRecordIsStoredOnce() {
        TestTenant t = tenant();
        Instant c = minutesAgo(60);
        List<String> first = TestRecords.records(3, t.id(), c);
        List<String> second = new ArrayList<>(TestRecords.records(2, t.id(), c));
        second.add(first.get(1));   // the API repeats records across blobs by design
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("dup", 1), c, c, first));
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("dup", 2), c.plusSeconds(60), c.plusSeconds(60), second));
        start(t);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 2);
        assertThat(stored(t)).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT SUM(records_duplicate) FROM blob_ledger WHERE tenant_id = ?",
                Integer.class, t.id())).isEqualTo(1);
    }

    @Test
    void collectsABlobListedLateWithinTheLookBack() throws Exception {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "ontime", 0, minutesAgo(200), 2));
        Instant created = minutesAgo(180);
        // created three hours ago, but the API lists it only from a few seconds from now on
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("late", 1), created,
                Instant.now().plusSeconds(4), TestRecords.records(3, t.id(), created)));
        start(t);
        awaitStored(t, 2);
        // the records commit with their blob; the cursor moves only once the window's every blob is in
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT listed_until FROM listing_cursor WHERE tenant_id = ?", java.sql.Timestamp.class, t.id()).toInstant())
                .isAfter(created));
        awaitStored(t, 5);
    }

    @Test
    void backsOffOn429WithRetryAfterAnd403AF429Without() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "throttle", 0, minutesAgo(30), 4));
        t.sim().throttleNext(2, ThrottleStyle.HTTP_429, Duration.ofSeconds(2));
        start(t);
        awaitStored(t, 4);
        List<RecordedRequest> api = t.sim().requests().stream().filter(r -> r.path().contains("/activity/feed/")).toList();
        int first429 = indexOfStatus(api, 429);
        assertThat(first429).isGreaterThanOrEqualTo(0);
        assertThat(Duration.between(api.get(first429).at(), api.get(first429 + 1).at()))
                .as("Retry-After: 2 is honoured").isGreaterThanOrEqualTo(Duration.ofMillis(1900));

        TestTenant u = tenant();
        u.sim().addBlob(blob(u, "af429", 0, minutesAgo(30), 3));
        u.sim().throttleNext(3, ThrottleStyle.HTTP_403_AF429, null);
        start(u);
        awaitStored(u, 3);
        assertThat(u.sim().requests()).filteredOn(r -> r.status() == 403).hasSize(3);
    }

    @Test
    void retriesServerErrorsWithBackoff() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "5xx", 0, minutesAgo(30), 3));
        t.sim().throttleNext(2, ThrottleStyle.HTTP_500_AF50000, null);
        start(t);
        awaitStored(t, 3);
        List<RecordedRequest> api = t.sim().requests().stream().filter(r -> r.path().contains("/activity/feed/")).toList();
        assertThat(api).filteredOn(r -> r.status() == 500).hasSize(2);
        int first500 = indexOfStatus(api, 500);
        assertThat(Duration.between(api.get(first500).at(), api.get(first500 + 2).at()))
                .as("two exponential back-offs (100 ms, 200 ms)").isGreaterThanOrEqualTo(Duration.ofMillis(280));
    }

    @Test
    void aThrottledTenantDoesNotStallOtherTenants() {
        TestTenant slow = tenant();
        slow.sim().addBlob(blob(slow, "slow", 0, minutesAgo(30), 2));
        slow.sim().throttleNext(10_000, ThrottleStyle.HTTP_429, Duration.ofMinutes(5));
        TestTenant fast = tenant();
        for (int i = 0; i < 20; i++) {
            fast.sim().addBlob(blob(fast, "fast", i, minutesAgo(100 - i), 2));
        }
        start(slow);
        start(fast);
        awaitStored(fast, 40);
        assertThat(stored(slow)).isZero();
        assertThat(slow.sim().requests()).filteredOn(r -> r.status() == 429).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void reacquiresTheTokenWhenItExpiresMidRun() {
        TestTenant t = tenant();
        t.sim().serverSideTokenLifetime(Duration.ofSeconds(2));   // msal4j believes it lives an hour
        t.sim().addBlob(blob(t, "tok", 0, minutesAgo(50), 2));
        start(t);
        awaitStored(t, 2);
        int tokensBefore = t.sim().tokensIssued();
        await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);
        t.sim().addBlob(blob(t, "tok", 1, minutesAgo(5), 3));
        awaitStored(t, 5);
        assertThat(t.sim().tokensIssued()).isGreaterThan(tokensBefore);
        assertThat(t.sim().requests()).anyMatch(r -> r.status() == 401);
    }

    @Test
    void neverSendsTheTokenToAForeignHost() {
        try (ManagementApiSimulator elsewhere = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST)) {
            TestTenant t = tenant();
            Instant c = minutesAgo(40);
            t.sim().addBlob(blob(t, "foreign", 0, c, 2));
            t.sim().addBlob(blob(t, "foreign", 1, c.plusSeconds(1), 1).withContentUri(
                    "https://127.0.0.1:" + elsewhere.port() + "/api/v1.0/" + t.id() + "/activity/feed/audit/x"));
            t.sim().addBlob(blob(t, "foreign", 2, c.plusSeconds(2), 1).withContentUri(
                    "https://localhost:" + elsewhere.port() + "/api/v1.0/" + t.id() + "/activity/feed/audit/y"));
            start(t);
            await().atMost(PATIENCE).until(() -> ledgered(t) == 3);
            assertThat(stored(t)).isEqualTo(2);
            assertThat(elsewhere.tenant(t.id()).requests()).isEmpty();
            assertThat(quarantineReasons(t)).hasSize(2).allMatch(r -> r.contains("not the tenant's API host"));
        }
    }

    @Test
    void quarantinesMalformedInputAndStoresTheRest() {
        TestTenant t = tenant();
        Instant c = minutesAgo(40);
        t.sim().addBlob(blob(t, "bad", 0, c, 3));
        t.sim().addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("bad", 1), c.plusSeconds(1), c.plusSeconds(1),
                ("[" + TestRecords.record(UUID.randomUUID().toString(), t.id(), c) + ",{\"Id\":\"trunc").getBytes(StandardCharsets.UTF_8)));
        t.sim().addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("bad", 2), c.plusSeconds(2), c.plusSeconds(2),
                ("[\"just a string\"," + TestRecords.record(UUID.randomUUID().toString(), t.id(), c) + "]").getBytes(StandardCharsets.UTF_8)));
        t.sim().addBlob(blob(t, "bad", 3, c.plusSeconds(3), 2));
        start(t);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 4);
        // 3 + the record before the break + the object after the string + 2
        assertThat(stored(t)).isEqualTo(7);
        List<String> reasons = quarantineReasons(t);
        assertThat(reasons).hasSize(2);
        assertThat(reasons).anyMatch(r -> r.startsWith("not valid JSON"));
        assertThat(reasons).anyMatch(r -> r.contains("is not a JSON object"));
        assertThat(jdbc.queryForList("SELECT content_id FROM quarantine WHERE tenant_id = ?", String.class, t.id()))
                .containsExactlyInAnyOrder(TestRecords.contentId("bad", 1), TestRecords.contentId("bad", 2));
        assertThat(jdbc.queryForObject("SELECT status FROM blob_ledger WHERE tenant_id = ? AND content_id = ?",
                String.class, t.id(), TestRecords.contentId("bad", 1))).isEqualTo("quarantined");
    }

    @Test
    void aDownloadCutOffMidBlobRollsBackAndIsCollectedWholeNextTime() {
        TestTenant t = tenant();
        Instant c = minutesAgo(30);
        List<String> records = TestRecords.records(30, t.id(), c);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        t.sim().addBlob(SimBlob.ofStream(EXCHANGE, TestRecords.contentId("cut", 0), c, c, out -> {
            boolean first = attempts.incrementAndGet() == 1;
            List<String> part = first ? records.subList(0, 20) : records;
            out.write(("[" + String.join(",", part) + (first ? "," : "]")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (first) {
                try {
                    Thread.sleep(8000);   // the connection stalls past the collector's 4 s read timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new java.io.IOException("connection lost");
            }
        }));
        start(t);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1);
        assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
        assertThat(stored(t)).isEqualTo(30);
        // the first attempt had stored two batches of 7 before the cut: they were rolled back, so nothing was a duplicate
        var ledger = jdbc.queryForMap("SELECT records_stored, records_duplicate, status FROM blob_ledger WHERE tenant_id = ?", t.id());
        assertThat(((Number) ledger.get("records_stored")).intValue()).isEqualTo(30);
        assertThat(((Number) ledger.get("records_duplicate")).intValue()).isZero();
        assertThat(quarantineReasons(t)).isEmpty();
    }

    @Test
    void aBlobThatKeepsFailingDoesNotHoldUpTheOthersAndIsQuarantinedInTheEnd() {
        TestTenant t = tenant();
        Instant c = minutesAgo(30);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        t.sim().addBlob(SimBlob.ofStream(EXCHANGE, TestRecords.contentId("poison", 0), c, c, out -> {
            attempts.incrementAndGet();
            out.write(("[" + TestRecords.record(UUID.randomUUID().toString(), t.id(), c) + ",").getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                Thread.sleep(6000);   // stalls past the 4 s read timeout, every time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new java.io.IOException("connection lost");
        }));
        t.sim().addBlob(blob(t, "poison", 1, c.plusSeconds(1), 3));
        t.sim().addBlob(blob(t, "poison", 2, c.plusSeconds(2), 2));
        start(t);
        awaitStored(t, 5);
        assertThat(ledgered(t)).as("the failing blob is not ledgered yet").isEqualTo(2);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 3);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(quarantineReasons(t)).singleElement().asString().startsWith("gave up after 2 failed attempts");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT listed_until FROM listing_cursor WHERE tenant_id = ?", java.sql.Timestamp.class, t.id()).toInstant())
                .isAfter(c));
    }

    @Test
    void authenticatesWithACertificatePkcs12OrPem() throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/certs/client-cert.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        for (String file : List.of("client.p12", "client.pem")) {
            TestTenant t = tenant();
            t.sim().registerCertificate(t.props().getClientId(), cert);
            t.props().setClientSecret(null);
            t.props().setCertificatePath("src/test/resources/certs/" + file);
            t.props().setCertificatePassword("changeit");
            t.sim().addBlob(blob(t, "cert", 0, minutesAgo(20), 2));
            start(t);
            awaitStored(t, 2);
            assertThat(t.sim().tokensIssued()).isPositive();
        }
    }

    @Test
    void enrichesRecordsWithAppTypeNameUtcTimeAndLag() {
        TestTenant t = tenant();
        Instant c = minutesAgo(90);
        String id = UUID.randomUUID().toString();
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("enrich", 0), c, c,
                List.of(TestRecords.record(id, t.id(), c.minusSeconds(600)))));
        start(t);
        awaitStored(t, 1);
        var row = jdbc.queryForMap("SELECT * FROM audit_event WHERE tenant_id = ? AND id = ?", t.id(), id);
        assertThat(row.get("app")).isEqualTo("Exchange");
        assertThat(row.get("record_type_name")).isEqualTo("ExchangeAdmin");
        assertThat(row.get("operation")).isEqualTo("Set-Mailbox");
        assertThat(row.get("client_ip")).isEqualTo("2a09:bac5:111:105::1a:89");
        assertThat(row.get("content_type")).isEqualTo(EXCHANGE);
        assertThat(((Number) row.get("lag_seconds")).longValue()).isBetween(6000L, 6300L);
        assertThat(jdbc.queryForObject("SELECT creation_time FROM audit_event WHERE tenant_id = ? AND id = ?",
                java.sql.Timestamp.class, t.id(), id).toInstant()).isEqualTo(c.minusSeconds(600));
        assertThat(row.get("raw").toString()).contains("\"Identity\"");
    }

    private static int indexOfStatus(List<RecordedRequest> rs, int status) {
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).status() == status) {
                return i;
            }
        }
        return -1;
    }
}
