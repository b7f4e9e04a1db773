package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.o365audit.api.ContentBlob;
import org.o365audit.api.RequestBudget;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.api.TenantThrottle;
import org.o365audit.collect.BackfillRequests;
import org.o365audit.config.NodeIdentity;
import org.o365audit.config.O365Properties;
import org.o365audit.delayed.DelayedFeedState;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.sink.DeliverySequencer;
import org.o365audit.sink.SetAsideResends;
import org.o365audit.sink.SinkBatch;
import org.o365audit.sink.SinkLease;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkRecord;
import org.o365audit.sink.SinkStart;
import org.o365audit.store.BlobLedger;
import org.o365audit.store.ListingCursorStore;
import org.o365audit.store.SqlDialect;
import org.o365audit.store.SubscriptionStarts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two collector nodes on one PostgreSQL (schema o365_cluster_data), racing on the same blob, cursor, sink batch,
 * subscription start, request budget and back-off: each node is its own set of beans on its own connections.
 */
class ClusterDataPathOnPostgresTest {
    static final String SCHEMA = "o365_cluster_data";
    static HikariDataSource ds;
    static JdbcTemplate jdbc;
    static DataSourceTransactionManager txm;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void migrate() {
        Postgres.dropSchema(SCHEMA);
        Postgres.createSchema(SCHEMA);
        ds = new HikariDataSource();
        ds.setJdbcUrl(Postgres.URL + "?currentSchema=" + SCHEMA);
        ds.setUsername("postgres");
        ds.setPassword("");
        ds.setMaximumPoolSize(16);
        Flyway.configure().dataSource(ds).schemas(SCHEMA).locations("classpath:db/migration")
                .placeholders(SqlDialect.POSTGRESQL.migrationPlaceholders()).load().migrate();
        jdbc = new JdbcTemplate(ds);
        txm = new DataSourceTransactionManager(ds);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void blobRacedByTwoNodesIsCollectedByOneAndSkippedQuietlyByTheOther() throws Exception {
        BlobLedger nodeA = new BlobLedger(ds, Clock.systemUTC());
        BlobLedger nodeB = new BlobLedger(ds, Clock.systemUTC());
        BlobContent blob = blob("blob-raced");
        CountDownLatch aClaimed = new CountDownLatch(1);
        CountDownLatch bAsked = new CountDownLatch(1);
        // node A's blob transaction: claim, (store its records,) ledger, commit a moment after node B asked
        Future<Boolean> a = pool.submit(() -> tx().execute(s -> {
            boolean mine = nodeA.claim("tenant-1", blob);
            aClaimed.countDown();
            awaitLatch(bAsked);
            sleep(500);
            nodeA.markCollected("tenant-1", blob);
            return mine;
        }));
        aClaimed.await();
        long started = System.nanoTime();
        Future<Boolean> b = pool.submit(() -> tx().execute(s -> {
            bAsked.countDown();
            boolean mine = nodeB.claim("tenant-1", blob);
            if (mine) {
                nodeB.markCollected("tenant-1", blob);
            }
            return mine;
        }));
        assertThat(a.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(b.get(10, TimeUnit.SECONDS)).as("node B skips the blob node A collected").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("B waited for A's transaction").isGreaterThan(Duration.ofMillis(300));
        assertThat(jdbc.queryForObject("SELECT status FROM blob_ledger WHERE content_id = 'blob-raced'", String.class))
                .isEqualTo("collected");
    }

    @Test
    void blobClaimRolledBackByOneNodeIsCollectedByTheOther() throws Exception {
        BlobLedger nodeA = new BlobLedger(ds, Clock.systemUTC());
        BlobLedger nodeB = new BlobLedger(ds, Clock.systemUTC());
        BlobContent blob = blob("blob-rolled-back");
        CountDownLatch aClaimed = new CountDownLatch(1);
        Future<Boolean> a = pool.submit(() -> tx().execute(s -> {
            boolean mine = nodeA.claim("tenant-1", blob);
            aClaimed.countDown();
            sleep(300);
            s.setRollbackOnly();   // its download broke off, say
            return mine;
        }));
        aClaimed.await();
        Future<Boolean> b = pool.submit(() -> tx().execute(s -> {
            boolean mine = nodeB.claim("tenant-1", blob);
            nodeB.markCollected("tenant-1", blob);
            return mine;
        }));
        assertThat(a.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(b.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE content_id = 'blob-rolled-back'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void firstCursorOfTwoNodesNeverFailsNorMovesBack() throws Exception {
        ListingCursorStore nodeA = new ListingCursorStore(ds, Clock.systemUTC());
        ListingCursorStore nodeB = new ListingCursorStore(ds, Clock.systemUTC());
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        for (int round = 0; round < 30; round++) {
            String type = "Audit.Race" + round;
            List<Instant> ends = new ArrayList<>();
            List<Callable<Void>> racers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(4);
            for (int i = 0; i < 4; i++) {
                Instant end = base.plus(Duration.ofHours(i + 1));
                ends.add(end);
                ListingCursorStore node = i % 2 == 0 ? nodeA : nodeB;
                racers.add(() -> {
                    start.await();
                    node.advance("tenant-1", type, end);
                    return null;
                });
            }
            runAll(racers);
            assertThat(nodeA.listedUntil("tenant-1", type)).isEqualTo(Collections.max(ends));
        }
    }

    @Test
    void settledWatermarkOfADelayedFeedNeverMovesBack() throws Exception {
        DelayedFeedState nodeA = new DelayedFeedState(ds, Clock.systemUTC());
        DelayedFeedState nodeB = new DelayedFeedState(ds, Clock.systemUTC());
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        for (int round = 0; round < 30; round++) {
            String feed = "powerbi-" + round;
            List<Callable<Void>> racers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(4);
            for (int i = 0; i < 4; i++) {
                Instant settled = base.plus(Duration.ofHours(i));
                DelayedFeedState node = i % 2 == 0 ? nodeA : nodeB;
                racers.add(() -> {
                    start.await();
                    node.put("tenant-1", feed, new DelayedFeedState.State(settled, null, null));
                    return null;
                });
            }
            runAll(racers);
            assertThat(nodeA.get("tenant-1", feed).settledUntil()).isEqualTo(base.plus(Duration.ofHours(3)));
        }
        // a node that lagged behind writes an older watermark: the newer one stands
        nodeB.put("tenant-1", "powerbi-0", new DelayedFeedState.State(base, null, null));
        assertThat(nodeA.get("tenant-1", "powerbi-0").settledUntil()).isEqualTo(base.plus(Duration.ofHours(3)));
    }

    @Test
    void backfillRequestedOnTwoNodesAtOnceIsKeptOnce() throws Exception {
        BackfillRequests nodeA = new BackfillRequests(ds, Clock.systemUTC());
        BackfillRequests nodeB = new BackfillRequests(ds, Clock.systemUTC());
        Instant from = Instant.parse("2026-11-20T00:00:00Z");
        for (int round = 0; round < 30; round++) {
            String type = "Audit.Backfill" + round;
            List<Callable<Void>> racers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(4);
            for (int i = 0; i < 4; i++) {
                BackfillRequests node = i % 2 == 0 ? nodeA : nodeB;
                racers.add(() -> {
                    start.await();
                    node.request("tenant-1", type, from, from.plus(Duration.ofDays(1)));
                    return null;
                });
            }
            runAll(racers);
            assertThat(nodeB.pending("tenant-1", type)).isEqualTo(new BackfillRequests.Range(from, from.plus(Duration.ofDays(1))));
        }
    }

    @Test
    void firstSinkPositionOfTwoNodesIsCreatedOnce() throws Exception {
        for (int round = 0; round < 30; round++) {
            String sink = "first-" + round;
            List<Callable<Void>> racers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(4);
            for (int i = 0; i < 4; i++) {
                SinkPositions node = positions("node-" + (i % 2), Clock.systemUTC(), Duration.ofSeconds(30));
                racers.add(() -> {
                    start.await();
                    node.position(sink, SinkStart.EARLIEST);
                    return null;
                });
            }
            runAll(racers);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_position WHERE sink LIKE 'first-%'", Integer.class)).isEqualTo(30);
    }

    @Test
    void subscriptionIsStartedByOneNodeOnlyWithinFifteenMinutes() throws Exception {
        SubscriptionStarts nodeA = new SubscriptionStarts(ds);
        SubscriptionStarts nodeB = new SubscriptionStarts(ds);
        Duration spacing = Duration.ofMinutes(15);
        Instant t0 = Instant.parse("2026-11-24T10:00:00Z");
        for (Instant at : List.of(t0, t0.plus(Duration.ofMinutes(5)), t0.plus(Duration.ofMinutes(16)))) {
            for (int round = 0; round < 20; round++) {
                String type = "Audit.Sub" + round;
                AtomicInteger started = new AtomicInteger();
                List<Callable<Void>> racers = new ArrayList<>();
                CyclicBarrier start = new CyclicBarrier(4);
                for (int i = 0; i < 4; i++) {
                    SubscriptionStarts node = i % 2 == 0 ? nodeA : nodeB;
                    racers.add(() -> {
                        start.await();
                        if (node.tryStart("tenant-1", type, at, spacing)) {
                            started.incrementAndGet();
                        }
                        return null;
                    });
                }
                runAll(racers);
                // the first start, none 5 minutes later, one again after 16
                int expected = at.equals(t0.plus(Duration.ofMinutes(5))) ? 0 : 1;
                assertThat(started.get()).as("starts of %s at %s", type, at).isEqualTo(expected);
            }
        }
    }

    @Test
    void twoNodesClaimingOneSinkNeverSendABatchTwice() throws Exception {
        seedRecords("claim-", 400);
        MutableClock clock = new MutableClock(Instant.now());
        String sink = "claimed-by-two";
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> nodes = new ArrayList<>();
        for (String name : List.of("node-a", "node-b", "node-c", "node-d")) {
            SinkPositions node = positions(name, clock, Duration.ofSeconds(30));
            nodes.add(() -> {
                for (int idle = 0; idle < 20; ) {
                    SinkBatch b = node.claim(sink, SinkStart.EARLIEST, 7, 0);
                    if (b.isEmpty()) {
                        idle++;
                        Thread.sleep(5);
                        continue;
                    }
                    b.records().forEach(r -> delivered.add(r.getId()));
                    node.confirm(sink, b.id(), b.size(), 0);
                }
                return null;
            });
        }
        runAll(nodes);
        List<String> claimRecords = delivered.stream().filter(id -> id.startsWith("claim-")).toList();
        assertThat(new HashSet<>(claimRecords)).hasSize(400);
        assertThat(claimRecords).as("no record sent twice").hasSize(400);
    }

    @Test
    void pendingBatchOfANodeIsTakenOverOnlyAfterItsLeaseRanOut() {
        seedRecords("lease-", 10);
        MutableClock clock = new MutableClock(Instant.now());
        String sink = "leased";
        SinkPositions nodeA = positions("node-a", clock, Duration.ofSeconds(30));
        SinkPositions nodeB = positions("node-b", clock, Duration.ofSeconds(30));
        SinkBatch sent = nodeA.claim(sink, SinkStart.EARLIEST, 5, 0);
        assertThat(sent.size()).isEqualTo(5);
        // node A is sending it (or was killed while it did)
        clock.advance(Duration.ofSeconds(20));
        assertThat(nodeB.claim(sink, SinkStart.EARLIEST, 5, 0).isEmpty()).as("A's lease runs").isTrue();
        nodeA.progress(sink, sent.id(), 2);   // A is alive: its lease runs on from here
        clock.advance(Duration.ofSeconds(20));
        assertThat(nodeB.claim(sink, SinkStart.EARLIEST, 5, 0).isEmpty()).as("renewed by progress").isTrue();
        clock.advance(Duration.ofSeconds(11));
        SinkBatch again = nodeB.claim(sink, SinkStart.EARLIEST, 5, 0);
        assertThat(again.id()).as("the same batch, again").isEqualTo(sent.id());
        assertThat(again.redelivery()).isTrue();
        assertThat(again.done()).isEqualTo(2);
        assertThat(nodeA.claim(sink, SinkStart.EARLIEST, 5, 0).isEmpty()).as("now B holds it").isTrue();
        nodeB.confirm(sink, again.id(), 5, 0);
        assertThat(nodeA.claim(sink, SinkStart.EARLIEST, 5, 0).size()).as("the next batch, to whoever asks").isEqualTo(5);
    }

    @Test
    void resendBatchOfANodeHoldsTheSinkForItsLease() {
        seedRecords("resend-", 8);
        MutableClock clock = new MutableClock(Instant.now());
        String sink = "resent";
        SinkPositions positionsA = positions("node-a", clock, Duration.ofSeconds(30));
        SinkPositions positionsB = positions("node-b", clock, Duration.ofSeconds(30));
        SetAsideResends resendsA = new SetAsideResends(ds, txm, clock, lease("node-a", clock));
        SetAsideResends resendsB = new SetAsideResends(ds, txm, clock, lease("node-b", clock));
        SinkBatch first = positionsA.claim(sink, SinkStart.EARLIEST, 3, 0);
        positionsA.setAside(sink, first.id(), first.records(), "refused");
        positionsA.confirm(sink, first.id(), 0, 3);
        assertThat(resendsA.queue(sink, null, null).queued()).isEqualTo(3);
        SinkBatch resend = resendsA.claim(sink, 10);
        assertThat(resend.size()).isEqualTo(3);
        // node A is sending the set-aside records again: node B sends neither them nor new records meanwhile
        assertThat(resendsB.claim(sink, 10).isEmpty()).isTrue();
        assertThat(positionsB.claim(sink, SinkStart.EARLIEST, 3, 0).isEmpty()).isTrue();
        clock.advance(Duration.ofSeconds(31));
        SinkBatch takenOver = resendsB.claim(sink, 10);
        assertThat(takenOver.id()).isEqualTo(resend.id());
        resendsB.confirm(sink, takenOver.id());
        assertThat(positionsA.claim(sink, SinkStart.EARLIEST, 3, 0).size()).as("then new records, from any node").isEqualTo(3);
    }

    @Test
    void singleProcessSendsItsPendingBatchAgainAtOnceAfterARestart() {
        seedRecords("single-", 6);
        String sink = "single";
        SinkPositions before = new SinkPositions(ds, txm, Clock.systemUTC(), new DeliverySequencer(ds, txm, Clock.systemUTC()));
        SinkBatch sent = before.claim(sink, SinkStart.EARLIEST, 3, 0);
        SinkPositions restarted = new SinkPositions(ds, txm, Clock.systemUTC(), new DeliverySequencer(ds, txm, Clock.systemUTC()));
        assertThat(restarted.claim(sink, SinkStart.EARLIEST, 3, 0).id()).isEqualTo(sent.id());
    }

    @Test
    void powerBiBudgetIsSharedByTwoNodes() throws Exception {
        RequestBudget nodeA = new RequestBudget("powerbi|shared", 10, Duration.ofHours(1), Clock.systemUTC(), ds, txm);
        RequestBudget nodeB = new RequestBudget("powerbi|shared", 10, Duration.ofHours(1), Clock.systemUTC(), ds, txm);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Callable<Void>> racers = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(4);
        for (int i = 0; i < 4; i++) {
            RequestBudget node = i % 2 == 0 ? nodeA : nodeB;
            racers.add(() -> {
                start.await();
                for (int n = 0; n < 8; n++) {
                    try {
                        node.acquire("contoso");
                        sent.incrementAndGet();
                    } catch (TenantBackingOffException full) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runAll(racers);
        assertThat(sent.get()).isEqualTo(10);
        assertThat(refused.get()).isEqualTo(22);
        RequestBudget restarted = new RequestBudget("powerbi|shared", 10, Duration.ofHours(1), Clock.systemUTC(), ds, txm);
        assertThat(restarted.usedInPeriod()).isEqualTo(10);
        assertThatThrownBy(() -> restarted.acquire("contoso")).isInstanceOf(TenantBackingOffException.class);
    }

    @Test
    void budgetSlidesWithTheHour() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        RequestBudget b = new RequestBudget("powerbi|sliding", 3, Duration.ofHours(1), clock, ds, txm);
        b.acquire("contoso");
        clock.advance(Duration.ofMinutes(30));
        b.acquire("contoso");
        b.acquire("contoso");
        assertThatThrownBy(() -> b.acquire("contoso")).isInstanceOf(TenantBackingOffException.class)
                .hasMessageContaining("2026-11-24T11:00:00Z");
        clock.advance(Duration.ofMinutes(30));   // the first one is an hour old now
        b.acquire("contoso");
        assertThatThrownBy(() -> b.acquire("contoso")).isInstanceOf(TenantBackingOffException.class);
    }

    @Test
    void backOffIsSeenByTheOtherNodeAndOutlivesARestart() {
        O365Properties props = new O365Properties();
        TenantThrottle nodeA = new TenantThrottle(ds, props, Clock.systemUTC());
        TenantThrottle nodeB = new TenantThrottle(ds, props, Clock.systemUTC());
        String key = "tenant-9|management";
        nodeB.awaitTurn(key, "contoso");   // B has looked (and remembers: no back-off)
        nodeA.throttled(key, "contoso", Duration.ofMinutes(5), "listing");
        assertThatThrownBy(() -> nodeA.awaitTurn(key, "contoso")).isInstanceOf(TenantBackingOffException.class);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThatThrownBy(() -> nodeB.awaitTurn(key, "contoso")).isInstanceOf(TenantBackingOffException.class));
        TenantThrottle restarted = new TenantThrottle(ds, props, Clock.systemUTC());
        assertThatThrownBy(() -> restarted.awaitTurn(key, "contoso")).isInstanceOf(TenantBackingOffException.class);
        // throttled again on the other node: the count goes on from the first node's
        nodeB.throttled(key, "contoso", Duration.ofMinutes(1), "listing");
        assertThat(jdbc.queryForObject("SELECT consecutive FROM throttle_backoff WHERE throttle_key = ?", Integer.class, key))
                .isEqualTo(2);
        Timestamp notBefore = jdbc.queryForObject("SELECT not_before FROM throttle_backoff WHERE throttle_key = ?",
                Timestamp.class, key);
        assertThat(notBefore.toInstant()).as("the longer back-off stands").isAfter(Instant.now().plus(Duration.ofMinutes(4)));
    }

    private SinkPositions positions(String node, Clock clock, Duration lease) {
        return new SinkPositions(ds, txm, clock, new DeliverySequencer(ds, txm, clock),
                new SinkLease(new NodeIdentity(node, true), lease, clock));
    }

    private static SinkLease lease(String node, Clock clock) {
        return new SinkLease(new NodeIdentity(node, true), Duration.ofSeconds(30), clock);
    }

    /** Records of a new delivery epoch, each id with the prefix. */
    private static void seedRecords(String prefix, int n) {
        long epoch = new DeliverySequencer(ds, txm, Clock.systemUTC()).lastEpoch() + 1;
        for (int i = 0; i < n; i++) {
            jdbc.update("""
                    INSERT INTO audit_event (tenant_id, id, tenant_name, content_type, content_id, collected_at, app, raw)
                    VALUES ('tenant-1', ?, 'contoso', 'Audit.Exchange', 'blob', ?, 'Exchange', CAST(? AS jsonb))""",
                    prefix + i, Timestamp.from(Instant.now()), "{\"Id\":\"" + prefix + i + "\"}");
        }
        new DeliverySequencer(ds, txm, Clock.systemUTC()).sequence();
        assertThat(epoch).isPositive();
    }

    private static BlobContent blob(String contentId) {
        ContentBlob b = new ContentBlob("Audit.Exchange", contentId, "https://manage.office.com/x/" + contentId,
                Instant.parse("2026-11-24T09:00:00Z"), Instant.parse("2026-12-01T09:00:00Z"));
        return new BlobContent(null, b, null, null, new BlobStats(b));
    }

    private static TransactionTemplate tx() {
        return new TransactionTemplate(txm);
    }

    private void runAll(List<Callable<Void>> tasks) throws Exception {
        List<Future<Void>> running = new ArrayList<>();
        for (Callable<Void> t : tasks) {
            running.add(pool.submit(t));
        }
        for (Future<Void> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private static void awaitLatch(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
