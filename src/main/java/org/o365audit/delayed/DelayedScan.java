package org.o365audit.delayed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.o365audit.api.ServerClock;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.DelayedFeed;
import org.o365audit.collect.ListingWindow;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Headers;
import org.o365audit.store.Gaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The re-scan of a delayed feed. Events become visible up to the settle window (72 h) after their time,
 * so every cycle scans event time from the settled watermark to now, in windows of one UTC day; records
 * already stored are skipped by their key. When the scan is complete, everything older than (scan start −
 * settle window) has had its chance to arrive: that is the new watermark, and it is never scanned again.
 * The scan's start and position are saved after every window, so a restart resumes it.
 */
@Component("delayedScan")
public class DelayedScan {
    /** Power BI keeps 28 days of activity; keep an hour of margin. */
    static final Duration POWERBI_HORIZON = Duration.ofDays(28).minusHours(1);
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");

    private final DelayedFeedState state;
    private final TenantRegistry tenants;
    private final PowerBiActivityClient powerBi;
    private final O365Properties props;
    private final ServerClock serverClock;
    private final CollectorEvents status;
    private final Gaps gaps;

    public DelayedScan(DelayedFeedState state, TenantRegistry tenants, PowerBiActivityClient powerBi,
            O365Properties props, ServerClock serverClock, CollectorEvents status, Gaps gaps) {
        this.gaps = gaps;
        this.state = state;
        this.tenants = tenants;
        this.powerBi = powerBi;
        this.props = props;
        this.serverClock = serverClock;
        this.status = status;
    }

    /** Counters of one cycle. */
    public static final class CycleStats {
        int stored;
        int duplicates;
        int quarantined;
        int pages;
        Instant scanStartedAt;
        Instant settledBefore;
    }

    public List<ListingWindow> plan(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.FEED) String feedKey,
            Exchange exchange) {
        Tenant tenant = tenants.get(tenantId);
        DelayedFeed feed = DelayedFeed.byKey(tenant, feedKey);
        Instant now = serverClock.now(tenantId).truncatedTo(ChronoUnit.SECONDS);
        DelayedFeedState.State s = state.get(tenantId, feedKey);
        if (s == null) {
            s = new DelayedFeedState.State(now.minus(props.getDelayed().getBackfill()), null, null);
        }
        Instant startedAt = s.scanStartedAt() != null ? s.scanStartedAt() : now;
        Instant position = s.scanStartedAt() != null && s.scanPosition() != null ? s.scanPosition() : s.settledUntil();
        if (feed.kind() == DelayedFeed.Kind.POWERBI && position.isBefore(now.minus(POWERBI_HORIZON))) {
            gaps.windowLost(tenant, feed.describe(), position, now.minus(POWERBI_HORIZON), "nothing was collected since "
                    + position + " and Power BI keeps activity events for 28 days");
            position = now.minus(POWERBI_HORIZON);
        }
        state.put(tenantId, feedKey, new DelayedFeedState.State(s.settledUntil(), startedAt, position));
        CycleStats stats = new CycleStats();
        stats.scanStartedAt = startedAt;
        stats.settledBefore = s.settledUntil();
        exchange.setProperty(Headers.CYCLE_STATS, stats);
        return windows(position, now);
    }

    /** Windows of at most one UTC day (Power BI requires start and end on the same day) from {@code from} to now. */
    static List<ListingWindow> windows(Instant from, Instant now) {
        List<ListingWindow> out = new ArrayList<>();
        Instant start = from.truncatedTo(ChronoUnit.SECONDS);
        while (start.isBefore(now)) {
            Instant midnight = start.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = midnight.isBefore(now) ? midnight : now;
            if (Duration.between(start, end).getSeconds() >= 1) {
                out.add(new ListingWindow(start, end));
            }
            start = end;
        }
        return out;
    }

    public void pageStored(EnrichedBatch batch, Exchange exchange) {
        CycleStats c = exchange.getProperty(Headers.CYCLE_STATS, CycleStats.class);
        c.pages++;
        c.stored += batch.stats().storedCount();
        c.duplicates += batch.stats().duplicateCount();
        c.quarantined += batch.defects().size();
        String tenantId = exchange.getMessage().getHeader(Headers.TENANT_ID, String.class);
        String feedName = exchange.getMessage().getHeader(Headers.CONTENT_TYPE, String.class);
        status.collected(tenantId, feedName, batch.stats(), false);
    }

    /** The window is scanned: a restart resumes after it. */
    public void windowDone(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.FEED) String feedKey,
            ListingWindow window, Exchange exchange) {
        CycleStats c = exchange.getProperty(Headers.CYCLE_STATS, CycleStats.class);
        state.put(tenantId, feedKey, new DelayedFeedState.State(c.settledBefore, c.scanStartedAt, window.end()));
    }

    /** The whole scan is done: move the watermark to (scan start − settle window), never back. */
    public void completed(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.FEED) String feedKey,
            Exchange exchange) {
        Tenant tenant = tenants.get(tenantId);
        CycleStats c = exchange.getProperty(Headers.CYCLE_STATS, CycleStats.class);
        Instant candidate = c.scanStartedAt.minus(props.getDelayed().getSettleWindow());
        Instant settled = candidate.isAfter(c.settledBefore) ? candidate : c.settledBefore;
        state.put(tenantId, feedKey, new DelayedFeedState.State(settled, null, null));
        DelayedFeed feed = DelayedFeed.byKey(tenant, feedKey);
        status.settled(tenantId, feed.describe(), settled);
        status.succeeded(tenantId, feed.describe());
        LOG.info("tenant {} {}: re-scan done, {} page(s): {} record(s) stored, {} already stored, {} quarantined; "
                + "complete (settled) until {}{}", tenant.name(), feed.describe(), c.pages, c.stored, c.duplicates,
                c.quarantined, settled, feed.kind() == DelayedFeed.Kind.POWERBI
                        ? "; Power BI requests in the last hour: " + powerBi.requestsInLastHour(tenant) + " of "
                        + props.getDelayed().getPowerbiRequestsPerHour() : "");
    }
}
