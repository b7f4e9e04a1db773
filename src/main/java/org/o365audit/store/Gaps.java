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

    /** One recorded gap. contentId is empty for a window lost to downtime. */
    public record Gap(String tenantId, String tenantName, String feed, Instant from, Instant to, String contentId,
            String reason, Instant detectedAt) {
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
        return jdbc.query("SELECT tenant_id, tenant_name, feed, gap_from, gap_to, content_id, reason, detected_at FROM gap "
                + "WHERE tenant_id = ? ORDER BY gap_from DESC, gid DESC", (rs, i) -> new Gap(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6),
                rs.getString(7), rs.getTimestamp(8).toInstant()), tenantId);
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
