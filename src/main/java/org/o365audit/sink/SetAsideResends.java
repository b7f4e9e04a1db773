package org.o365audit.sink;

import static java.util.stream.Collectors.joining;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Set-aside records sent again at an operator's request. Asking queues them durably (table sink_resend); the
 * sink's own route then takes them before new records, in batches whose id is written down before they are
 * sent, like any other batch, so they pass the same filter, formatting and signatures, and a retry (also after
 * kill -9) sends the same records under the same id. Delivered: they leave sink_set_aside. Refused again: they
 * stay there, once, with the new reason and time, and are no longer queued.
 */
@Component
public class SetAsideResends {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.sink");
    private static final String RECORD_COLUMNS = Arrays.stream(SinkPositions.COLUMNS.split(","))
            .map(c -> "e." + c.strip()).collect(joining(", "));
    /** The set-aside rows of one record in a claimed resend batch. */
    private static final String ROWS_OF_RECORD = """
            SELECT r.sid FROM sink_resend r JOIN sink_set_aside s ON s.sid = r.sid
            WHERE r.sink = ? AND r.batch_id = ? AND s.tenant_id = ? AND s.record_id = ?""";
    private static final String IN_STORE =
            "EXISTS (SELECT 1 FROM audit_event e WHERE e.tenant_id = s.tenant_id AND e.id = s.record_id)";
    private static final String QUEUED = "EXISTS (SELECT 1 FROM sink_resend q WHERE q.sid = s.sid)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SinkLease lease;

    public SetAsideResends(DataSource dataSource, PlatformTransactionManager txManager, Clock clock, SinkLease lease) {
        this.lease = lease;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
        this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * Queues the sink's records set aside at or after {@code from} and before {@code to} (null: no bound) that
     * are not queued yet and still in the store.
     */
    public synchronized Queued queue(String sink, Instant from, Instant to) {
        StringBuilder where = new StringBuilder("s.sink = ?");
        List<Object> args = new ArrayList<>(List.of(sink));
        if (from != null) {
            where.append(" AND s.created_at >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            where.append(" AND s.created_at < ?");
            args.add(Timestamp.from(to));
        }
        return tx.execute(status -> {
            List<Object> insert = new ArrayList<>(List.of(now()));
            insert.addAll(args);
            int queued = jdbc.update("INSERT INTO sink_resend (sid, sink, queued_at) SELECT s.sid, s.sink, ? FROM sink_set_aside s"
                    + " WHERE " + where + " AND NOT " + QUEUED + " AND " + IN_STORE, insert.toArray());
            long before = count(where + " AND " + QUEUED, args) - queued;
            long gone = count(where + " AND NOT " + IN_STORE, args);
            return new Queued(queued, before, gone);
        });
    }

    /**
     * The sink's next resend batch: the claimed one again (after a failure or a restart), else up to {@code max}
     * queued records under a new id. Empty when none is queued, and while a batch of new records is pending:
     * that one goes first (a files sink knows a batch it wrote before a crash only while it is the last one).
     */
    public SinkBatch claim(String sink, int max) {
        // the common case, nothing queued, in one round trip without a transaction; one queued meanwhile goes next time
        if (jdbc.queryForList("SELECT 1 FROM sink_resend WHERE sink = ? FETCH FIRST 1 ROWS ONLY", Integer.class, sink)
                .isEmpty()) {
            return SinkBatch.none(sink);
        }
        return tx.execute(status -> {
            // the sink's row (it exists: records were set aside through it) stays locked until the claim commits,
            // as for a batch of new records: two nodes never claim or take over the same resend batch at once
            List<Object[]> position = jdbc.query("SELECT pending_batch, claimed_by, lease_until FROM sink_position"
                    + " WHERE sink = ? FOR UPDATE", (rs, i) -> new Object[] {rs.getString(1), rs.getString(2),
                    rs.getTimestamp(3)}, sink);
            Object[] queued = jdbc.queryForObject("SELECT COUNT(*), MAX(batch_id) FROM sink_resend WHERE sink = ?",
                    (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)}, sink);
            if ((Long) queued[0] == 0 || !position.isEmpty() && position.get(0)[0] != null) {
                return SinkBatch.none(sink);
            }
            if (!position.isEmpty() && lease.heldElsewhere((String) position.get(0)[1], (Timestamp) position.get(0)[2])) {
                return SinkBatch.none(sink);   // another node is sending a batch; taken over once its lease ran out
            }
            boolean again = queued[1] != null;
            String id = again ? (String) queued[1] : UUID.randomUUID().toString();
            if (!again) {
                jdbc.update("""
                        UPDATE sink_resend SET batch_id = ? WHERE batch_id IS NULL AND sid IN (SELECT sid FROM sink_resend
                        WHERE sink = ? AND batch_id IS NULL ORDER BY sid FETCH FIRST ? ROWS ONLY)""", id, sink, max);
            }
            List<SinkRecord> rows = jdbc.query("SELECT " + RECORD_COLUMNS + """
                     FROM sink_resend r JOIN sink_set_aside s ON s.sid = r.sid
                    JOIN audit_event e ON e.tenant_id = s.tenant_id AND e.id = s.record_id
                    WHERE r.sink = ? AND r.batch_id = ? ORDER BY e.delivery_epoch, e.seq""", SinkPositions::record, sink, id);
            Integer claimed = jdbc.queryForObject("SELECT COUNT(*) FROM sink_resend WHERE sink = ? AND batch_id = ?",
                    Integer.class, sink, id);
            if (claimed != null && rows.size() < claimed) {
                // retention took records after they were queued: they stay set aside, no longer queued
                int gone = jdbc.update("DELETE FROM sink_resend WHERE sink = ? AND batch_id = ? AND sid IN (SELECT s.sid"
                        + " FROM sink_set_aside s WHERE s.sink = ? AND NOT " + IN_STORE + ")", sink, id, sink);
                LOG.warn("sink {}: {} set-aside record(s) queued to be sent again are no longer in the store", sink, gone);
            }
            List<SinkRecord> records = new ArrayList<>(rows.size());
            for (SinkRecord r : rows) {
                SinkRecord last = records.isEmpty() ? null : records.get(records.size() - 1);
                // a record set aside twice (replayed and refused again) is sent once
                if (last == null || last.getEpoch() != r.getEpoch() || last.getSeq() != r.getSeq()) {
                    records.add(r);
                }
            }
            if (records.isEmpty()) {
                return SinkBatch.none(sink);
            }
            lease.take(jdbc, sink);
            return new SinkBatch(sink, id, records, again, 0);
        });
    }

    /** The destination took these records of the resend batch: they leave sink_set_aside. */
    public void progress(String sink, String batchId, List<SinkRecord> taken) {
        tx.executeWithoutResult(status -> {
            lease.renew(jdbc, sink);
            int sent = 0;
            for (SinkRecord r : taken) {
                sent += jdbc.update("DELETE FROM sink_set_aside WHERE sid IN (" + ROWS_OF_RECORD + ")",
                        sink, batchId, r.getTenantId(), r.getId());
            }
            counted(sink, sent);
        });
    }

    /** The destination has the batch (what it refused again was set aside again): the rest leaves sink_set_aside. */
    public void confirm(String sink, String batchId) {
        tx.executeWithoutResult(status -> {
            int sent = jdbc.update("DELETE FROM sink_set_aside WHERE sid IN (SELECT sid FROM sink_resend WHERE sink = ?"
                    + " AND batch_id = ?)", sink, batchId);
            jdbc.update("DELETE FROM sink_resend WHERE sink = ? AND batch_id = ?", sink, batchId);
            jdbc.update("UPDATE sink_position SET claimed_by = NULL, lease_until = NULL WHERE sink = ? AND claimed_by = ?",
                    sink, lease.nodeName());
            counted(sink, sent);
        });
    }

    /** Refused again: the set-aside rows get the new reason, batch and time, and are no longer queued. */
    public void setAsideAgain(String sink, String batchId, List<SinkRecord> records, String reason) {
        String why = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        tx.executeWithoutResult(status -> {
            for (SinkRecord r : records) {
                jdbc.update("UPDATE sink_set_aside SET reason = ?, batch_id = ?, created_at = ? WHERE sid IN ("
                        + ROWS_OF_RECORD + ")", why, batchId, now(), sink, batchId, r.getTenantId(), r.getId());
                jdbc.update("DELETE FROM sink_resend WHERE batch_id = ? AND sid IN (SELECT sid FROM sink_set_aside"
                        + " WHERE sink = ? AND tenant_id = ? AND record_id = ?)", batchId, sink, r.getTenantId(), r.getId());
            }
        });
    }

    /** Records queued to be sent again that are neither delivered nor refused again yet. */
    public long pending(String sink) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM sink_resend WHERE sink = ?", Long.class, sink);
        return n == null ? 0 : n;
    }

    private void counted(String sink, int sent) {
        if (sent > 0) {
            jdbc.update("""
                    UPDATE sink_position SET delivered = delivered + ?, set_aside = CASE WHEN set_aside > ? THEN
                    set_aside - ? ELSE 0 END, updated_at = ? WHERE sink = ?""", sent, sent, sent, now(), sink);
        }
    }

    private long count(String where, List<Object> args) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside s WHERE " + where, Long.class, args.toArray());
        return n == null ? 0 : n;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /** What a request to send again found: queued now, queued before, no longer in the store. */
    public record Queued(int queued, long queuedBefore, long notInStore) {
    }
}
