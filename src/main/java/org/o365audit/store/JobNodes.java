package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which node last started each scheduled job (table job_node), and the cluster's nodes as Quartz sees them
 * (their check-ins in qrtz_scheduler_state). Cluster mode only: one process alone runs everything itself.
 */
@Component
public class JobNodes {
    /** A record this old is refreshed even when the same node runs the job again, so "since" stays near. */
    static final Duration REFRESH = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JobNodes(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** The job started on this node: one primary-key statement, which writes only when the record changes. */
    public void started(String job, String node) {
        Instant now = clock.instant();
        jdbc.update("""
                INSERT INTO job_node (job, node, started_at) VALUES (?, ?, ?)
                ON CONFLICT (job) DO UPDATE SET node = EXCLUDED.node, started_at = EXCLUDED.started_at
                WHERE job_node.node <> EXCLUDED.node OR job_node.started_at < ?""",
                job, node, Timestamp.from(now), Timestamp.from(now.minus(REFRESH)));
    }

    /** Every job's last node, by job (route id). */
    public Map<String, Run> all() {
        Map<String, Run> out = new HashMap<>();
        jdbc.query("SELECT job, node, started_at FROM job_node", rs -> {
            out.put(rs.getString(1), new Run(rs.getString(2), rs.getTimestamp(3).toInstant()));
        });
        return out;
    }

    /** The nodes that checked in, alive or not (Quartz takes one for dead after its interval + 7.5 s). */
    public List<Node> nodes() {
        long now = clock.millis();
        return jdbc.query("""
                SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state
                WHERE sched_name = ? ORDER BY instance_name""",
                (rs, i) -> new Node(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getLong(2) + rs.getLong(3) + ClusterScheduler.QUARTZ_FAILURE_GRACE_MILLIS >= now),
                ClusterScheduler.NAME);
    }

    public record Run(String node, Instant startedAt) {
    }

    public record Node(String name, Instant lastCheckin, boolean alive) {
    }
}
