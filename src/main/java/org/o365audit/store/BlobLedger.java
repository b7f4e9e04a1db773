package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The blobs already collected, keyed by tenant and contentId and kept until the blob expires: the
 * look-back re-lists recent windows every poll and this is how it skips what it has already stored.
 */
@Component("blobLedger")
public class BlobLedger {
    static final int SLICE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(BlobLedger.class);
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SqlDialect dialect;

    public BlobLedger(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.dialect = SqlDialect.of(dataSource);
    }

    /**
     * Which of these blob keys ({@link BlobKeys#of}) the ledger already holds for the tenant: one query for a whole
     * listing page instead of one per blob (a very long list is asked in slices of {@value #SLICE}).
     */
    public Set<String> collectedAmong(String tenantId, Collection<String> keys) {
        Set<String> found = new HashSet<>();
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += SLICE) {
            List<String> slice = all.subList(from, Math.min(all.size(), from + SLICE));
            List<Object> args = new ArrayList<>(slice.size() + 1);
            args.add(tenantId);
            args.addAll(slice);
            found.addAll(jdbc.queryForList("SELECT content_id FROM blob_ledger WHERE tenant_id = ? AND content_id IN ("
                    + placeholders(slice.size()) + ")", String.class, args.toArray()));
        }
        return found;
    }

    /** {@code ?, ?, ?} for an IN list of n values (H2 and PostgreSQL alike). */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /**
     * First step inside the blob's transaction: takes the blob's ledger row, so that no other node (or poll)
     * collects it at the same time. False when the blob is collected already: another node committed it since
     * the listing was checked against the ledger (PostgreSQL makes this wait while the other one's transaction is
     * open, and answers false once it committed, true if it rolled back). The row commits only with the records.
     */
    public boolean claim(@Header(Headers.TENANT_ID) String tenantId, BlobContent content) {
        ContentBlob b = content.blob();
        boolean mine = dialect.insertIfAbsent(jdbc, "blob_ledger", """
                tenant_id, content_id, content_type, content_created, content_expiration, status, records_stored,
                records_duplicate, collected_at""".replace("\n", " "), 2,
                tenantId, BlobKeys.of(b.contentId()), Texts.column(b.contentType(), 64), ts(b.contentCreated()),
                ts(b.contentExpiration()), "claimed", 0, 0, Timestamp.from(clock.instant())) == 1;
        if (!mine) {
            LOG.debug("tenant {} {} blob {}: collected meanwhile by another node or poll, skipped", tenantId,
                    b.contentType(), Texts.printable(b.contentId(), 600));
        }
        return mine;
    }

    /** Called last inside the blob's transaction, on the row {@link #claim} took: the blob counts as collected only with its records. */
    public void markCollected(@Header(Headers.TENANT_ID) String tenantId, BlobContent content) {
        BlobStats stats = content.stats();
        ContentBlob b = stats.blob();
        int n = jdbc.update("""
                UPDATE blob_ledger SET status = ?, records_stored = ?, records_duplicate = ?, collected_at = ?
                WHERE tenant_id = ? AND content_id = ?""",
                stats.blobRejected() ? "quarantined" : "collected", stats.storedCount(), stats.duplicateCount(),
                Timestamp.from(clock.instant()), tenantId, BlobKeys.of(b.contentId()));
        if (n != 1) {
            throw new IllegalStateException("blob " + Texts.printable(b.contentId(), 600) + " was not claimed in its transaction");
        }
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
