package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.O365Properties;
import org.o365audit.record.Texts;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Failed attempts to collect a blob, in the database so that they survive a restart. Any error counts
 * (network, 5xx, a database refusal, a pool time-out); after {@code o365.blob-max-attempts} the blob is
 * quarantined instead of being tried again, so one bad blob cannot hold the listing cursor back until it
 * expires. Written outside the blob's transaction, which has rolled back by then.
 */
@Component
public class BlobAttempts {
    private final JdbcTemplate jdbc;
    private final O365Properties props;
    private final Clock clock;

    public BlobAttempts(DataSource dataSource, O365Properties props, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.props = props;
        this.clock = clock;
    }

    /** Counts a failed attempt; returns how many there have been. */
    public int failed(String tenantId, ContentBlob blob, String error) {
        String key = BlobKeys.of(blob.contentId());
        String err = Texts.column(error, 2000);
        Timestamp now = Timestamp.from(clock.instant());
        for (int tries = 0; ; tries++) {
            if (jdbc.update("UPDATE blob_attempt SET attempts = attempts + 1, last_error = ?, updated_at = ? "
                    + "WHERE tenant_id = ? AND content_id = ?", err, now, tenantId, key) == 0) {
                try {
                    jdbc.update("INSERT INTO blob_attempt (tenant_id, content_id, content_type, attempts, last_error, updated_at) "
                            + "VALUES (?, ?, ?, 1, ?, ?)", tenantId, key, Texts.column(blob.contentType(), 64), err, now);
                } catch (DuplicateKeyException raced) {
                    if (tries < 2) {
                        continue;   // another poll inserted it first: count on its row
                    }
                    throw raced;
                }
            }
            return attempts(tenantId, blob);
        }
    }

    /** Failed attempts so far (0 when none) and the last error, in one read. */
    public Attempt attempt(String tenantId, ContentBlob blob) {
        List<Attempt> a = jdbc.query("SELECT attempts, last_error FROM blob_attempt WHERE tenant_id = ? AND content_id = ?",
                (rs, i) -> new Attempt(rs.getInt(1), rs.getString(2)), tenantId, BlobKeys.of(blob.contentId()));
        return a.isEmpty() ? null : a.get(0);
    }

    public int attempts(String tenantId, ContentBlob blob) {
        List<Integer> a = jdbc.queryForList("SELECT attempts FROM blob_attempt WHERE tenant_id = ? AND content_id = ?",
                Integer.class, tenantId, BlobKeys.of(blob.contentId()));
        return a.isEmpty() ? 0 : a.get(0);
    }

    /** The blob is in the ledger (inside its transaction): its count is over. */
    public void collected(String tenantId, ContentBlob blob) {
        jdbc.update("DELETE FROM blob_attempt WHERE tenant_id = ? AND content_id = ?", tenantId, BlobKeys.of(blob.contentId()));
    }

    public record Attempt(int attempts, String lastError) {
    }
}
