package org.o365audit.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.collect.AuditEvent;
import org.o365audit.collect.BlobDefect;
import org.o365audit.collect.BlobStats;
import org.o365audit.collect.EnrichedBatch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes enriched records and quarantined input in batches. Runs inside the blob's transaction, so the
 * records of a blob, its quarantine rows and its ledger entry commit together or not at all.
 */
@Component
public class AuditEventStore {
    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;

    public AuditEventStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = SqlDialect.of(dataSource);
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Stores a batch; counts what was new and what was already there into the blob's stats. */
    public void store(EnrichedBatch batch) {
        BlobStats stats = batch.stats();
        if (!batch.events().isEmpty()) {
            int[][] counts = jdbc.batchUpdate(dialect.insertEvent(), batch.events(), batch.events().size(), this::bind);
            int i = 0;
            for (int[] chunk : counts) {
                for (int c : chunk) {
                    AuditEvent e = batch.events().get(i++);
                    if (c == 0) {
                        stats.duplicate();
                    } else {
                        stats.stored(e);
                    }
                }
            }
        }
        quarantine(batch.defects());
        stats.quarantined(batch.defects().size());
        batch.defects().forEach(d -> stats.reason(d.reason()));
    }

    /** CreationTime of the newest record stored for a tenant and content type (null when none). */
    public java.time.Instant newestEvent(String tenantId, String contentType) {
        Timestamp t = jdbc.queryForObject(
                "SELECT MAX(creation_time) FROM audit_event WHERE tenant_id = ? AND content_type = ?",
                Timestamp.class, tenantId, contentType);
        return t == null ? null : t.toInstant();
    }

    private void quarantine(List<BlobDefect> defects) {
        for (BlobDefect d : defects) {
            jdbc.update("""
                    INSERT INTO quarantine (tenant_id, tenant_name, content_type, content_id, content_uri, reason, payload, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    d.tenantId(), d.tenantName(), d.contentType(), d.contentId(), d.contentUri(),
                    d.reason(), d.payload(), Timestamp.from(d.at()));
        }
    }

    private void bind(PreparedStatement ps, AuditEvent e) throws SQLException {
        ps.setString(1, e.tenantId());
        ps.setString(2, e.id());
        ps.setString(3, e.tenantName());
        ps.setString(4, e.contentType());
        ps.setString(5, e.contentId());
        ps.setTimestamp(6, e.creationTime() == null ? null : Timestamp.from(e.creationTime()));
        ps.setTimestamp(7, Timestamp.from(e.collectedAt()));
        if (e.lagSeconds() == null) {
            ps.setNull(8, Types.BIGINT);
        } else {
            ps.setLong(8, e.lagSeconds());
        }
        ps.setString(9, cap(e.workload(), 128));
        if (e.recordType() == null) {
            ps.setNull(10, Types.INTEGER);
        } else {
            ps.setInt(10, e.recordType());
        }
        ps.setString(11, cap(e.recordTypeName(), 128));
        ps.setString(12, cap(e.operation(), 512));
        ps.setString(13, cap(e.userId(), 512));
        ps.setString(14, e.clientIp());
        ps.setString(15, e.app());
        ps.setString(16, e.raw());
        ps.setString(17, e.source());
        if (dialect.repeatsKey()) {
            ps.setString(18, e.tenantId());
            ps.setString(19, e.id());
        }
    }

    /** Derived columns are for searching; the full value is always in raw. */
    private static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
