package org.o365audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The Quartz scheduler of one cluster node: the JDBC job store on the application's own DataSource (tables
 * qrtz_*, migration V7), clustered, so that every node shares the same triggers, each fire runs on one node and
 * the jobs of a node that stopped checking in move to the others within {@code takeover}. The DataSource reaches
 * Quartz as a {@link ConnectionProvider}, so no database password ever goes into Quartz's properties.
 */
public final class ClusterScheduler {
    /** The scheduler's name, the same on every node: the qrtz_* rows are keyed by it. */
    public static final String NAME = "o365-audit";
    /** Quartz adds this much to a node's check-in interval before it takes the node for dead. */
    static final long QUARTZ_FAILURE_GRACE_MILLIS = 7_500;
    /** Time left within the takeover for a survivor to recover a dead node's jobs and fire them. */
    static final long RECOVERY_MARGIN_MILLIS = 1_500;
    /** camel-quartz counts its jobs here; it creates the counter only in schedulers it made itself. */
    private static final String CAMEL_JOBS_COUNT = "CamelQuartzJobsCount";

    private ClusterScheduler() {
    }

    /**
     * A node is taken for dead when its last check-in is older than interval + 7.5 s, and the survivors look
     * once per interval: so a dead node's jobs move within 2 × interval + 7.5 s, and then the survivor still has to
     * recover them and fire (about a second on a busy database, {@link #RECOVERY_MARGIN_MILLIS}). Never below a
     * second.
     */
    public static long checkinIntervalMillis(Duration takeover) {
        return Math.max(1_000, (takeover.toMillis() - QUARTZ_FAILURE_GRACE_MILLIS - RECOVERY_MARGIN_MILLIS) / 2);
    }

    /**
     * A fire later than this counts as missed (the trigger then waits for its next time). At least a minute and
     * twice the takeover: a trigger a dead node had acquired still fires on a survivor, late, instead of skipping.
     */
    public static long misfireThresholdMillis(Duration takeover) {
        return Math.max(60_000, 2 * takeover.toMillis());
    }

    static Properties properties(String node, Duration takeover, int threads, String dataSourceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", NAME);
        p.setProperty("org.quartz.scheduler.instanceId", node);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "quartz-" + node);
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMillis(takeover)));
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThresholdMillis(takeover)));
        // the node that acquires the next triggers holds the TRIGGER_ACCESS row lock meanwhile: two nodes never
        // pick the same fire
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }

    /**
     * A new scheduler, not started (camel-quartz starts it once the routes are up). Not left in Quartz's JVM-wide
     * repository, so that two nodes can share one JVM (tests) and a restarted context gets a fresh one.
     */
    public static Scheduler create(DataSource dataSource, String node, Duration takeover, int threads) throws SchedulerException {
        String dsName = "o365audit-" + node;
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new SpringConnections(dataSource));
        StdSchedulerFactory factory = new StdSchedulerFactory(properties(node, takeover, threads, dsName));
        Scheduler scheduler = factory.getScheduler();
        SchedulerRepository.getInstance().remove(NAME);
        scheduler.getContext().put(CAMEL_JOBS_COUNT, new AtomicInteger());
        return scheduler;
    }

    /** Quartz's way to the pool: a connection per job-store operation, returned when Quartz closes it. */
    private record SpringConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        /** The pool is the application's: it closes with the application, not with Quartz. */
        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }
}
