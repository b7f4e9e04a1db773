package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Per tenant and content type, the end of the listing windows whose blobs are all in the ledger. */
@Component
public class ListingCursorStore {
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SqlDialect dialect;

    public ListingCursorStore(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.dialect = SqlDialect.of(dataSource);
    }

    public Instant listedUntil(String tenantId, String contentType) {
        List<Timestamp> t = jdbc.queryForList(
                "SELECT listed_until FROM listing_cursor WHERE tenant_id = ? AND content_type = ?",
                Timestamp.class, tenantId, contentType);
        return t.isEmpty() ? null : t.get(0).toInstant();
    }

    /**
     * Moves the cursor forward (never back) once every blob of a window is collected. Two nodes may race on it
     * (a poll that outlived its node's takeover): the first row is inserted once, and a later one only moves it on.
     */
    public void advance(String tenantId, String contentType, Instant until) {
        Timestamp now = Timestamp.from(clock.instant());
        if (forward(tenantId, contentType, until, now) == 0
                && dialect.insertIfAbsent(jdbc, "listing_cursor", "tenant_id, content_type, listed_until, updated_at", 2,
                        tenantId, contentType, Timestamp.from(until), now) == 0) {
            forward(tenantId, contentType, until, now);   // another node inserted it first, maybe behind this window
        }
    }

    private int forward(String tenantId, String contentType, Instant until, Timestamp now) {
        return jdbc.update("UPDATE listing_cursor SET listed_until = ?, updated_at = ? "
                + "WHERE tenant_id = ? AND content_type = ? AND listed_until < ?",
                Timestamp.from(until), now, tenantId, contentType, Timestamp.from(until));
    }
}
