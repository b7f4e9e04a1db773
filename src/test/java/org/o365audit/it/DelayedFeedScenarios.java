package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.delayed.CompletenessReport;
import org.o365audit.simulator.DataverseEnvironment;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimBlob;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The delayed feeds end to end (routes/delayed-feed-poller.camel.yaml): Power BI activity events and
 * Dataverse audit, whose events become visible long after they happened. Subclasses pick the database.
 */
@TestPropertySource(properties = {
        "o365.delayed.poll-interval=1s",
        "o365.delayed.dataverse-page-size=3"})
abstract class DelayedFeedScenarios extends CollectorTestBase {
    @Autowired
    CompletenessReport completeness;

    static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A tenant with only its Power BI feed on. */
    TestTenant powerBiTenant() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().getPowerbi().setEnabled(true);
        t.props().getPowerbi().setApiUrl(MICROSOFT.baseUrl() + "/powerbi");
        return t;
    }

    static String pbiEvent(String id, String tenantId, Instant at) {
        return "{\"Id\":\"" + id + "\",\"RecordType\":20,\"CreationTime\":\"" + API_TIME.format(at)
                + "\",\"Operation\":\"ViewReport\",\"OrganizationId\":\"" + tenantId + "\",\"UserType\":0,"
                + "\"UserKey\":\"779438769\",\"Workload\":\"PowerBI\",\"UserId\":\"john@contoso.com\","
                + "\"ClientIP\":\"131.107.160.240\",\"Activity\":\"ViewReport\",\"ReportName\":\"Sales\"}";
    }

    static Instant hoursAgo(long h) {
        return Instant.now().minus(Duration.ofHours(h)).truncatedTo(ChronoUnit.SECONDS);
    }

    int storedFrom(TestTenant t, String source) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ? AND source = ?", Integer.class,
                t.id(), source);
    }

    Instant settledUntil(TestTenant t, String feed) {
        List<java.sql.Timestamp> ts = jdbc.queryForList("SELECT settled_until FROM delayed_feed_state WHERE tenant_id = ? "
                + "AND feed = ?", java.sql.Timestamp.class, t.id(), feed);
        return ts.isEmpty() ? null : ts.get(0).toInstant();
    }

    @Test
    void collectsAPowerBiEventThatAppearsSixtyHoursLateExactlyOnce() {
        TestTenant t = powerBiTenant();
        for (int i = 0; i < 5; i++) {
            Instant at = hoursAgo(10 + 20L * i);
            t.sim().powerBi().addEvent(pbiEvent(UUID.randomUUID().toString(), t.id(), at), at.plus(Duration.ofMinutes(30)));
        }
        String lateId = UUID.randomUUID().toString();
        Instant lateAt = hoursAgo(62);
        // it happened 62 h ago and Power BI shows it only from a few seconds from now on
        t.sim().powerBi().addEvent(pbiEvent(lateId, t.id(), lateAt), Instant.now().plusSeconds(5));
        start(t);
        awaitStored(t, 5);
        awaitStored(t, 6);
        await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);   // more cycles re-scan it
        assertThat(stored(t)).isEqualTo(6);
        var row = jdbc.queryForMap("SELECT app, source, lag_seconds FROM audit_event WHERE tenant_id = ? AND id = ?", t.id(), lateId);
        assertThat(row.get("app")).isEqualTo("Power BI");
        assertThat(row.get("source")).isEqualTo("powerbi-activity");
        assertThat(((Number) row.get("lag_seconds")).longValue()).isGreaterThanOrEqualTo(62 * 3600L);
    }

    @Test
    void neverRescansEventTimeOlderThanTheSettleWindow() {
        TestTenant t = powerBiTenant();
        Instant testStart = Instant.now();
        for (int i = 0; i < 7; i++) {
            Instant at = hoursAgo(5 + 24L * i);
            t.sim().powerBi().addEvent(pbiEvent(UUID.randomUUID().toString(), t.id(), at), at);
        }
        start(t);
        awaitStored(t, 7);
        await().atMost(PATIENCE).until(() -> t.sim().powerBi().requests().size() >= 20);   // several cycles
        Instant settleLimit = testStart.minus(Duration.ofHours(72)).minus(Duration.ofMinutes(1));
        Map<String, Integer> oldStarts = new HashMap<>();
        for (RecordedRequest r : t.sim().powerBi().requests()) {
            String start = r.query().get("startDateTime");
            if (start != null && LocalDateTime.parse(start.replace("'", "")).toInstant(ZoneOffset.UTC).isBefore(settleLimit)) {
                oldStarts.merge(start, 1, Integer::sum);
            }
        }
        assertThat(oldStarts).as("days older than the settle window were each asked once (the first backfill)")
                .isNotEmpty().allSatisfy((day, n) -> assertThat(n).isEqualTo(1));
        assertThat(settledUntil(t, "powerbi")).isBetween(testStart.minus(Duration.ofHours(73)), Instant.now().minus(Duration.ofHours(72)));
    }

    @Test
    void followsTheContinuationToTheEndThroughEmptyPages() {
        TestTenant t = powerBiTenant();
        t.sim().powerBi().pageSize(2);
        t.sim().powerBi().emptyPageEvery(2);
        Instant day = hoursAgo(30);
        for (int i = 0; i < 7; i++) {
            Instant at = day.plusSeconds(60L * i);
            t.sim().powerBi().addEvent(pbiEvent(UUID.randomUUID().toString(), t.id(), at), at);
        }
        start(t);
        awaitStored(t, 7);
        List<RecordedRequest> continued = t.sim().powerBi().requests().stream()
                .filter(r -> r.query().containsKey("continuationToken")).toList();
        assertThat(continued).hasSizeGreaterThanOrEqualTo(4);
        assertThat(continued).allMatch(r -> !r.query().containsKey("startDateTime"), "no dates next to a token");
        assertThat(t.sim().powerBi().requests()).allMatch(r -> r.status() == 200);
    }

    @Test
    void pagesDataverseAuditsThroughNextLink() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        DataverseEnvironment env = t.sim().dataverse("env-" + t.id().substring(0, 6));
        t.props().getDataverse().setEnvironments(List.of(env.url()));
        // all within yesterday (UTC), one day window, whatever the time of day the test runs at
        Instant yesterday = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(1));
        for (int i = 0; i < 10; i++) {
            Instant at = yesterday.plus(Duration.ofMinutes(60 + 10L * i));
            env.addAudit("{\"auditid\":\"" + UUID.randomUUID() + "\",\"createdon\":\"" + at + "\",\"operation\":2,\"action\":2,"
                    + "\"objecttypecode\":\"contact\",\"_objectid_value\":\"0e76dc8a-41b5-ec11-983f-0022482bf046\","
                    + "\"_userid_value\":\"4026be43-6b69-e111-8f65-78e7d1620f5e\"}", at);
        }
        start(t);
        awaitStored(t, 10);
        assertThat(env.requests()).filteredOn(r -> r.query().containsKey("$skiptoken")).hasSizeGreaterThanOrEqualTo(3);
        var row = jdbc.queryForMap("SELECT app, source, operation, user_id FROM audit_event WHERE tenant_id = ? FETCH FIRST 1 ROWS ONLY", t.id());
        assertThat(row.get("app")).isEqualTo("Dynamics 365");
        assertThat(row.get("source")).isEqualTo("dataverse-audit");
        assertThat(row.get("operation")).isEqualTo("Update");
        assertThat(row.get("user_id")).isEqualTo("4026be43-6b69-e111-8f65-78e7d1620f5e");
    }

    @Test
    void honoursRetryAfterFromPowerBiAndDataverse() {
        TestTenant t = powerBiTenant();
        DataverseEnvironment env = t.sim().dataverse("throttled-" + t.id().substring(0, 6));
        t.props().getDataverse().setEnvironments(List.of(env.url()));
        Instant at = hoursAgo(6);
        t.sim().powerBi().addEvent(pbiEvent(UUID.randomUUID().toString(), t.id(), at), at);
        env.addAudit("{\"auditid\":\"" + UUID.randomUUID() + "\",\"createdon\":\"" + at + "\",\"operation\":1,\"action\":1}", at);
        t.sim().powerBi().throttleNext(1, Duration.ofSeconds(2));
        env.throttleNext(1, Duration.ofSeconds(2));
        start(t);
        awaitStored(t, 2);
        for (List<RecordedRequest> calls : List.of(t.sim().powerBi().requests(), env.requests())) {
            assertThat(calls.get(0).status()).isEqualTo(429);
            assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).as("Retry-After: 2 honoured")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
    }

    @Test
    void reportsHowFarBackEachLateAppIsCompleteAndTheArrivalLag() {
        TestTenant t = powerBiTenant();
        t.props().setContentTypes(List.of("Audit.General"));
        Instant old = hoursAgo(30);
        t.sim().powerBi().addEvent(pbiEvent(UUID.randomUUID().toString(), t.id(), old), old);
        // happens after collection began (10 s from now: a first poll late by a few seconds on a busy machine still
        // began before it), visible 3 s later: its lag is an arrival lag
        Instant soon = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        t.sim().powerBi().addEvent(pbiEvent(UUID.randomUUID().toString(), t.id(), soon), soon.plusSeconds(3));
        start(t);
        awaitStored(t, 2);
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM listing_cursor WHERE tenant_id = ?", Integer.class, t.id()) == 1);
        String name = t.props().getName();
        List<CompletenessReport.Line> lines = completeness.lines().stream().filter(l -> l.tenant().equals(name)).toList();
        CompletenessReport.Line viaPowerBi = lines.stream()
                .filter(l -> l.app().equals("Power BI") && l.source().equals("powerbi-activity")).findFirst().orElseThrow();
        assertThat(viaPowerBi.completeUntil()).isEqualTo(settledUntil(t, "powerbi"));
        assertThat(viaPowerBi.records()).as("only the event that happened after collection began").isEqualTo(1);
        assertThat(viaPowerBi.maxLagHours()).isLessThan(1.0);
        Instant cursor = jdbc.queryForObject("SELECT listed_until FROM listing_cursor WHERE tenant_id = ?",
                java.sql.Timestamp.class, t.id()).toInstant();
        assertThat(lines).filteredOn(l -> l.source().equals("management-api")).extracting(CompletenessReport.Line::app)
                .containsExactlyInAnyOrder("Power BI", "Dynamics 365");
        assertThat(lines).filteredOn(l -> l.source().equals("management-api"))
                .allSatisfy(l -> assertThat(l.completeUntil()).isBeforeOrEqualTo(cursor.minus(Duration.ofHours(72))));
    }

    @Test
    void aPowerBiEventSeenByBothApisIsStoredOnce() {
        TestTenant t = powerBiTenant();
        t.props().setContentTypes(List.of("Audit.General"));
        String id = UUID.randomUUID().toString();
        Instant at = hoursAgo(20);
        String event = pbiEvent(id, t.id(), at);
        t.sim().powerBi().addEvent(event, at);
        Instant listed = minutesAgo(30);
        t.sim().addBlob(SimBlob.ofRecords("Audit.General", TestRecords.contentId("both", 0), listed, listed, List.of(event)));
        start(t);
        awaitStored(t, 1);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1 && settledUntil(t, "powerbi") != null);
        assertThat(stored(t)).isEqualTo(1);
    }
}
