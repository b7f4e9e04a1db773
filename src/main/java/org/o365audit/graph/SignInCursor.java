package org.o365audit.graph;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.store.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/** Where the signins component of a tenant stands in the Graph sign-in log (table signin_cursor). */
@Component
public class SignInCursor {
    /** A typed NULL: H2 cannot tell the type of a bare NULL in INSERT ... SELECT ?. */
    private static final SqlParameterValue NO_TIME = new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE, null);

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Clock clock;

    public SignInCursor(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = SqlDialect.of(dataSource);
        this.clock = clock;
    }

    public record State(Instant collectedUntil, Instant licenceRetryAt) {
    }

    public State get(String tenantId) {
        List<State> rows = jdbc.query("SELECT collected_until, licence_retry_at FROM signin_cursor WHERE tenant_id = ?",
                (rs, i) -> new State(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))), tenantId);
        return rows.isEmpty() ? new State(null, null) : rows.get(0);
    }

    /** Everything created before {@code until} is stored; the cursor never moves back (two nodes, one late). */
    public void collectedUntil(String tenantId, Instant until) {
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp u = Timestamp.from(until);
        if (jdbc.update("UPDATE signin_cursor SET collected_until = CASE WHEN collected_until IS NULL OR collected_until < ?"
                + " THEN ? ELSE collected_until END, licence_retry_at = NULL, updated_at = ? WHERE tenant_id = ?",
                u, u, now, tenantId) == 0) {
            dialect.insertIfAbsent(jdbc, "signin_cursor", "tenant_id, collected_until, licence_retry_at, updated_at", 1,
                    tenantId, u, NO_TIME, now);
        }
    }

    /** The tenant has no licence for the log: it is asked again from {@code retryAt} on. */
    public void licenceMissing(String tenantId, Instant retryAt) {
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp r = Timestamp.from(retryAt);
        if (jdbc.update("UPDATE signin_cursor SET licence_retry_at = ?, updated_at = ? WHERE tenant_id = ?",
                r, now, tenantId) == 0) {
            dialect.insertIfAbsent(jdbc, "signin_cursor", "tenant_id, collected_until, licence_retry_at, updated_at", 1,
                    tenantId, NO_TIME, r, now);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
