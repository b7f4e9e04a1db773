package org.o365audit.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.record.AuditEvent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.BlobStats;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes enriched records and quarantined input in batches. Runs inside the blob's transaction, so the
 * records of a blob, its quarantine rows and its ledger entry commit together or not at all. On PostgreSQL a
 * batch is one statement ({@link EventArrayInsert}); on H2 it is a JDBC batch of single-record inserts.
 * <p>
 * Each record's fate is decided alone: the {@code Enricher} already sets aside what no database could store,
 * and when the database still refuses a batch for its data (a constraint, a value it cannot take), the batch
 * is rolled back to a savepoint and written one record at a time, each under its own savepoint; a record
 * the database refuses is quarantined with the database's reason, and its neighbours are stored. A refusal
 * that is about the database itself (connection lost, pool time-out) is not the data's fault and fails the
 * blob, which is retried.
 */
@Component
public class AuditEventStore {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final TransactionTemplate savepoint;
    private final EventArrayInsert arrayInsert;

    public AuditEventStore(DataSource dataSource, PlatformTransactionManager txManager) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = SqlDialect.of(dataSource);
        this.savepoint = new TransactionTemplate(txManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.arrayInsert = dialect.insertsArrays() ? new EventArrayInsert(jdbc) : null;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Stores a batch; counts what was new and what was already there into the blob's stats. */
    public void store(EnrichedBatch batch) {
        BlobStats stats = batch.stats();
        List<BlobDefect> defects = new ArrayList<>(batch.defects());
        if (!batch.events().isEmpty()) {
            try {
                int[] counts = savepoint.execute(s -> arrayInsert == null ? insert(batch.events())
                        : arrayInsert.insert(batch.events()));
                for (int i = 0; i < counts.length; i++) {
                    count(stats, batch.events().get(i), counts[i]);
                }
            } catch (DataAccessException e) {
                if (aboutTheDatabase(e)) {
                    throw e;
                }
                LOG.warn("tenant {} {} blob {}: the database refused a batch of {} record(s) ({}); storing them one by one",
                        batch.events().get(0).tenantName(), batch.events().get(0).contentType(),
                        Texts.printable(batch.events().get(0).contentId(), 600), batch.events().size(), reason(e));
                oneByOne(batch, stats, defects);
            }
        }
        quarantine(defects);
        stats.quarantined(defects.size());
        defects.forEach(d -> stats.reason(d.reason()));
    }

    private void oneByOne(EnrichedBatch batch, BlobStats stats, List<BlobDefect> defects) {
        for (AuditEvent e : batch.events()) {
            try {
                count(stats, e, savepoint.execute(s -> insert(List.of(e)))[0]);
            } catch (DataAccessException refused) {
                if (aboutTheDatabase(refused)) {
                    throw refused;
                }
                defects.add(new BlobDefect(e.tenantId(), e.tenantName(), e.contentType(), e.contentId(),
                        batch.stats().blob().contentUri(), false,
                        "the database refused record " + Texts.printable(e.id(), 200) + ": " + reason(refused), e.raw(),
                        e.collectedAt()));
            }
        }
    }

    /** Single-record inserts in a JDBC batch: H2's batches, and each record alone when a batch was refused. */
    private int[] insert(List<AuditEvent> events) {
        int[][] chunks = jdbc.batchUpdate(dialect.insertEvent(), events, events.size(), this::bind);
        int[] out = new int[events.size()];
        int i = 0;
        for (int[] chunk : chunks) {
            for (int c : chunk) {
                out[i++] = c;
            }
        }
        return out;
    }

    private static void count(BlobStats stats, AuditEvent e, int rows) {
        if (rows == 0) {
            stats.duplicate();
        } else {
            stats.stored(e);
        }
    }

    /** Connection lost, pool exhausted, time-out: the database's state, not the record's. */
    static boolean aboutTheDatabase(DataAccessException e) {
        return e instanceof TransientDataAccessException || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException || e instanceof CannotGetJdbcConnectionException;
    }

    private static String reason(DataAccessException e) {
        Throwable root = e.getMostSpecificCause();
        return Texts.printable(root.getMessage() == null ? root.toString() : root.getMessage(), 500);
    }

    /** CreationTime of the newest record stored for a tenant and content type (null when none). */
    public java.time.Instant newestEvent(String tenantId, String contentType) {
        Timestamp t = jdbc.queryForObject(
                "SELECT MAX(creation_time) FROM audit_event WHERE tenant_id = ? AND content_type = ?",
                Timestamp.class, tenantId, contentType);
        return t == null ? null : t.toInstant();
    }

    /** Quarantine rows never fail on their content: every text is cleaned and cut to its column. */
    private void quarantine(List<BlobDefect> defects) {
        if (defects.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT INTO quarantine (tenant_id, tenant_name, content_type, content_id, content_uri, reason, payload,
                  payload_encoding, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", defects, defects.size(), (ps, d) -> {
            ps.setString(1, d.tenantId());
            ps.setString(2, Texts.column(d.tenantName(), 200));
            ps.setString(3, Texts.column(d.contentType(), 64));
            ps.setString(4, BlobKeys.of(d.contentId()));
            ps.setString(5, Texts.column(d.contentUri(), 2048));
            ps.setString(6, Texts.column(d.reason(), 2000));
            ps.setString(7, d.payload().text());
            ps.setString(8, d.payload().encoding());
            ps.setTimestamp(9, Timestamp.from(d.at()));
        });
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
        ps.setString(9, e.workload());
        if (e.recordType() == null) {
            ps.setNull(10, Types.INTEGER);
        } else {
            ps.setInt(10, e.recordType());
        }
        ps.setString(11, e.recordTypeName());
        ps.setString(12, e.operation());
        ps.setString(13, e.userId());
        ps.setString(14, e.clientIp());
        ps.setString(15, e.app());
        ps.setString(16, e.raw());
        ps.setString(17, e.source());
        ps.setString(18, e.actorDisplayName());
        ps.setString(19, e.actorDepartment());
        ps.setString(20, e.actorGroups());
        if (e.actorOnPremisesSync() == null) {
            ps.setNull(21, Types.BOOLEAN);
        } else {
            ps.setBoolean(21, e.actorOnPremisesSync());
        }
        ps.setString(22, e.actorAppId());
        ps.setString(23, e.actorAppName());
        if (dialect.repeatsKey()) {
            ps.setString(24, e.tenantId());
            ps.setString(25, e.id());
        }
    }
}
