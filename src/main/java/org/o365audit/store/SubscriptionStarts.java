package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** When each subscription was last started; kept in the database so a restart respects the 15-minute rule. */
@Component
public class SubscriptionStarts {
    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;

    public SubscriptionStarts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = SqlDialect.of(dataSource);
    }

    public Instant lastStart(String tenantId, String contentType) {
        List<Timestamp> t = jdbc.queryForList(
                "SELECT last_start_at FROM subscription_state WHERE tenant_id = ? AND content_type = ?",
                Timestamp.class, tenantId, contentType);
        return t.isEmpty() ? null : t.get(0).toInstant();
    }

    /**
     * Takes the right to start the subscription at {@code at}, a compare-and-set in the database: true when no
     * start was recorded or the last one is at least {@code spacing} old, and {@code at} is now recorded; false
     * when another node (or an earlier poll) started it within {@code spacing}. Of two nodes asking at once,
     * exactly one gets true.
     */
    public boolean tryStart(String tenantId, String contentType, Instant at, Duration spacing) {
        Timestamp t = Timestamp.from(at);
        if (jdbc.update("UPDATE subscription_state SET last_start_at = ? WHERE tenant_id = ? AND content_type = ? "
                + "AND last_start_at <= ?", t, tenantId, contentType, Timestamp.from(at.minus(spacing))) == 1) {
            return true;
        }
        // no row (or a recent one): the insert takes a missing row once, whoever races for it
        return dialect.insertIfAbsent(jdbc, "subscription_state", "tenant_id, content_type, last_start_at", 2,
                tenantId, contentType, t) == 1;
    }

    /**
     * Takes back a start that the API did not carry out (it answered 5xx, throttled, or never answered): the
     * 15-minute spacing is owed only after a start the API accepted.
     */
    public void forgetStart(String tenantId, String contentType, Instant at) {
        jdbc.update("DELETE FROM subscription_state WHERE tenant_id = ? AND content_type = ? AND last_start_at = ?",
                tenantId, contentType, Timestamp.from(at));
    }
}
