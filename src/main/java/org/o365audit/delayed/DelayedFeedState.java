package org.o365audit.delayed;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.store.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Table delayed_feed_state: per tenant and feed, the settled watermark and the re-scan in progress
 * (when it started and how far it got), so a restart resumes the scan instead of losing or repeating it.
 */
@Component
public class DelayedFeedState {
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SqlDialect dialect;

    public DelayedFeedState(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.dialect = SqlDialect.of(dataSource);
    }

    public record State(Instant settledUntil, Instant scanStartedAt, Instant scanPosition) {
    }

    public State get(String tenantId, String feed) {
        List<State> rows = jdbc.query("SELECT settled_until, scan_started_at, scan_position FROM delayed_feed_state "
                + "WHERE tenant_id = ? AND feed = ?", (rs, i) -> new State(instant(rs.getTimestamp(1)),
                instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))), tenantId, feed);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Writes the state; the settled watermark only ever moves forward, also when two nodes race on the feed (a
     * cycle that outlived its node's takeover): the first row is inserted once, and an older watermark never wins.
     */
    public void put(String tenantId, String feed, State s) {
        Timestamp now = Timestamp.from(clock.instant());
        if (update(tenantId, feed, s, now) == 0
                && dialect.insertIfAbsent(jdbc, "delayed_feed_state", "tenant_id, feed, settled_until, scan_started_at, "
                        + "scan_position, updated_at", 2, tenantId, feed, ts(s.settledUntil()), ts(s.scanStartedAt()),
                        ts(s.scanPosition()), now) == 0) {
            update(tenantId, feed, s, now);
        }
    }

    private int update(String tenantId, String feed, State s, Timestamp now) {
        return jdbc.update("UPDATE delayed_feed_state SET settled_until = CASE WHEN settled_until < ? THEN ? ELSE "
                + "settled_until END, scan_started_at = ?, scan_position = ?, updated_at = ? WHERE tenant_id = ? AND feed = ?",
                ts(s.settledUntil()), ts(s.settledUntil()), ts(s.scanStartedAt()), ts(s.scanPosition()), now, tenantId, feed);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
