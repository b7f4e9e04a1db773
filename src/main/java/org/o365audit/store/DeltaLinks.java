package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Table graph_delta: per tenant and Graph resource, the link a delta sync continues from, the number of its current
 * full read and whether that read is still under way. Written in the transaction of the page it follows, so the
 * stored link never runs ahead of (or behind) what was applied.
 */
@Component
public class DeltaLinks {
    /**
     * @param link     the nextLink during a round, the deltaLink after it, the first URL of a full read about to start
     * @param round    the number of the current (or last) full read; rows it saw carry it as seen_round
     * @param fullRead true until the full read numbered {@code round} has reached its deltaLink
     */
    public record Position(String link, long round, boolean fullRead) {
    }

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Clock clock;

    public DeltaLinks(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = SqlDialect.of(dataSource);
        this.clock = clock;
    }

    /** The stored position, or null before the first page of the first full read was applied. */
    public Position get(String tenantId, String resource) {
        List<Position> rows = jdbc.query("SELECT link, round_number, full_read FROM graph_delta WHERE tenant_id = ? AND "
                + "resource = ?", (rs, i) -> new Position(rs.getString(1), rs.getLong(2), rs.getBoolean(3)), tenantId, resource);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Stores where to continue; {@code roundStarted} when a new full read begins, {@code completed} at a deltaLink. */
    public void put(String tenantId, String resource, Position p, boolean roundStarted, boolean completed) {
        Timestamp now = Timestamp.from(clock.instant());
        if (update(tenantId, resource, p, roundStarted, completed, now) == 0
                && dialect.insertIfAbsent(jdbc, "graph_delta", "tenant_id, resource, link, round_number, full_read, "
                        + "round_started_at, last_completed_at, updated_at", 2, tenantId, resource, p.link(), p.round(),
                        p.fullRead(), now, completed ? now : null, now) == 0) {
            update(tenantId, resource, p, roundStarted, completed, now);
        }
    }

    private int update(String tenantId, String resource, Position p, boolean roundStarted, boolean completed, Timestamp now) {
        return jdbc.update("UPDATE graph_delta SET link = ?, round_number = ?, full_read = ?, round_started_at = "
                + "CASE WHEN ? THEN ? ELSE round_started_at END, last_completed_at = CASE WHEN ? THEN ? ELSE "
                + "last_completed_at END, updated_at = ? WHERE tenant_id = ? AND resource = ?", p.link(), p.round(),
                p.fullRead(), roundStarted, now, completed, now, now, tenantId, resource);
    }
}
