package org.o365audit.collect;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.store.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Windows an operator asked to collect again for a tenant and content type (JMX operation backfill). The next
 * poll lists them before its own windows and collects every blob there that is not in the ledger yet; the
 * request shrinks as its windows complete and is gone when all are done. Kept in the database, apart from
 * the listing cursor: a requested window never moves the cursor, so the span between a lagging cursor and
 * the request is still listed by the regular windows. A request outlives a restart.
 */
@Component
public class BackfillRequests {
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SqlDialect dialect;

    public BackfillRequests(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.dialect = SqlDialect.of(dataSource);
    }

    /** Replaces any earlier request for the tenant and content type. */
    public void request(String tenantId, String contentType, Instant from, Instant to) {
        Timestamp now = Timestamp.from(clock.instant());
        if (replace(tenantId, contentType, from, to, now) == 0
                && dialect.insertIfAbsent(jdbc, "backfill_request", "tenant_id, content_type, range_from, range_to, requested_at",
                        2, tenantId, contentType, Timestamp.from(from), Timestamp.from(to), now) == 0) {
            replace(tenantId, contentType, from, to, now);   // a request made on another node at the same moment
        }
    }

    private int replace(String tenantId, String contentType, Instant from, Instant to, Timestamp now) {
        return jdbc.update("UPDATE backfill_request SET range_from = ?, range_to = ?, requested_at = ? WHERE tenant_id = ? "
                + "AND content_type = ?", Timestamp.from(from), Timestamp.from(to), now, tenantId, contentType);
    }

    public Range pending(String tenantId, String contentType) {
        List<Range> r = jdbc.query("SELECT range_from, range_to FROM backfill_request WHERE tenant_id = ? AND content_type = ?",
                (rs, i) -> new Range(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()), tenantId, contentType);
        return r.isEmpty() ? null : r.get(0);
    }

    /** A requested window up to {@code end} is collected: the request starts there now, or is done. */
    public void done(String tenantId, String contentType, Instant end) {
        jdbc.update("DELETE FROM backfill_request WHERE tenant_id = ? AND content_type = ? AND range_to <= ?",
                tenantId, contentType, Timestamp.from(end));
        jdbc.update("UPDATE backfill_request SET range_from = ? WHERE tenant_id = ? AND content_type = ? AND range_from < ?",
                Timestamp.from(end), tenantId, contentType, Timestamp.from(end));
    }

    public record Range(Instant from, Instant to) {
    }
}
