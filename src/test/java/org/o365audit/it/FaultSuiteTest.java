package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.o365audit.Application;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.it.faults.BlobBody;
import org.o365audit.it.faults.CorpusMutations;
import org.o365audit.it.faults.CorpusRecords;
import org.o365audit.it.faults.Element;
import org.o365audit.it.faults.FaultReport;
import org.o365audit.it.faults.HostileRecords;
import org.o365audit.it.faults.Tally;
import org.o365audit.it.faults.TcpProxy;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.SubscriptionState;
import org.o365audit.simulator.TestTls;
import org.o365audit.simulator.ThrottleStyle;
import org.o365audit.store.Gaps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fault suite (docs/RELIABILITY.md): the collector with its real routes, Quartz, msal4j over HTTPS to the
 * simulated Microsoft endpoints and PostgreSQL reached through a TCP proxy the test can cut. Each scenario
 * counts every input record as stored, quarantined or lost, and records per tenant what was duplicated, and
 * appends a row to target/fault-suite/report.md. Sizes grow with -Dfaults.mutations and -Dfaults.db-outage-seconds
 * (the full suite: mvn -B verify -Pfault-suite).
 */
@CamelSpringBootTest
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "o365.simulator.mode=never",
        "o365.poll-interval=1s",
        "o365.initial-backoff=100ms",
        "o365.batch-size=50",
        "o365.http-timeout=3s",
        "o365.blob-max-attempts=6",
        "o365.sinks.archive.enabled=false",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_faults",
        "spring.flyway.create-schemas=true",
        "spring.datasource.hikari.connection-timeout=2000",
        "spring.datasource.hikari.maximum-pool-size=10"})
class FaultSuiteTest {
    static final TcpProxy DATABASE;
    static final ManagementApiSimulator MICROSOFT = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
    static final String EXCHANGE = "Audit.Exchange";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final FaultReport REPORT;   // rows accumulate in target/ until mvn clean

    static {
        REPORT = FaultReport.standard();
        Postgres.dropSchema("o365_faults");
        try {
            DATABASE = TcpProxy.to("127.0.0.1", 5432);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.setProperty("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + DATABASE.port()
                + "/test?currentSchema=o365_faults&socketTimeout=30");
    }

    @Autowired
    TenantRegistry registry;
    @Autowired
    TenantRoutes routes;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    Gaps gaps;

    private final List<Tenant> started = new ArrayList<>();

    @AfterEach
    void stopTenants() throws Exception {
        DATABASE.restore();
        for (Tenant t : started) {
            routes.stopRoutes(t);
            registry.remove(t.tenantId());
        }
        started.clear();
    }

    @AfterAll
    static void closeProxy() {
        System.clearProperty("spring.datasource.url");
        DATABASE.close();
    }

    // --- the core (every build) -----------------------------------------------------------------------------

    @Test
    void throttlingStormsOf429AndAF429() {
        Sim storm = tenant(MICROSOFT);
        Sim healthy = tenant(MICROSOFT);
        Set<String> stormIds = backlog(storm, "storm", 40, 10);
        Set<String> healthyIds = backlog(healthy, "calm", 20, 10);
        // AF429 (no Retry-After: exponential back-off from 100 ms) first, then 429 with Retry-After: 1
        storm.sim.throttleNext(6, ThrottleStyle.HTTP_403_AF429, null);
        storm.sim.throttleNext(20, ThrottleStyle.HTTP_429, Duration.ofSeconds(1));
        start(storm);
        start(healthy);
        await().atMost(PATIENCE).until(() -> storedIds(healthy).size() == healthyIds.size());
        Instant healthyDone = Instant.now();
        await().atMost(PATIENCE).until(() -> storedIds(storm).size() == stormIds.size());
        Instant lastThrottled = lastRequestWith(storm, r -> r.status() == 429 || r.status() == 403);
        double recovered = seconds(lastThrottled, Instant.now());
        Tally t = Tally.of(union(stormIds, healthyIds), union(storedIdsWithRepeats(storm), storedIdsWithRepeats(healthy)));
        report("429 / 403-AF429 storm (26 throttled answers)", 1, t, recovered, "the healthy tenant finished "
                + (healthyDone.isBefore(lastThrottled) ? "while the other was still throttled" : "after the storm")
                + "; " + count(storm, r -> r.status() == 429 || r.status() == 403) + " throttled answers honoured");
        assertClean(t);
    }

    @Test
    void hostileRecordsAndCorpusMutations() {
        Sim s = tenant(MICROSOFT);
        long seed = 20261205L;
        List<Element> hostile = new ArrayList<>(HostileRecords.all(s.id, seed));
        CorpusMutations.sample(seed, Integer.getInteger("faults.mutations", 400)).forEach(m -> hostile.add(m.element()));
        List<Element> good = CorpusRecords.goodRecords(Math.max(50, hostile.size() / 2), seed);
        Set<String> expectedStored = new HashSet<>();
        int expectedQuarantined = 0;
        int blobs = 0;
        Instant c = minutesAgo(90);
        int per = 40;
        for (int from = 0, g = 0; from < hostile.size(); from += per, blobs++) {
            List<Element> h = hostile.subList(from, Math.min(hostile.size(), from + per));
            List<Element> ok = good.subList(g, Math.min(good.size(), g + per / 2));
            g += per / 2;
            BlobBody body = BlobBody.mix(ok, h, seed + blobs);
            expectedStored.addAll(body.expectedStoredIds());
            expectedQuarantined += body.expectedQuarantined();
            Instant at = c.plusSeconds(blobs);
            s.sim.addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("hostile", blobs), at, at, body.bytes()));
        }
        int blobCount = blobs;
        start(s);
        await().atMost(PATIENCE.plusMillis(500L * blobCount)).until(() -> ledgered(s) == blobCount);
        List<String> stored = storedIdsWithRepeats(s);
        int quarantined = jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE tenant_id = ?", Integer.class, s.id);
        int withoutReason = jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE tenant_id = ? AND (reason IS NULL OR "
                + "reason = '' OR payload IS NULL)", Integer.class, s.id);
        Tally t = Tally.of(expectedStored, stored);
        int inputs = expectedStored.size() + expectedQuarantined;
        int lost = t.lost() + Math.max(0, expectedQuarantined - quarantined);
        REPORT.append(new FaultReport.Row("hostile records + corpus mutations (" + hostile.size() + " hostile, "
                + good.size() + " good, " + blobCount + " blobs)", 1, inputs, lost, t.duplicated() + t.unexpected(),
                OptionalDouble.empty(), expectedStored.size() + " stored, " + quarantined + " quarantined alone with payload "
                + "and reason (expected " + expectedQuarantined + "); every blob ledgered; the poller still running"));
        assertThat(t.lost()).as("records that should be stored").isZero();
        assertThat(t.unexpected()).as("records that should be quarantined but were stored").isZero();
        assertThat(quarantined).isEqualTo(expectedQuarantined);
        assertThat(withoutReason).isZero();
        assertThat(camel.getRouteController().getRouteStatus(TenantRoutes.routeId(s.tenant(), EXCHANGE)))
                .isEqualTo(ServiceStatus.Started);
    }

    @Test
    void theIssuesMixOf16HostileRecordsAmong357GoodOnes() {
        Sim s = tenant(MICROSOFT);
        long seed = 357L;
        List<Element> cases = HostileRecords.all(s.id, seed);
        List<Element> hostile = new ArrayList<>();
        for (int i = 0; hostile.size() < 16; i++) {
            hostile.add(cases.get(i * cases.size() / 16));   // spread over the kinds of hostile record
        }
        List<Element> good = CorpusRecords.goodRecords(357, seed);
        Set<String> goodIds = new HashSet<>();
        good.forEach(g -> goodIds.add(g.storedId()));
        Set<String> expectedStored = new HashSet<>();
        int expectedQuarantined = 0;
        Instant c = minutesAgo(80);
        int blobs = 12;
        for (int b = 0; b < blobs; b++) {
            BlobBody body = BlobBody.mix(good.subList(b * good.size() / blobs, (b + 1) * good.size() / blobs),
                    hostile.subList(b * hostile.size() / blobs, (b + 1) * hostile.size() / blobs), seed + b);
            expectedStored.addAll(body.expectedStoredIds());
            expectedQuarantined += body.expectedQuarantined();
            s.sim.addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("mix357", b), c.plusSeconds(b), c.plusSeconds(b),
                    body.bytes()));
        }
        start(s);
        await().atMost(PATIENCE).until(() -> ledgered(s) == blobs);
        List<String> stored = storedIdsWithRepeats(s);
        int quarantined = quarantineCount(s);
        long goodStored = stored.stream().filter(goodIds::contains).count();
        Tally t = Tally.of(expectedStored, stored);
        int hostileStored = (int) stored.stream().filter(id -> !goodIds.contains(id)).count();
        REPORT.append(new FaultReport.Row("16 hostile records among 357 good ones (the issue's figure)", 1,
                good.size() + hostile.size(), t.lost() + Math.max(0, expectedQuarantined - quarantined), t.duplicated(),
                OptionalDouble.empty(), goodStored + " of 357 good records stored; of the 16 hostile, " + hostileStored
                + " stored (columns cut or cleaned) and " + quarantined + " quarantined alone with payload and reason"));
        assertThat(goodStored).isEqualTo(357);
        assertClean(t);
        assertThat(quarantined).isEqualTo(expectedQuarantined);
    }

    @Test
    void databaseUnreachableMidBatch() {
        int outage = Integer.getInteger("faults.db-outage-seconds", 60);
        Sim s = tenant(MICROSOFT);
        Set<String> ids = backlog(s, "dbdown", 60, 200);
        AtomicInteger live = new AtomicInteger();
        start(s);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> storedCount(s) > 500);
        DATABASE.cut();
        Instant cutAt = Instant.now();
        // collection goes on being asked for while the database is away: new blobs keep arriving
        Set<String> during = new HashSet<>();
        while (Duration.between(cutAt, Instant.now()).getSeconds() < outage) {
            during.addAll(addBlob(s, "dbdown-live", 1000 + live.getAndIncrement(), minutesAgo(1), 20));
            sleep(2000);
        }
        DATABASE.restore();
        Instant restoredAt = Instant.now();
        ids.addAll(during);
        await().atMost(PATIENCE.plusSeconds(60)).until(() -> storedIds(s).size() == ids.size());
        double recovered = seconds(restoredAt, Instant.now());
        Tally t = Tally.of(ids, storedIdsWithRepeats(s));
        report("PostgreSQL unreachable for " + outage + " s mid-batch (TCP proxy cut)", 1, t, recovered,
                live.get() + " blobs arrived during the outage; quarantine rows: " + quarantineCount(s));
        assertClean(t);
        assertThat(quarantineCount(s)).isZero();
    }

    @Test
    void downtimeLongerThanSevenDaysIsAGapRecordedExactly() {
        Sim s = tenant(MICROSOFT);
        Instant stoppedAt = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        jdbc.update("INSERT INTO listing_cursor (tenant_id, content_type, listed_until, updated_at) VALUES (?, ?, ?, ?)",
                s.id, EXCHANGE, Timestamp.from(stoppedAt), Timestamp.from(stoppedAt));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.addAll(addBlob(s, "downtime", i, Instant.now().minus(Duration.ofHours(160 - 8L * i)), 5));
        }
        start(s);
        await().atMost(PATIENCE).until(() -> storedIds(s).size() == ids.size());
        await().atMost(PATIENCE).until(() -> apiCalls(s, "/subscriptions/content") >= 10);
        List<Gaps.Gap> recorded = gaps.of(s.id);
        Tally t = Tally.of(ids, storedIdsWithRepeats(s));
        Gaps.Gap g = recorded.isEmpty() ? null : recorded.get(0);
        Duration toHorizon = g == null ? null : Duration.between(Instant.now().minus(Duration.ofDays(7)), g.to());
        report("collector down 10 days (> 7 days the API keeps)", 1, t, OptionalDouble.empty(), recorded.size()
                + " gap row: " + (g == null ? "none" : g.from() + " .. " + g.to() + " (" + toHorizon.toMinutes()
                + " min after now - 7 d)") + "; every record of the last 7 days stored");
        assertClean(t);
        assertThat(recorded).hasSize(1);
        assertThat(g.from()).isEqualTo(stoppedAt);
        assertThat(toHorizon).isBetween(Duration.ofMinutes(8), Duration.ofMinutes(11));
    }

    // --- the rest of the suite (also every build; small) --------------------------------------------------------

    @Test
    void serverErrorsResetsAndTimeOutsMidBlob() {
        Sim s = tenant(MICROSOFT);
        Set<String> ids = backlog(s, "flaky", 20, 10);
        Instant c = minutesAgo(20);
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger stalls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            List<String> records = TestRecords.records(30, s.id, c);
            records.forEach(r -> ids.add(idOf(r)));
            byte[] body = ("[" + String.join(",", records) + "]").getBytes(StandardCharsets.UTF_8);
            boolean reset = i % 2 == 0;
            AtomicInteger tries = new AtomicInteger();
            s.sim.addBlob(SimBlob.ofStream(EXCHANGE, TestRecords.contentId("midblob", i), c.plusSeconds(i), c.plusSeconds(i), out -> {
                if (tries.incrementAndGet() <= 2) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    if (reset) {
                        resets.incrementAndGet();
                        throw new java.io.IOException("connection reset mid-blob");
                    }
                    stalls.incrementAndGet();
                    sleep(5000);   // past the 3 s read time-out
                    throw new java.io.IOException("stalled");
                }
                out.write(body);
            }));
        }
        s.sim.throttleNext(12, ThrottleStyle.HTTP_500_AF50000, null);
        start(s);
        await().atMost(PATIENCE).until(() -> storedIds(s).size() == ids.size());
        Tally t = Tally.of(ids, storedIdsWithRepeats(s));
        report("5xx burst, connection resets and time-outs mid-blob", 1, t, OptionalDouble.empty(),
                "12 × 500 AF50000, " + resets.get() + " bodies ended mid-blob (fetched again), " + stalls.get()
                + " stalls past the read time-out; "
                + "no blob quarantined: " + (quarantineCount(s) == 0));
        assertClean(t);
        assertThat(quarantineCount(s)).isZero();
    }

    @Test
    void aTruncatedBlobKeepsEveryCompleteRecordAndQuarantinesTheCutOne() {
        Sim s = tenant(MICROSOFT);
        Instant c = minutesAgo(25);
        List<String> records = TestRecords.records(20, s.id, c);
        String body = "[" + String.join(",", records);
        String truncated = body.substring(0, body.length() - 40);   // the last record is cut off
        s.sim.addBlob(SimBlob.ofRawBody(EXCHANGE, TestRecords.contentId("truncated", 0), c, c,
                truncated.getBytes(StandardCharsets.UTF_8)));
        Set<String> ids = backlog(s, "truncated-next", 3, 5);
        Set<String> complete = new HashSet<>(ids);
        records.subList(0, 19).forEach(r -> complete.add(idOf(r)));
        start(s);
        await().atMost(PATIENCE).until(() -> ledgered(s) == 4);
        Tally t = Tally.of(complete, storedIdsWithRepeats(s));
        String payload = jdbc.queryForObject("SELECT payload FROM quarantine WHERE tenant_id = ?", String.class, s.id);
        report("a truncated blob", 1, t, OptionalDouble.empty(), "19 complete records stored, the cut-off one quarantined "
                + "with its bytes: " + records.get(19).startsWith(payload));
        assertClean(t);
        assertThat(records.get(19)).startsWith(payload);
    }

    @Test
    void expiredVanishedAndStaleListings() {
        Sim s = tenant(MICROSOFT);
        s.sim.pageSize(10);
        Set<String> ids = backlog(s, "stale", 45, 4);
        Instant c = minutesAgo(15);
        String expired = TestRecords.contentId("af20051", 0);
        s.sim.addBlob(SimBlob.ofRecords(EXCHANGE, expired, c, c, TestRecords.records(3, s.id, c)));
        s.sim.failBlobFetch(expired, 1000, 400, "AF20051", "Content " + expired + " is expired. Content older than 7 days "
                + "cannot be retrieved.");
        s.sim.addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("af20050", 0), c, c, TestRecords.records(3, s.id, c))
                .withContentUri(MICROSOFT.baseUrl() + "/api/v1.0/" + s.id + "/activity/feed/audit/gone-" + s.id));
        s.sim.staleNextPages(3);
        start(s);
        await().atMost(PATIENCE).until(() -> ledgered(s) == 47);
        Tally t = Tally.of(ids, storedIdsWithRepeats(s));
        List<Gaps.Gap> recorded = gaps.of(s.id);
        report("AF20051 / AF20050 blobs and a stale nextPage (AF20031) ×3", 1, t, OptionalDouble.empty(),
                recorded.size() + " blobs recorded as gaps (not lost silently); the stale pages were listed again");
        assertClean(t);
        assertThat(recorded).hasSize(2);
        assertThat(s.sim.requests()).anyMatch(r -> r.status() == 400 && r.query().containsKey("nextPage"));
    }

    @Test
    void auditingTurnedOffAndOnAgain() {
        Sim s = tenant(MICROSOFT);
        Set<String> ids = backlog(s, "af20023", 10, 5);
        start(s);
        await().atMost(PATIENCE).until(() -> storedIds(s).size() == ids.size());
        s.sim.subscriptionState(EXCHANGE, SubscriptionState.DISABLED);
        Instant off = Instant.now();
        for (int i = 0; i < 5; i++) {
            ids.addAll(addBlob(s, "af20023-off", i, minutesAgo(2), 5));
        }
        await().atMost(PATIENCE).until(() -> s.sim.requests().stream().anyMatch(r -> r.status() == 400 && r.at().isAfter(off)));
        sleep(3000);
        s.sim.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        Instant on = Instant.now();
        await().atMost(PATIENCE).until(() -> storedIds(s).size() == ids.size());
        Tally t = Tally.of(ids, storedIdsWithRepeats(s));
        report("AF20023 (auditing off) and on again", 1, t, seconds(on, Instant.now()),
                "blobs created while it was off collected once it was on");
        assertClean(t);
    }

    @Test
    void invalidCredentialsForOneTenantLeaveTheOthersAlone() {
        Sim wrong = tenant(MICROSOFT);
        Sim right = tenant(MICROSOFT);
        Set<String> wrongIds = backlog(wrong, "badcreds", 10, 5);
        Set<String> rightIds = backlog(right, "goodcreds", 10, 5);
        String realSecret = wrong.props.getClientSecret();
        wrong.props.setClientSecret("not-the-secret");
        start(wrong);
        start(right);
        await().atMost(PATIENCE).until(() -> storedIds(right).size() == rightIds.size());
        assertThat(storedIds(wrong)).isEmpty();
        // the operator fixes the secret (here: the app's secret becomes the configured one)
        wrong.sim.registerSecret(wrong.props.getClientId(), "not-the-secret");
        Instant fixed = Instant.now();
        await().atMost(PATIENCE).until(() -> storedIds(wrong).size() == wrongIds.size());
        Tally t = Tally.of(union(wrongIds, rightIds), union(storedIdsWithRepeats(wrong), storedIdsWithRepeats(right)));
        report("invalid credentials for one tenant", 1, t, seconds(fixed, Instant.now()),
                "the other tenant collected everything meanwhile; the first caught up once its secret matched");
        assertClean(t);
        assertThat(realSecret).isNotEqualTo("not-the-secret");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    record Sim(String id, SimulatedTenant sim, TenantProperties props, Tenant[] resolved) {
        Tenant tenant() {
            return resolved[0];
        }
    }

    private Sim tenant(ManagementApiSimulator microsoft) {
        String id = UUID.randomUUID().toString();
        TenantProperties p = SimulatedTenants.register(microsoft, id, "f-" + id.substring(0, 8), List.of(EXCHANGE));
        return new Sim(id, microsoft.tenant(id), p, new Tenant[1]);
    }

    private void start(Sim s) {
        Tenant t = s.props.resolve(0);
        s.resolved[0] = t;
        registry.add(t);
        started.add(t);
        routes.startRoutes(t);
    }

    /** n blobs of k fresh records over the last few hours; returns their Ids. */
    private static Set<String> backlog(Sim s, String tag, int n, int k) {
        Set<String> ids = new HashSet<>();
        Instant base = minutesAgo(300);
        for (int i = 0; i < n; i++) {
            ids.addAll(addBlob(s, tag, i, base.plusSeconds(240L * i), k));
        }
        return ids;
    }

    private static Set<String> addBlob(Sim s, String tag, int i, Instant created, int k) {
        Instant at = created.truncatedTo(ChronoUnit.SECONDS);
        List<String> records = TestRecords.records(k, s.id, at);
        s.sim.addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId(tag, i), at, at, records));
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(idOf(r)));
        return ids;
    }

    private static String idOf(String record) {
        int at = record.indexOf("\"Id\":\"") + 6;
        return record.substring(at, record.indexOf('"', at));
    }

    private List<String> storedIdsWithRepeats(Sim s) {
        return jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, s.id);
    }

    private Set<String> storedIds(Sim s) {
        try {
            return new HashSet<>(storedIdsWithRepeats(s));
        } catch (RuntimeException databaseAway) {
            return Set.of();
        }
    }

    private int storedCount(Sim s) {
        return storedIds(s).size();
    }

    private int ledgered(Sim s) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ?", Integer.class, s.id);
    }

    private int quarantineCount(Sim s) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE tenant_id = ?", Integer.class, s.id);
    }

    private static long apiCalls(Sim s, String pathPart) {
        return s.sim.requests().stream().filter(r -> r.path().contains(pathPart)).count();
    }

    private static long count(Sim s, java.util.function.Predicate<RecordedRequest> p) {
        return s.sim.requests().stream().filter(p).count();
    }

    private static Instant lastRequestWith(Sim s, java.util.function.Predicate<RecordedRequest> p) {
        return s.sim.requests().stream().filter(p).map(RecordedRequest::at).max(Instant::compareTo).orElse(Instant.now());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> u = new ArrayList<>(a);
        u.addAll(b);
        return u;
    }

    private static void report(String scenario, int runs, Tally t, double recovered, String note) {
        report(scenario, runs, t, OptionalDouble.of(recovered), note);
    }

    private static void report(String scenario, int runs, Tally t, OptionalDouble recovered, String note) {
        REPORT.append(FaultReport.Row.of(scenario, runs, t, recovered, note));
    }

    private static void assertClean(Tally t) {
        assertThat(t.lost()).as("lost").isZero();
        assertThat(t.duplicated()).as("duplicated").isZero();
        assertThat(t.unexpected()).as("stored but not expected").isZero();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    static Instant minutesAgo(long m) {
        return Instant.now().minus(Duration.ofMinutes(m)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
