package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.o365audit.collect.ListingWindow;
import org.o365audit.collect.PollProgress;
import org.o365audit.collect.PollStats;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.ThrottleStyle;
import org.o365audit.store.Gaps;
import org.o365audit.store.ListingCursorStore;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The data path off the normal path (issue: hardening the data path): hostile records are decided one by one,
 * any error fails only its blob and is counted in the database, an operator's backfill never moves the cursor,
 * what can no longer be collected is recorded as a gap, and a throttled tenant ends its poll instead of
 * sleeping on a scheduler thread. Subclasses pick the database; every assertion is the same on both.
 */
abstract class DataPathScenarios extends CollectorTestBase {
    @Autowired
    PollProgress pollProgress;
    @Autowired
    ListingCursorStore cursors;
    @Autowired
    CamelContext camel;
    @Autowired
    Gaps gaps;
    @Autowired
    MeterRegistry meters;

    @Test
    void hostileRecordsAreDecidedOneByOneAndNeverStallTheContentType() {
        TestTenant t = tenant();
        Instant c = minutesAgo(50);
        List<String> good = TestRecords.records(6, t.id(), c);
        String bigId = UUID.randomUUID().toString();
        String numericId = String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits()));
        String escapesId = UUID.randomUUID().toString();
        String longIpId = UUID.randomUUID().toString();
        List<String> storedHostile = List.of(
                // the value that once failed a whole blob's insert: ClientIP longer than its column
                "{\"Id\":\"" + longIpId + "\",\"ClientIP\":\"[" + "a".repeat(300) + "]:443\",\"Workload\":\"Exchange\"}",
                "{\"Id\":\"" + bigId + "\",\"Workload\":\"" + "W".repeat(200_000) + "\",\"Operation\":{\"o\":[1]},"
                        + "\"UserId\":[\"x\"],\"RecordType\":99999999999,\"CreationTime\":\"+999999999-12-31T23:59:59\"}",
                "{\"Id\":" + numericId + ",\"RecordType\":\"-5\",\"CreationTime\":\"garbage\"}",
                "{\"Id\":\"" + escapesId + "\",\"UserId\":\"\\u001b[31mroot\\u001b]0;t\\u0007\",\"Operation\":\"\u6771\u4eac \ud83d\udcce\"}");
        List<String> quarantinedHostile = List.of(
                "{\"Id\":\"" + "L".repeat(600) + "\",\"Workload\":\"Exchange\"}",
                "{\"Id\":\"" + UUID.randomUUID() + "\",\"Operation\":\"a\\u0000b\"}",
                "{\"Id\":\"" + UUID.randomUUID() + "\",\"Operation\":\"\\ud800\"}",
                "{\"Id\":{\"not\":\"a string\"}}",
                "{\"Workload\":\"no id\"}",
                "\"a bare string\"");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("[" + good.get(0)));
        for (String h : storedHostile) {
            body.writeBytes(utf8("," + h));
        }
        body.writeBytes(utf8("," + good.get(1)));
        for (String q : quarantinedHostile) {
            body.writeBytes(utf8("," + q));
        }
        body.writeBytes(utf8(",{\"Id\":\"" + UUID.randomUUID() + "\",\"Operation\":\""));
        body.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});   // invalid UTF-8 inside a string
        body.writeBytes(utf8("\"},{\"Id\":\"ctl\",\"Operation\":\"a\u0001b\"}"));   // a raw control character
        for (String g : good.subList(2, 5)) {
            body.writeBytes(utf8("," + g));
        }
        body.writeBytes(utf8("]"));
        t.sim().addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("hostile", 0), c, c, body.toByteArray()));
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("hostile", 1), c.plusSeconds(1), c.plusSeconds(1),
                List.of(good.get(5))));
        start(t);

        await().atMost(PATIENCE).until(() -> ledgered(t) == 2);
        List<String> ids = jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id());
        List<String> expected = new ArrayList<>(List.of(bigId, numericId, escapesId, longIpId));
        good.forEach(g -> expected.add(g.substring(g.indexOf("\"Id\":\"") + 6, g.indexOf("\"Id\":\"") + 42)));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        List<Map<String, Object>> q = jdbc.queryForList(
                "SELECT reason, payload, payload_encoding FROM quarantine WHERE tenant_id = ? ORDER BY qid", t.id());
        assertThat(q).as("each hostile element set aside on its own").hasSize(quarantinedHostile.size() + 2);
        assertThat(q).allSatisfy(r -> assertThat(r.get("payload")).isNotNull());
        assertThat(q).filteredOn(r -> "base64".equals(r.get("payload_encoding"))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT status FROM blob_ledger WHERE tenant_id = ? AND content_id = ?", String.class,
                t.id(), TestRecords.contentId("hostile", 0))).isEqualTo("collected");
        Map<String, Object> big = jdbc.queryForMap("SELECT workload, operation, record_type, record_type_name, creation_time, "
                + "client_ip FROM audit_event WHERE tenant_id = ? AND id = ?", t.id(), bigId);
        assertThat((String) big.get("workload")).hasSize(128);
        assertThat(big.get("operation")).isEqualTo("{\"o\":[1]}");
        assertThat(big.get("record_type")).isNull();
        assertThat(big.get("creation_time")).isNull();
        assertThat(jdbc.queryForObject("SELECT raw FROM audit_event WHERE tenant_id = ? AND id = ?", String.class, t.id(), bigId))
                .as("raw keeps the whole record").contains("W".repeat(200_000));
        assertThat(jdbc.queryForObject("SELECT client_ip FROM audit_event WHERE tenant_id = ? AND id = ?", String.class,
                t.id(), longIpId)).hasSize(128);
        assertThat(jdbc.queryForObject("SELECT user_id FROM audit_event WHERE tenant_id = ? AND id = ?", String.class,
                t.id(), escapesId)).doesNotContain("\u001b").contains("root");
    }

    @Test
    void aRecordTheDatabaseRefusesIsQuarantinedAloneAndItsNeighboursAreStored() {
        TestTenant t = tenant();
        Instant c = minutesAgo(40);
        String marker = "refuse-" + t.id().substring(0, 8);
        String constraint = "test_refuse_" + t.id().substring(0, 8);
        jdbc.execute("ALTER TABLE audit_event ADD CONSTRAINT " + constraint + " CHECK (operation IS NULL OR operation <> '"
                + marker + "')");
        try {
            List<String> records = new ArrayList<>(TestRecords.records(5, t.id(), c));
            String refused = records.get(2).replace("\"Set-Mailbox\"", "\"" + marker + "\"");
            records.set(2, refused);
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("refuse", 0), c, c, records));
            start(t);
            await().atMost(PATIENCE).until(() -> ledgered(t) == 1);
            assertThat(stored(t)).isEqualTo(4);
            assertThat(quarantineReasons(t)).singleElement().asString().startsWith("the database refused record");
            assertThat(jdbc.queryForObject("SELECT payload FROM quarantine WHERE tenant_id = ?", String.class, t.id()))
                    .isEqualTo(refused);
        } finally {
            jdbc.execute("ALTER TABLE audit_event DROP CONSTRAINT " + constraint);
        }
    }

    @Test
    void aRecordRepeatedWithinABatchIsStoredOnceAsItFirstCame() {
        TestTenant t = tenant();
        Instant c = minutesAgo(45);
        List<String> records = new ArrayList<>(TestRecords.records(4, t.id(), c));
        String first = records.get(1);
        String id = first.substring(first.indexOf("\"Id\":\"") + 6, first.indexOf("\"Id\":\"") + 42);
        records.add(3, first.replace("\"Set-Mailbox\"", "\"Set-Mailbox-again\""));   // same Id, other content, same batch
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("repeated", 0), c, c, records));
        start(t);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1);
        assertThat(stored(t)).isEqualTo(4);
        Map<String, Object> ledger = jdbc.queryForMap("SELECT records_stored, records_duplicate FROM blob_ledger WHERE tenant_id = ?",
                t.id());
        assertThat(((Number) ledger.get("records_stored")).intValue()).isEqualTo(4);
        assertThat(((Number) ledger.get("records_duplicate")).intValue()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT operation FROM audit_event WHERE tenant_id = ? AND id = ?", String.class, t.id(), id))
                .isEqualTo("Set-Mailbox");
        assertThat(quarantineReasons(t)).isEmpty();
    }

    @Test
    void anyErrorFailsOnlyItsBlobIsCountedInTheDatabaseAndEndsInQuarantineAndAGap() {
        TestTenant t = tenant();
        Instant c = minutesAgo(35);
        String bad = TestRecords.contentId("ledger-refuse-" + t.id().substring(0, 8), 0);
        String constraint = "test_ledger_" + t.id().substring(0, 8);
        // a constraint violation at the blob's last write (not about one record): the whole blob fails
        jdbc.execute("ALTER TABLE blob_ledger ADD CONSTRAINT " + constraint + " CHECK (status <> 'collected' OR content_id <> '"
                + bad + "')");
        try {
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, bad, c, c, TestRecords.records(3, t.id(), c)));
            t.sim().addBlob(blob(t, "after-refused", 1, c.plusSeconds(1), 4));
            start(t);
            awaitStored(t, 4);
            await().atMost(PATIENCE).until(() -> attempts(t, bad) >= 1);
            await().atMost(PATIENCE).until(() -> ledgered(t) == 2);
            assertThat(stored(t)).as("the refused blob's records were rolled back with it").isEqualTo(4);
            assertThat(quarantineReasons(t)).singleElement().asString().startsWith("gave up after 2 failed attempts");
            assertThat(jdbc.queryForObject("SELECT status FROM blob_ledger WHERE tenant_id = ? AND content_id = ?", String.class,
                    t.id(), bad)).isEqualTo("quarantined");
            assertThat(attempts(t, bad)).as("forgotten once the blob is ledgered").isZero();
            assertThat(gaps.of(t.id())).singleElement().satisfies(g -> {
                assertThat(g.contentId()).isEqualTo(bad);
                assertThat(g.reason()).startsWith("gave up after 2 failed attempts");
            });
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(cursors.listedUntil(t.id(), EXCHANGE)).isAfter(c));
        } finally {
            jdbc.execute("ALTER TABLE blob_ledger DROP CONSTRAINT " + constraint);
        }
    }

    @Test
    void theBlobsOfAWindowAreCollectedInParallelAndAFailingOneRollsBackAloneAndHoldsTheWindow() {
        TestTenant t = tenant();
        Instant c = minutesAgo(50);
        String slow = TestRecords.contentId("slow", 0);
        String refused = TestRecords.contentId("refused-" + t.id().substring(0, 8), 1);
        String retried = TestRecords.contentId("retried", 2);
        String constraint = "test_parallel_" + t.id().substring(0, 8);
        // the refused blob fails at its last write, after its records went in: they must roll back with it alone
        jdbc.execute("ALTER TABLE blob_ledger ADD CONSTRAINT " + constraint + " CHECK (status <> 'collected' OR content_id <> '"
                + refused + "')");
        try {
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, slow, c, c, TestRecords.records(3, t.id(), c)));
            t.sim().delayBlobFetch(slow, 1, Duration.ofSeconds(3));
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, refused, c.plusSeconds(1), c.plusSeconds(1), TestRecords.records(3, t.id(), c)));
            t.sim().addBlob(blob(t, "retried", 2, c.plusSeconds(2), 3));
            t.sim().failBlobFetch(retried, 1, 400, "AF20055", "The blob cannot be served right now");
            List<String> fast = new ArrayList<>();
            for (int i = 3; i < 13; i++) {
                t.sim().addBlob(blob(t, "fast", i, c.plusSeconds(i), 3));
                fast.add(TestRecords.contentId("fast", i));
            }
            start(t);

            // the window stays open until the refused blob is ledgered (quarantined after 2 attempts): the cursor is
            // read first, the ledger second, so a cursor past the window with the blob not ledgered cannot be missed
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
                Instant cursor = cursors.listedUntil(t.id(), EXCHANGE);
                boolean done = ledgerStatus(t, refused) != null;
                assertThat(cursor == null || !cursor.isAfter(c) || done).as("cursor %s moved past the open window", cursor)
                        .isTrue();
                return done;
            });
            assertThat(ledgerStatus(t, refused)).isEqualTo("quarantined");
            await().atMost(PATIENCE).until(() -> ledgered(t) == 13);
            awaitStored(t, 12 * 3);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ? AND content_id = ?",
                    Integer.class, t.id(), refused)).as("the refused blob's records rolled back with it").isZero();
            assertThat(apiCalls(t, "/audit/" + retried)).extracting(r -> r.status())
                    .as("failed once, collected by the next poll").containsExactly(400, 200);
            assertThat(apiCalls(t, "/audit/" + slow)).hasSize(1);
            fast.forEach(f -> assertThat(apiCalls(t, "/audit/" + f)).as("fetched once: %s", f).hasSize(1));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob_attempt WHERE tenant_id = ?", Integer.class, t.id()))
                    .isZero();

            // while the slow blob was being fetched, the others were collected on the other threads
            Map<String, Instant> collectedAt = new java.util.HashMap<>();
            jdbc.query("SELECT content_id, collected_at FROM blob_ledger WHERE tenant_id = ?",
                    rs -> {
                        collectedAt.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }, t.id());
            fast.forEach(f -> assertThat(collectedAt.get(f)).as("%s collected before the slow first blob", f)
                    .isBefore(collectedAt.get(slow)));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(cursors.listedUntil(t.id(), EXCHANGE)).isAfter(c));
        } finally {
            jdbc.execute("ALTER TABLE blob_ledger DROP CONSTRAINT " + constraint);
        }
    }

    @Test
    void anOperatorBackfillNeverMovesTheListingCursor() throws Exception {
        TestTenant t = tenant();
        Tenant tenant = start(t);
        await().atMost(PATIENCE).until(() -> cursors.listedUntil(t.id(), EXCHANGE) != null);
        routes.pause(tenant);
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant lagging = now.minus(Duration.ofHours(48));
            jdbc.update("UPDATE listing_cursor SET listed_until = ? WHERE tenant_id = ?", Timestamp.from(lagging), t.id());
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(Headers.POLL_STATS, new PollStats());
            ListingWindow requested = new ListingWindow(now.minus(Duration.ofHours(20)), now.minus(Duration.ofHours(19)), true);

            pollProgress.windowCompleted(t.id(), EXCHANGE, requested, exchange);

            assertThat(cursors.listedUntil(t.id(), EXCHANGE)).as("the span from the cursor to the request is still to list")
                    .isEqualTo(lagging);
            pollProgress.windowCompleted(t.id(), EXCHANGE, new ListingWindow(lagging, lagging.plus(Duration.ofHours(24))), exchange);
            assertThat(cursors.listedUntil(t.id(), EXCHANGE)).isEqualTo(lagging.plus(Duration.ofHours(24)));
        } finally {
            jdbc.update("UPDATE tenant_control SET paused = ? WHERE tenant_id = ?", false, t.id());
        }
    }

    @Test
    void downtimeLongerThanSevenDaysIsRecordedAsAGapOnceAndTheRestIsCollected() {
        TestTenant t = tenant();
        Instant stoppedAt = Instant.now().minus(Duration.ofDays(9)).truncatedTo(ChronoUnit.SECONDS);
        jdbc.update("INSERT INTO listing_cursor (tenant_id, content_type, listed_until, updated_at) VALUES (?, ?, ?, ?)",
                t.id(), EXCHANGE, Timestamp.from(stoppedAt), Timestamp.from(stoppedAt));
        t.sim().addBlob(blob(t, "after-downtime", 0, minutesAgo(120), 3));
        start(t);
        awaitStored(t, 3);
        await().atMost(PATIENCE).until(() -> apiCalls(t, "/subscriptions/content").size() >= 3);   // several polls

        List<Gaps.Gap> recorded = gaps.of(t.id());
        assertThat(recorded).singleElement().satisfies(g -> {
            assertThat(g.feed()).isEqualTo(EXCHANGE);
            assertThat(g.from()).isEqualTo(stoppedAt);
            assertThat(Duration.between(Instant.now().minus(Duration.ofDays(7)), g.to()))
                    .as("up to where the API still serves").isBetween(Duration.ofMinutes(8), Duration.ofMinutes(11));
            assertThat(g.contentId()).isEmpty();
        });
        assertThat(meters.get("o365.gaps").tag("tenant", t.props().getName()).tag("content_type", EXCHANGE).gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("o365.gap.seconds").tag("tenant", t.props().getName()).gauge().value())
                .isGreaterThan(Duration.ofDays(2).minusHours(1).getSeconds());
    }

    @Test
    void anExpiredOrVanishedBlobIsQuarantinedAndRecordedAsAGap() {
        TestTenant t = tenant();
        Instant c = minutesAgo(30);
        String expired = TestRecords.contentId("expired", 0);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, expired, c, c, TestRecords.records(2, t.id(), c)));
        t.sim().failBlobFetch(expired, 100, 400, "AF20051", "Content " + expired + " is expired. Content older than 7 days "
                + "cannot be retrieved.");
        t.sim().addBlob(blob(t, "vanished", 1, c.plusSeconds(1), 2).withContentUri(
                MICROSOFT.baseUrl() + "/api/v1.0/" + t.id() + "/activity/feed/audit/no-such-blob"));
        t.sim().addBlob(blob(t, "present", 2, c.plusSeconds(2), 3));
        start(t);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 3);
        assertThat(stored(t)).isEqualTo(3);
        assertThat(quarantineReasons(t)).hasSize(2).allMatch(r -> r.startsWith("content can no longer be fetched"));
        assertThat(gaps.of(t.id())).hasSize(2).extracting(Gaps.Gap::reason)
                .anyMatch(r -> r.contains("AF20051")).anyMatch(r -> r.contains("AF20050"));
    }

    @Test
    void aThrottledPollEndsAtOnceInsteadOfSleepingOnAQuartzThread() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "throttled", 0, minutesAgo(30), 2));
        t.sim().throttleNext(1, ThrottleStyle.HTTP_429, Duration.ofSeconds(4));
        Tenant tenant = start(t);
        String routeId = TenantRoutes.routeId(tenant, EXCHANGE);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> t.sim().requests().stream().anyMatch(r -> r.status() == 429));
        Instant throttledAt = Instant.now();
        // the poll that met the 429 ends instead of sleeping out the 4 s Retry-After
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(20))
                .until(() -> camel.getInflightRepository().size(routeId) == 0);
        assertThat(Duration.between(throttledAt, Instant.now())).isLessThan(Duration.ofSeconds(2));
        awaitStored(t, 2);
        List<org.o365audit.simulator.RecordedRequest> api = t.sim().requests().stream()
                .filter(r -> r.path().contains("/activity/feed/")).toList();
        int i = 0;
        while (api.get(i).status() != 429) {
            i++;
        }
        assertThat(Duration.between(api.get(i).at(), api.get(i + 1).at())).as("Retry-After still honoured")
                .isGreaterThanOrEqualTo(Duration.ofMillis(3900));
    }

    private String ledgerStatus(TestTenant t, String contentId) {
        List<String> s = jdbc.queryForList("SELECT status FROM blob_ledger WHERE tenant_id = ? AND content_id = ?",
                String.class, t.id(), contentId);
        return s.isEmpty() ? null : s.get(0);
    }

    private int attempts(TestTenant t, String contentId) {
        return jdbc.queryForObject("SELECT COALESCE(MAX(attempts), 0) FROM blob_attempt WHERE tenant_id = ? AND content_id = ?",
                Integer.class, t.id(), contentId);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
