package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.O365Properties;
import org.o365audit.record.Texts;
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
    private final SqlDialect dialect;

    public BlobAttempts(DataSource dataSource, O365Properties props, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.props = props;
        this.clock = clock;
        this.dialect = SqlDialect.of(dataSource);
    }

    /** Counts a failed attempt; returns how many there have been. */
    public int failed(String tenantId, ContentBlob blob, String error) {
        String key = BlobKeys.of(blob.contentId());
        String err = Texts.column(error, 2000);
        Timestamp now = Timestamp.from(clock.instant());
        if (increment(tenantId, key, err, now) == 0
                && dialect.insertIfAbsent(jdbc, "blob_attempt", "tenant_id, content_id, content_type, attempts, last_error, updated_at",
                        2, tenantId, key, Texts.column(blob.contentType(), 64), 1, err, now) == 0) {
            increment(tenantId, key, err, now);   // another node or poll counted first: count on its row
        }
        return attempts(tenantId, blob);
    }

    private int increment(String tenantId, String key, String err, Timestamp now) {
        return jdbc.update("UPDATE blob_attempt SET attempts = attempts + 1, last_error = ?, updated_at = ? "
                + "WHERE tenant_id = ? AND content_id = ?", err, now, tenantId, key);
    }

    /**
     * The failed attempts so far of these blob keys ({@link BlobKeys#of}), by key, for a whole listing page in one
     * read; a key without failures is absent.
     */
    public Map<String, Attempt> of(String tenantId, Collection<String> keys) {
        Map<String, Attempt> found = new HashMap<>();
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += BlobLedger.SLICE) {
            List<String> slice = all.subList(from, Math.min(all.size(), from + BlobLedger.SLICE));
            List<Object> args = new ArrayList<>(slice.size() + 1);
            args.add(tenantId);
            args.addAll(slice);
            jdbc.query("SELECT content_id, attempts, last_error FROM blob_attempt WHERE tenant_id = ? AND content_id IN ("
                    + BlobLedger.placeholders(slice.size()) + ")",
                    rs -> {
                        found.put(rs.getString(1), new Attempt(rs.getInt(2), rs.getString(3)));
                    }, args.toArray());
        }
        return found;
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
