package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The blobs already collected, keyed by tenant and contentId and kept until the blob expires: the
 * look-back re-lists recent windows every poll and this is how it skips what it has already stored.
 */
@Component("blobLedger")
public class BlobLedger {
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public BlobLedger(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    public boolean isNew(@Header(Headers.TENANT_ID) String tenantId, ContentBlob blob) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ? AND content_id = ?",
                Integer.class, tenantId, BlobKeys.of(blob.contentId()));
        return n == null || n == 0;
    }

    /** Called last inside the blob's transaction: the blob counts as collected only with its records. */
    public void markCollected(@Header(Headers.TENANT_ID) String tenantId, BlobContent content) {
        BlobStats stats = content.stats();
        ContentBlob b = stats.blob();
        jdbc.update("""
                INSERT INTO blob_ledger (tenant_id, content_id, content_type, content_created, content_expiration, status,
                  records_stored, records_duplicate, collected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                tenantId, BlobKeys.of(b.contentId()), Texts.column(b.contentType(), 64), ts(b.contentCreated()), ts(b.contentExpiration()),
                stats.blobRejected() ? "quarantined" : "collected", stats.storedCount(), stats.duplicateCount(),
                Timestamp.from(clock.instant()));
    }

    /** Forgets blobs a day after they expired: the API no longer lists them. */
    public int forgetExpired() {
        return jdbc.update("DELETE FROM blob_ledger WHERE content_expiration < ?",
                Timestamp.from(clock.instant().minus(Duration.ofDays(1))));
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
