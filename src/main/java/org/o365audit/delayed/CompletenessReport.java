package org.o365audit.delayed;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.o365audit.collect.DelayedFeed;
import org.o365audit.collect.FeedSources;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.store.ListingCursorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Per tenant, app and source: how far back the data of the late apps (Power BI, Dynamics 365) is complete
 * and how late their events arrived. For the delayed feeds "complete" is the settled watermark; for the
 * Management API it is the Audit.General listing cursor minus the settle window, since those events can be
 * listed up to that long after they happened. The arrival lag (event time to collection) is measured on the
 * events that happened after the tenant's collection began: older ones were collected late by the backfill,
 * not because they arrived late.
 */
@Component("completenessReport")
public class CompletenessReport {
    static final List<String> LATE_APPS = List.of("Power BI", "Dynamics 365");
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.completeness");

    private final JdbcTemplate jdbc;
    private final TenantRegistry tenants;
    private final ListingCursorStore cursors;
    private final DelayedFeedState feeds;
    private final O365Properties props;
    private final Clock clock;

    public CompletenessReport(DataSource dataSource, TenantRegistry tenants, ListingCursorStore cursors,
            DelayedFeedState feeds, O365Properties props, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tenants = tenants;
        this.cursors = cursors;
        this.feeds = feeds;
        this.props = props;
        this.clock = clock;
    }

    /** One line of the report. completeUntil null: not collected (yet). */
    public record Line(String tenant, String app, String source, Instant completeUntil, long records,
            Double avgLagHours, Double maxLagHours) {
        @Override
        public String toString() {
            return String.format("tenant %s %s via %s: complete until %s; arrival lag since collection began: %s",
                    tenant, app, source, completeUntil == null ? "not yet" : completeUntil,
                    records == 0 ? "no events yet" : String.format("avg %.1f h, max %.1f h over %d event(s)",
                            avgLagHours, maxLagHours, records));
        }
    }

    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        for (Tenant t : tenants.all()) {
            Timestamp first = jdbc.queryForObject("SELECT MIN(collected_at) FROM audit_event WHERE tenant_id = ?",
                    Timestamp.class, t.tenantId());
            Instant since = first == null ? clock.instant() : first.toInstant();
            for (String app : LATE_APPS) {
                if (t.contentTypes().contains("Audit.General")) {
                    Instant cursor = cursors.listedUntil(t.tenantId(), "Audit.General");
                    out.add(line(t, app, FeedSources.MANAGEMENT_API,
                            cursor == null ? null : cursor.minus(props.getDelayed().getSettleWindow()), since));
                }
            }
            for (DelayedFeed f : DelayedFeed.of(t)) {
                DelayedFeedState.State s = feeds.get(t.tenantId(), f.key());
                String app = f.kind() == DelayedFeed.Kind.POWERBI ? "Power BI" : "Dynamics 365";
                out.add(line(t, app, f.kind() == DelayedFeed.Kind.POWERBI ? FeedSources.POWERBI : FeedSources.DATAVERSE,
                        s == null ? null : s.settledUntil(), since));
            }
        }
        return out;
    }

    public void log() {
        lines().forEach(l -> LOG.info("{}", l));
    }

    private Line line(Tenant t, String app, String source, Instant completeUntil, Instant since) {
        return jdbc.queryForObject("SELECT COUNT(*), AVG(lag_seconds), MAX(lag_seconds) FROM audit_event "
                + "WHERE tenant_id = ? AND app = ? AND source = ? AND creation_time >= ?", (rs, i) -> {
                    long n = rs.getLong(1);
                    return new Line(t.name(), app, source, completeUntil, n, n == 0 ? null : rs.getDouble(2) / 3600.0,
                            n == 0 ? null : rs.getDouble(3) / 3600.0);
                }, t.tenantId(), app, source, Timestamp.from(since));
    }
}
