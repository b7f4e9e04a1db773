package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.o365audit.store.ClusterScheduler;
import org.o365audit.store.SqlDialect;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two cluster nodes as cluster mode builds them (ClusterScheduler: Quartz clustered on the application's
 * DataSource), on one PostgreSQL schema migrated by Flyway as the application does. A job that is stateful
 * (camel-quartz stateful=true: DisallowConcurrentExecution) and recoverable (recoverableJob=true) like the polls
 * and sinks: each fire runs on one node, never two at once, and when a node dies mid-job the other runs it again
 * within o365.cluster.takeover.
 */
class ClusterFailoverTest {
    static final String SCHEMA = "o365_cluster";
    static final Duration TAKEOVER = Duration.ofSeconds(10);
    static final Queue<Run> RUNS = new ConcurrentLinkedQueue<>();
    /** Set: the next run hangs, as the job does on a node killed mid-run (its thread never comes back). */
    static volatile boolean hangNext;
    static volatile CountDownLatch hung;
    static volatile CountDownLatch release;

    static HikariDataSource dataSource;
    final List<Scheduler> nodes = new ArrayList<>();

    @BeforeAll
    static void database() {
        Postgres.dropSchema(SCHEMA);
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Postgres.URL + "?currentSchema=" + SCHEMA);
        dataSource.setUsername("postgres");
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(12);
        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).createSchemas(true)
                .placeholders(SqlDialect.POSTGRESQL.migrationPlaceholders()).load().migrate();
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @BeforeEach
    void reset() {
        RUNS.clear();
        hangNext = false;
        hung = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    @AfterEach
    void stopNodes() throws SchedulerException {
        release.countDown();
        for (Scheduler s : nodes) {
            if (!s.isShutdown()) {
                s.shutdown(true);
            }
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String t : List.of("qrtz_fired_triggers", "qrtz_simple_triggers", "qrtz_triggers", "qrtz_job_details",
                "qrtz_scheduler_state", "qrtz_locks")) {
            jdbc.update("DELETE FROM " + t);
        }
    }

    @Test
    void theCheckInIntervalLetsSurvivorsTakeOverWithinTheTakeover() {
        assertThat(ClusterScheduler.checkinIntervalMillis(Duration.ofSeconds(30))).isEqualTo(10_500);
        assertThat(ClusterScheduler.checkinIntervalMillis(TAKEOVER)).isEqualTo(1_000);
        assertThat(ClusterScheduler.misfireThresholdMillis(Duration.ofSeconds(30))).isEqualTo(60_000);
        assertThat(ClusterScheduler.misfireThresholdMillis(Duration.ofMinutes(2))).isEqualTo(240_000);
    }

    @Test
    void eachFireRunsOnOneNodeAndNeverTwoAtOnce() throws Exception {
        Scheduler a = node("node-a");
        Scheduler b = node("node-b");
        assertThat(a.getMetaData().isJobStoreClustered()).isTrue();
        assertThat(a.getMetaData().getJobStoreClass()).isEqualTo(JobStoreTX.class);
        schedule(a);
        a.start();
        b.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> RUNS.size() >= 20);
        List<Run> runs = sorted();
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).start()).as("run %d starts after run %d ended", i, i - 1)
                    .isAfterOrEqualTo(runs.get(i - 1).end());
        }
        // every fire once: no scheduled time ran twice
        assertThat(runs.stream().map(Run::scheduled).distinct().count()).isEqualTo(runs.size());
        List<String> checkins = new JdbcTemplate(dataSource).queryForList(
                "SELECT instance_name || ' ' || checkin_interval FROM qrtz_scheduler_state ORDER BY 1", String.class);
        assertThat(checkins).containsExactly("node-a 1000", "node-b 1000");
    }

    @Test
    void aJobCutShortByItsNodesDeathRunsAgainOnTheOtherWithinTheTakeover() throws Exception {
        Scheduler a = node("node-a");
        Scheduler b = node("node-b");
        schedule(a);
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> RUNS.size() >= 3);

        hangNext = true;
        assertThat(hung.await(10, TimeUnit.SECONDS)).isTrue();
        String dead = HUNG_ON;
        Scheduler victim = dead.equals("node-a") ? a : b;
        String survivor = dead.equals("node-a") ? "node-b" : "node-a";
        Instant killedAt = Instant.now();
        // as kill -9: no waiting for the job, no clean-up; its check-in row and its fired trigger stay behind
        victim.shutdown(false);

        await().atMost(TAKEOVER.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> RUNS.stream().anyMatch(r -> r.node().equals(survivor) && r.start().isAfter(killedAt)));
        Run first = sorted().stream().filter(r -> r.node().equals(survivor) && r.start().isAfter(killedAt))
                .findFirst().orElseThrow();
        Duration movedAfter = Duration.between(killedAt, first.start());
        // not before the dead node is found dead: a stateful job never runs twice at once
        assertThat(movedAfter).isGreaterThan(Duration.ofSeconds(5)).isLessThanOrEqualTo(TAKEOVER);
        // the interrupted run is run again (recovery), not only the next scheduled one
        await().atMost(Duration.ofSeconds(5)).until(() -> RUNS.stream()
                .anyMatch(r -> r.node().equals(survivor) && r.recovering()));
    }

    private Scheduler node(String name) throws SchedulerException {
        Scheduler s = ClusterScheduler.create(dataSource, name, TAKEOVER, 4);
        nodes.add(s);
        return s;
    }

    private static void schedule(Scheduler s) throws SchedulerException {
        s.scheduleJob(JobBuilder.newJob(Tick.class).withIdentity("tick", "test").requestRecovery().build(),
                TriggerBuilder.newTrigger().withIdentity("tick", "test").startNow()
                        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1).withIntervalInMilliseconds(300))
                        .build());
    }

    private static List<Run> sorted() {
        return RUNS.stream().sorted(Comparator.comparing(Run::start)).toList();
    }

    static volatile String HUNG_ON;

    record Run(String node, Instant scheduled, Instant start, Instant end, boolean recovering) {
    }

    /** The test's job: notes where and when it ran; stateful as camel-quartz's stateful=true. */
    @DisallowConcurrentExecution
    public static class Tick implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            try {
                String node = context.getScheduler().getSchedulerInstanceId();
                Instant start = Instant.now();
                if (hangNext && !context.isRecovering()) {
                    hangNext = false;
                    HUNG_ON = node;
                    hung.countDown();
                    release.await();
                    return;
                }
                Thread.sleep(50);
                RUNS.add(new Run(node, context.getScheduledFireTime().toInstant(), start, Instant.now(),
                        context.isRecovering()));
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
