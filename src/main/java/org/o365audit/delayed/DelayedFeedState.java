package org.o365audit.delayed;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
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

    public DelayedFeedState(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    public record State(Instant settledUntil, Instant scanStartedAt, Instant scanPosition) {
    }

    public State get(String tenantId, String feed) {
        List<State> rows = jdbc.query("SELECT settled_until, scan_started_at, scan_position FROM delayed_feed_state "
                + "WHERE tenant_id = ? AND feed = ?", (rs, i) -> new State(instant(rs.getTimestamp(1)),
                instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))), tenantId, feed);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public void put(String tenantId, String feed, State s) {
        Timestamp now = Timestamp.from(clock.instant());
        int n = jdbc.update("UPDATE delayed_feed_state SET settled_until = ?, scan_started_at = ?, scan_position = ?, "
                + "updated_at = ? WHERE tenant_id = ? AND feed = ?", ts(s.settledUntil()), ts(s.scanStartedAt()),
                ts(s.scanPosition()), now, tenantId, feed);
        if (n == 0) {
            jdbc.update("INSERT INTO delayed_feed_state (tenant_id, feed, settled_until, scan_started_at, scan_position, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?)", tenantId, feed, ts(s.settledUntil()), ts(s.scanStartedAt()),
                    ts(s.scanPosition()), now);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
