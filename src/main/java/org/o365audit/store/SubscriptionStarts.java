package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** When each subscription was last started; kept in the database so a restart respects the 15-minute rule. */
@Component
public class SubscriptionStarts {
    private final JdbcTemplate jdbc;

    public SubscriptionStarts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Instant lastStart(String tenantId, String contentType) {
        List<Timestamp> t = jdbc.queryForList(
                "SELECT last_start_at FROM subscription_state WHERE tenant_id = ? AND content_type = ?",
                Timestamp.class, tenantId, contentType);
        return t.isEmpty() ? null : t.get(0).toInstant();
    }

    public void recordStart(String tenantId, String contentType, Instant at) {
        int n = jdbc.update("UPDATE subscription_state SET last_start_at = ? WHERE tenant_id = ? AND content_type = ?",
                Timestamp.from(at), tenantId, contentType);
        if (n == 0) {
            jdbc.update("INSERT INTO subscription_state (tenant_id, content_type, last_start_at) VALUES (?, ?, ?)",
                    tenantId, contentType, Timestamp.from(at));
        }
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
