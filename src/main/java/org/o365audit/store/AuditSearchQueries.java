package org.o365audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.o365audit.record.Texts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Table audit_search_query (V15): the audit search's queries, their progress and where reading their records stands. */
@Component
public class AuditSearchQueries {
    private static final String COLUMNS = "id, tenant_id, graph_id, range_from, range_to, record_types, services, "
            + "operations, users, reason, status, detail, truncated, created_at, submitting_at, submitted_at, polled_at, finished_at, "
            + "records_stored, next_link, parent_id, root_id";

    private final JdbcTemplate jdbc;

    public AuditSearchQueries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A new pending query; its own root unless {@code parent} (a split) is given. Returns its id. */
    public String create(String tenantId, Instant from, Instant to, AuditSearchQuery.Filters filters, String reason,
            AuditSearchQuery parent, Instant now) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO audit_search_query (" + COLUMNS + ") VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, NULL,"
                + " FALSE, ?, NULL, NULL, NULL, NULL, 0, NULL, ?, ?)", id, tenantId, ts(from), ts(to),
                Texts.column(join(filters.recordTypes()), 2000), Texts.column(join(filters.services()), 2000),
                Texts.column(join(filters.operations()), 2000), Texts.column(join(filters.users()), 4000),
                Texts.column(reason, 1024), AuditSearchQuery.PENDING, ts(now), parent == null ? null : parent.id(),
                parent == null ? id : parent.rootId());
        return id;
    }

    public AuditSearchQuery get(String id) {
        List<AuditSearchQuery> q = jdbc.query("SELECT " + COLUMNS + " FROM audit_search_query WHERE id = ?", this::row, id);
        return q.isEmpty() ? null : q.get(0);
    }

    /** The tenant's queries in one status, oldest first. */
    public List<AuditSearchQuery> inStatus(String tenantId, String... statuses) {
        String in = String.join(", ", java.util.Collections.nCopies(statuses.length, "?"));
        Object[] args = new Object[statuses.length + 1];
        args[0] = tenantId;
        System.arraycopy(statuses, 0, args, 1, statuses.length);
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_search_query WHERE tenant_id = ? AND status IN (" + in
                + ") ORDER BY created_at, id", this::row, args);
    }

    /** The latest queries (of one tenant when given), newest first. */
    public List<AuditSearchQuery> latest(String tenantId, int limit) {
        String where = tenantId == null ? "" : " WHERE tenant_id = ?";
        Object[] args = tenantId == null ? new Object[0] : new Object[] {tenantId};
        List<AuditSearchQuery> all = jdbc.query("SELECT " + COLUMNS + " FROM audit_search_query" + where
                + " ORDER BY created_at DESC, id", this::row, args);
        return all.subList(0, Math.min(all.size(), Math.max(0, limit)));
    }

    /** How many queries of the tenant are in each status (every status, 0 included), and their records stored. */
    public Map<String, Long> counts(String tenantId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        AuditSearchQuery.STATUSES.forEach(s -> counts.put(s, 0L));
        jdbc.query("SELECT status, COUNT(*) FROM audit_search_query WHERE tenant_id = ? GROUP BY status",
                (ResultSet rs) -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, tenantId);
        return counts;
    }

    public long recordsStored(String tenantId) {
        Long n = jdbc.queryForObject("SELECT COALESCE(SUM(records_stored), 0) FROM audit_search_query WHERE tenant_id = ?",
                Long.class, tenantId);
        return n == null ? 0 : n;
    }

    /** The query is about to be POSTed: should the answer be lost, the next attempt looks for it first. */
    public void submitting(String id, Instant now) {
        jdbc.update("UPDATE audit_search_query SET submitting_at = ? WHERE id = ?", ts(now), id);
    }

    /** Microsoft accepted the query: from now on it is polled, never submitted again. */
    public void submitted(String id, String graphId, String status, Instant now) {
        jdbc.update("UPDATE audit_search_query SET graph_id = ?, status = ?, submitted_at = ?, polled_at = ? WHERE id = ?",
                graphId, status, ts(now), ts(now), id);
    }

    /** What a poll found: notStarted, running, succeeded (then truncated says whether the record limit cut it). */
    public void polled(String id, String status, boolean truncated, String detail, Instant now) {
        boolean over = AuditSearchQuery.FAILED.equals(status) || AuditSearchQuery.CANCELLED.equals(status);
        jdbc.update("UPDATE audit_search_query SET status = ?, truncated = ?, detail = ?, polled_at = ?, finished_at = ?"
                + " WHERE id = ?", status, truncated, Texts.column(detail, 2000), ts(now), over ? ts(now) : null, id);
    }

    /** A page of records is stored: reading goes on from {@code nextLink} (in the page's transaction). */
    public void pageStored(String id, String nextLink, int stored, Instant now) {
        jdbc.update("UPDATE audit_search_query SET next_link = ?, records_stored = records_stored + ?, polled_at = ?"
                + " WHERE id = ?", nextLink, stored, ts(now), id);
    }

    /** The query is over: stored, split, failed or cancelled. */
    public void finished(String id, String status, String detail, Instant now) {
        jdbc.update("UPDATE audit_search_query SET status = ?, detail = COALESCE(?, detail), next_link = NULL,"
                + " finished_at = ? WHERE id = ?", status, Texts.column(detail, 2000), ts(now), id);
    }

    /** True when every query of the tree has its records stored (stored or split). */
    public boolean treeStored(String rootId) {
        Integer open = jdbc.queryForObject("SELECT COUNT(*) FROM audit_search_query WHERE root_id = ? AND status NOT IN"
                + " (?, ?)", Integer.class, rootId, AuditSearchQuery.STORED, AuditSearchQuery.SPLIT);
        return open != null && open == 0;
    }

    private AuditSearchQuery row(ResultSet rs, int i) throws SQLException {
        return new AuditSearchQuery(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                new AuditSearchQuery.Filters(AuditSearchQuery.Filters.split(rs.getString(6)),
                        AuditSearchQuery.Filters.split(rs.getString(7)), AuditSearchQuery.Filters.split(rs.getString(8)),
                        AuditSearchQuery.Filters.split(rs.getString(9))),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getBoolean(13), instant(rs, 14), instant(rs, 15),
                instant(rs, 16), instant(rs, 17), instant(rs, 18), rs.getLong(19), rs.getString(20), rs.getString(21),
                rs.getString(22));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }
}
