package org.o365audit.collect;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Header;
import org.o365audit.api.ServerClock;
import org.o365audit.config.O365Properties;
import org.o365audit.record.Headers;
import org.o365audit.store.Gaps;
import org.o365audit.store.ListingCursorStore;
import org.springframework.stereotype.Component;

/**
 * Plans the listing windows of one poll (shared/docs/o365-api.md 1.3): windows on contentCreated of at
 * most 24 hours, never starting more than 7 days back, from the earlier of the cursor and the trailing
 * look-back up to now. A tenant seen for the first time starts {@code o365.backfill} back. A cursor older
 * than the API's 7 days (the collector was down longer) cannot be honoured: the span it can no longer list
 * is recorded as a gap ({@link Gaps}) instead of being skipped silently.
 */
@Component
public class WindowPlanner {
    static final Duration MAX_WINDOW = Duration.ofHours(24);
    /** The API accepts a start at most 7 days back; keep a margin for the request's own delay and clock skew. */
    static final Duration HORIZON = Duration.ofDays(7).minus(Duration.ofMinutes(10));

    private final ListingCursorStore cursors;
    private final O365Properties props;
    private final ServerClock serverClock;
    private final BackfillRequests backfills;
    private final Gaps gaps;
    private final TenantRegistry tenants;

    public WindowPlanner(ListingCursorStore cursors, O365Properties props, ServerClock serverClock,
                         BackfillRequests backfills, Gaps gaps, TenantRegistry tenants) {
        this.cursors = cursors;
        this.props = props;
        this.serverClock = serverClock;
        this.backfills = backfills;
        this.gaps = gaps;
        this.tenants = tenants;
    }

    /**
     * Windows up to now by the server's clock (see {@link ServerClock}), after the windows of a backfill an
     * operator requested, if any.
     */
    public List<ListingWindow> plan(@Header(Headers.TENANT_ID) String tenantId,
            @Header(Headers.CONTENT_TYPE) String contentType) {
        Instant now = serverClock.now(tenantId).truncatedTo(ChronoUnit.SECONDS);
        List<ListingWindow> out = new ArrayList<>();
        BackfillRequests.Range r = backfills.pending(tenantId, contentType);
        if (r != null) {
            out.addAll(requested(r.from(), r.to(), now));
        }
        Instant listedUntil = cursors.listedUntil(tenantId, contentType);
        if (listedUntil != null && listedUntil.isBefore(now.minus(HORIZON))) {
            gaps.windowLost(tenants.get(tenantId), contentType, listedUntil, now.minus(HORIZON),
                    "nothing was collected since " + listedUntil + " and the Management Activity API keeps content for 7 days");
        }
        out.addAll(windows(listedUntil, now));
        return out;
    }

    /** A requested range as windows the API accepts: clamped to the last 7 days (less a margin) and to now. */
    public List<ListingWindow> requested(Instant from, Instant to, Instant now) {
        Instant start = from.isBefore(now.minus(HORIZON)) ? now.minus(HORIZON) : from;
        Instant stop = to.isAfter(now) ? now : to;
        List<ListingWindow> out = new ArrayList<>();
        while (start.isBefore(stop)) {
            Instant end = min(start.plus(MAX_WINDOW), stop);
            out.add(new ListingWindow(start, end, true));
            start = end;
        }
        return out;
    }

    List<ListingWindow> windows(Instant listedUntil, Instant now) {
        Instant horizon = now.minus(HORIZON);
        Instant start = listedUntil == null ? now.minus(props.getBackfill()) : min(listedUntil, now.minus(props.getLookBack()));
        if (start.isBefore(horizon)) {
            start = horizon;
        }
        List<ListingWindow> out = new ArrayList<>();
        while (start.isBefore(now)) {
            Instant end = min(start.plus(MAX_WINDOW), now);
            out.add(new ListingWindow(start, end));
            start = end;
        }
        return out;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
