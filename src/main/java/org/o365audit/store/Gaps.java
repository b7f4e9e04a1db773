package org.o365audit.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.Tenant;
import org.o365audit.record.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Data that can no longer be collected, recorded instead of silently skipped: the window between where the
 * collector stopped and the oldest time the API still serves (after downtime longer than the API keeps
 * content: 7 days for the Management API, 28 for Power BI), and each blob that expired (AF20051), vanished
 * (AF20050) or was given up after its attempts. Each gap is logged once (at ERROR), kept in table
 * {@code gap}, counted in the metrics {@code o365.gaps} and {@code o365.gap.seconds}, and listed on the
 * connected-tenants page and by the Tenant MBean.
 */
@Component
public class Gaps {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Summary> summaries = new ConcurrentHashMap<>();

    public Gaps(DataSource dataSource, Clock clock, MeterRegistry meters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * One recorded gap. contentId is empty for a window lost to downtime. filledAt and filledBy are set once the
     * audit search (Microsoft Graph's audit log query) stored the window's records after all.
     */
    public record Gap(long gid, String tenantId, String tenantName, String feed, Instant from, Instant to,
            String contentId, String reason, Instant detectedAt, String auditSearchId, Instant filledAt,
            String filledBy) {
        public boolean filled() {
            return filledAt != null;
        }
    }

    /** The span [from, to) of a content type or feed is older than the API keeps: it is lost for good. */
    public void windowLost(Tenant tenant, String feed, Instant from, Instant to, String reason) {
        if (!from.isBefore(to)) {
            return;
        }
        Timestamp f = Timestamp.from(from);
        Timestamp t = Timestamp.from(to);
        int widened = jdbc.update("UPDATE gap SET gap_to = ? WHERE tenant_id = ? AND feed = ? AND content_id = '' "
                + "AND gap_from = ? AND gap_to < ?", t, tenant.tenantId(), feed, f, t);
        if (widened > 0 || !insert(tenant, feed, from, to, "", reason)) {
            return;
        }
        LOG.error("tenant {} {}: GAP {}..{} can no longer be collected: {}. Recorded in table gap.", tenant.name(), feed,
                from, to, reason);
    }

    /** A blob that can no longer be collected (expired, gone, given up): a gap at its creation time. */
    public void blobLost(Tenant tenant, ContentBlob blob, String reason) {
        Instant at = blob.contentCreated() != null ? blob.contentCreated() : clock.instant();
        if (insert(tenant, blob.contentType(), at, at, BlobKeys.of(blob.contentId()), reason)) {
            LOG.error("tenant {} {}: GAP blob {} (created {}) can no longer be collected: {}. Recorded in table gap.",
                    tenant.name(), blob.contentType(), Texts.printable(blob.contentId(), 600), at, Texts.printable(reason, 600));
        }
    }

    /** Every gap of a tenant, newest first. */
    public List<Gap> of(String tenantId) {
        return jdbc.query(SELECT + "WHERE tenant_id = ? ORDER BY gap_from DESC, gid DESC", Gaps::gap, tenantId);
    }

    /**
     * The windows lost to downtime (not single blobs) of the tenant's Management API content types that no audit
     * search was asked for yet, oldest first.
     */
    public List<Gap> unsearchedWindows(String tenantId, List<String> feeds) {
        if (feeds.isEmpty()) {
            return List.of();
        }
        String in = String.join(", ", java.util.Collections.nCopies(feeds.size(), "?"));
        Object[] args = new Object[feeds.size() + 1];
        args[0] = tenantId;
        for (int i = 0; i < feeds.size(); i++) {
            args[i + 1] = feeds.get(i);
        }
        return jdbc.query(SELECT + "WHERE tenant_id = ? AND content_id = '' AND audit_search_id IS NULL AND filled_at IS NULL"
                + " AND feed IN (" + in + ") ORDER BY gap_from, gid", Gaps::gap, args);
    }

    /** The gap is asked for by this audit search query (once: a gap already asked for is left as it is). */
    public boolean searchedBy(long gid, String queryId) {
        return jdbc.update("UPDATE gap SET audit_search_id = ? WHERE gid = ? AND audit_search_id IS NULL", queryId, gid) == 1;
    }

    /**
     * The query's records are all stored: its gaps are filled, those that it covers whole; a gap that grew past the
     * query's range since it was asked for (recorded again, wider) is released to be asked for again. Returns how
     * many were filled.
     */
    public int filledBy(String queryId, Instant queryTo, String by) {
        int filled = jdbc.update("UPDATE gap SET filled_at = ?, filled_by = ? WHERE audit_search_id = ? AND filled_at IS NULL"
                + " AND gap_to <= ?", Timestamp.from(clock.instant()), Texts.column(by, 128), queryId, Timestamp.from(queryTo));
        jdbc.update("UPDATE gap SET audit_search_id = NULL WHERE audit_search_id = ? AND filled_at IS NULL", queryId);
        return filled;
    }

    private static final String SELECT = "SELECT gid, tenant_id, tenant_name, feed, gap_from, gap_to, content_id, reason,"
            + " detected_at, audit_search_id, filled_at, filled_by FROM gap ";

    private static Gap gap(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        Timestamp filled = rs.getTimestamp(11);
        return new Gap(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                rs.getString(10), filled == null ? null : filled.toInstant(), rs.getString(12));
    }

    /** Registers the gauges of a tenant's content type or feed (also those with no gap yet). */
    public void watch(String tenantId, String tenantName, String feed) {
        summary(tenantId, tenantName, feed);
    }

    private boolean insert(Tenant tenant, String feed, Instant from, Instant to, String contentId, String reason) {
        try {
            jdbc.update("INSERT INTO gap (tenant_id, tenant_name, feed, gap_from, gap_to, content_id, reason, detected_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tenant.tenantId(), tenant.name(), Texts.column(feed, 600),
                    Timestamp.from(from), Timestamp.from(to), contentId, Texts.column(reason, 2000),
                    Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException already) {
            return false;
        }
        summary(tenant.tenantId(), tenant.name(), feed).refresh();
        return true;
    }

    private Summary summary(String tenantId, String tenantName, String feed) {
        return summaries.computeIfAbsent(tenantId + "|" + feed, k -> {
            Summary s = new Summary(tenantId, feed);
            Gauge.builder("o365.gaps", s, x -> x.count).description("Gaps recorded: windows or blobs that can no longer be collected")
                    .tags("tenant", tenantName, "content_type", feed).register(meters);
            Gauge.builder("o365.gap.seconds", s, x -> x.seconds).description("Total length of the recorded gap windows")
                    .baseUnit("seconds").tags("tenant", tenantName, "content_type", feed).register(meters);
            s.refresh();
            return s;
        });
    }

    /** Count and total length of the gaps of one tenant and feed, read again when a gap is recorded. */
    private final class Summary {
        private final String tenantId;
        private final String feed;
        private volatile double count;
        private volatile double seconds;

        Summary(String tenantId, String feed) {
            this.tenantId = tenantId;
            this.feed = feed;
        }

        void refresh() {
            List<Instant[]> rows = jdbc.query("SELECT gap_from, gap_to FROM gap WHERE tenant_id = ? AND feed = ?",
                    (rs, i) -> new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()}, tenantId, feed);
            count = rows.size();
            seconds = rows.stream().mapToLong(r -> Duration.between(r[0], r[1]).getSeconds()).sum();
        }
    }
}
