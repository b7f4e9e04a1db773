package org.o365audit.sink;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each sink's durable place in the delivery order, like a consumer group's offset. A batch is claimed
 * (its range and id written down) before it is sent and confirmed after the destination took it, so a
 * retry, also after kill -9, sends the very same records under the very same batch id.
 */
@Component
public class SinkPositions {
    static final String COLUMNS = """
            delivery_epoch, seq, tenant_id, tenant_name, content_type, id, creation_time, collected_at, lag_seconds,
            workload, record_type, record_type_name, operation, user_id, client_ip, app, source, raw, actor_display_name,
            actor_department, actor_groups, actor_on_premises_sync, actor_app_id, actor_app_name""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final DeliverySequencer sequencer;
    private final SinkLease lease;

    /** One process alone (no leases). */
    public SinkPositions(DataSource dataSource, PlatformTransactionManager txManager, Clock clock,
                         DeliverySequencer sequencer) {
        this(dataSource, txManager, clock, sequencer, SinkLease.single(clock));
    }

    @Autowired
    public SinkPositions(DataSource dataSource, PlatformTransactionManager txManager, Clock clock,
                         DeliverySequencer sequencer, SinkLease lease) {
        this.sequencer = sequencer;
        this.lease = lease;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
        this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** Where a sink stands; created at the start (earliest) or the end (latest) of the store on first use. */
    public Position position(String sink, SinkStart start) {
        Optional<Position> p = find(sink);
        if (p.isPresent()) {
            return p.get();
        }
        long epoch = 0;
        long seq = 0;
        if (start == SinkStart.LATEST) {
            epoch = sequencer.lastEpoch();
            seq = Long.MAX_VALUE;
        }
        try {
            // outside any transaction: two nodes may race on the first row, the loser's insert fails alone
            jdbc.update("""
                    INSERT INTO sink_position (sink, epoch, seq, delivered, set_aside, updated_at)
                    SELECT ?, ?, ?, 0, 0, ? WHERE NOT EXISTS (SELECT 1 FROM sink_position WHERE sink = ?)""",
                    sink, epoch, seq, now(), sink);
        } catch (DuplicateKeyException another) {
            // the other node's row stands (its start position is as good as this one's)
        }
        return find(sink).orElseThrow();
    }

    public Optional<Position> find(String sink) {
        return read(sink, "");
    }

    /** The sink's row, locked until the transaction ends. */
    private Position locked(String sink) {
        return read(sink, " FOR UPDATE").orElseThrow();
    }

    private Optional<Position> read(String sink, String lock) {
        List<Position> rows = jdbc.query("""
                SELECT epoch, seq, pending_batch, pending_epoch, pending_seq, pending_done, delivered, set_aside, updated_at,
                claimed_by, lease_until FROM sink_position WHERE sink = ?""" + lock, (rs, i) -> new Position(sink,
                rs.getLong(1), rs.getLong(2), rs.getString(3), longOrNull(rs.getObject(4)), longOrNull(rs.getObject(5)),
                rs.getObject(6) == null ? 0 : ((Number) rs.getObject(6)).intValue(), rs.getLong(7), rs.getLong(8),
                rs.getTimestamp(9).toInstant(), rs.getString(10), rs.getTimestamp(11)), sink);
        return rows.stream().findFirst();
    }

    /**
     * The sink's next batch: the pending one again if there is one, else up to {@code max} new records, whose
     * range is written down as pending under a new batch id. Empty when there is nothing to send, or when
     * fewer than {@code max} records wait and the oldest arrived less than {@code linger} ago.
     */
    public SinkBatch claim(String sink, SinkStart start, int max, long lingerMillis) {
        position(sink, start);
        SinkBatch batch = tx.execute(status -> {
            // the sink's row stays locked until the claim commits: two claimers never both read a free position
            Position p = locked(sink);
            if (lease.heldElsewhere(p.claimedBy(), p.leaseUntil())) {
                // another node is sending a batch (this one, or set-aside records again): it is taken over once the
                // lease ran out, and nothing new goes out meanwhile, so the batches of one sink never overlap
                return SinkBatch.none(sink);
            }
            if (p.pendingBatch() != null) {
                lease.take(jdbc, sink);
                List<SinkRecord> again = jdbc.query("SELECT " + COLUMNS + """
                         FROM audit_event WHERE delivery_epoch IS NOT NULL
                        AND (delivery_epoch, seq) > (?, ?) AND (delivery_epoch, seq) <= (?, ?)
                        ORDER BY delivery_epoch, seq""", SinkPositions::record,
                        p.epoch(), p.seq(), p.pendingEpoch(), p.pendingSeq());
                return new SinkBatch(sink, p.pendingBatch(), again, true, p.pendingDone());
            }
            List<SinkRecord> next = jdbc.query("SELECT " + COLUMNS + """
                     FROM audit_event WHERE delivery_epoch IS NOT NULL AND (delivery_epoch, seq) > (?, ?)
                    ORDER BY delivery_epoch, seq LIMIT ?""", SinkPositions::record, p.epoch(), p.seq(), max);
            if (next.isEmpty()) {
                return SinkBatch.none(sink);
            }
            if (next.size() < max && lingerMillis > 0
                    && next.get(0).getCollectedAt().plusMillis(lingerMillis).isAfter(clock.instant())) {
                return SinkBatch.none(sink);
            }
            SinkRecord last = next.get(next.size() - 1);
            String id = UUID.randomUUID().toString();
            jdbc.update("""
                    UPDATE sink_position SET pending_batch = ?, pending_epoch = ?, pending_seq = ?, pending_count = ?,
                    pending_done = 0, updated_at = ? WHERE sink = ?""", id, last.getEpoch(), last.getSeq(), next.size(), now(), sink);
            lease.take(jdbc, sink);
            return new SinkBatch(sink, id, next, false, 0);
        });
        return batch;
    }

    /** The destination has the batch (or what it refused is set aside): move past it. */
    public void confirm(String sink, String batchId, int delivered, int setAside) {
        int n = jdbc.update("""
                UPDATE sink_position SET epoch = pending_epoch, seq = pending_seq, pending_batch = NULL,
                pending_epoch = NULL, pending_seq = NULL, pending_count = NULL, pending_done = NULL, delivered = delivered + ?,
                set_aside = set_aside + ?, claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE sink = ? AND pending_batch = ?""",
                delivered, setAside, now(), sink, batchId);
        if (n != 1) {
            throw new IllegalStateException("sink " + sink + ": batch " + batchId + " is not the pending one (replayed meanwhile?)");
        }
    }

    /** The destination has taken the first {@code done} records of the pending batch: a retry starts after them. */
    public void progress(String sink, String batchId, int done) {
        jdbc.update("UPDATE sink_position SET pending_done = ?, updated_at = ? WHERE sink = ? AND pending_batch = ?",
                done, now(), sink, batchId);
        lease.renew(jdbc, sink);
    }

    /** A delivery failed and waits to be retried: this node keeps its claim on the batch for another lease. */
    public void stillHeld(String sink) {
        lease.renew(jdbc, sink);
    }

    /**
     * Keeps records a destination refused for good, with its reason; once per batch: the same batch sent again
     * after a crash (before its confirm) and refused again adds no second row.
     */
    public void setAside(String sink, String batchId, List<SinkRecord> records, String reason) {
        String why = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        jdbc.batchUpdate("""
                INSERT INTO sink_set_aside (sink, batch_id, tenant_id, record_id, reason, created_at)
                SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM sink_set_aside WHERE sink = ? AND tenant_id = ?
                AND record_id = ? AND batch_id = ?)""", records, 500, (ps, r) -> {
            ps.setString(1, sink);
            ps.setString(2, batchId);
            ps.setString(3, r.getTenantId());
            ps.setString(4, r.getId());
            ps.setString(5, why);
            ps.setTimestamp(6, now());
            ps.setString(7, sink);
            ps.setString(8, r.getTenantId());
            ps.setString(9, r.getId());
            ps.setString(10, batchId);
        });
    }

    /**
     * Sends the sink back so that every record collected at or after {@code from} is delivered again (and
     * possibly some collected shortly before: whole epochs are replayed). Returns the new position's epoch.
     */
    public long replayFrom(String sink, SinkStart start, Instant from) {
        position(sink, start);
        Long epoch = jdbc.queryForObject(
                "SELECT MIN(delivery_epoch) FROM audit_event WHERE collected_at >= ? AND delivery_epoch IS NOT NULL",
                Long.class, Timestamp.from(from));
        long e = epoch == null
                ? sequencer.lastEpoch() + 1
                : epoch;
        // (e - 1, MAX) is the exact boundary: every row of epoch e and later comes again
        jdbc.update("""
                UPDATE sink_position SET epoch = ?, seq = ?, pending_batch = NULL, pending_epoch = NULL,
                pending_seq = NULL, pending_count = NULL, pending_done = NULL, claimed_by = NULL, lease_until = NULL,
                updated_at = ? WHERE sink = ?""",
                e - 1, Long.MAX_VALUE, now(), sink);
        return e;
    }

    /** Records waiting for the sink, and the collection time of the oldest (null when none waits). */
    public Backlog backlog(String sink) {
        Optional<Position> p = find(sink);
        if (p.isEmpty()) {
            return new Backlog(0, null);
        }
        Long count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM audit_event WHERE delivery_epoch IS NOT NULL AND (delivery_epoch, seq) > (?, ?)""",
                Long.class, p.get().epoch(), p.get().seq());
        List<Timestamp> oldest = jdbc.query("""
                SELECT collected_at FROM audit_event WHERE delivery_epoch IS NOT NULL AND (delivery_epoch, seq) > (?, ?)
                ORDER BY delivery_epoch, seq LIMIT 1""", (rs, i) -> rs.getTimestamp(1), p.get().epoch(), p.get().seq());
        return new Backlog(count == null ? 0 : count, oldest.isEmpty() ? null : oldest.get(0).toInstant());
    }

    private static Long longOrNull(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    static SinkRecord record(ResultSet rs, int row) throws SQLException {
        Timestamp created = rs.getTimestamp(7);
        Object lag = rs.getObject(9);
        Object rt = rs.getObject(11);
        return new SinkRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), created == null ? null : created.toInstant(), rs.getTimestamp(8).toInstant(),
                lag == null ? null : ((Number) lag).longValue(), rs.getString(10),
                rt == null ? null : ((Number) rt).intValue(), rs.getString(12), rs.getString(13), rs.getString(14),
                rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18), actor(rs));
    }

    private static SinkRecord.Actor actor(ResultSet rs) throws SQLException {
        boolean synced = rs.getBoolean(22);
        Boolean onPremisesSync = rs.wasNull() ? null : synced;
        return new SinkRecord.Actor(rs.getString(19), rs.getString(20), rs.getString(21), onPremisesSync,
                rs.getString(23), rs.getString(24));
    }

    /** A sink's confirmed position and its pending batch, if any. */
    public record Position(String sink, long epoch, long seq, String pendingBatch, Long pendingEpoch, Long pendingSeq,
                           int pendingDone, long delivered, long setAside, Instant updatedAt, String claimedBy,
                           Timestamp leaseUntil) {
    }

    /** What still waits for a sink. */
    public record Backlog(long records, Instant oldestCollectedAt) {
    }
}
