package org.o365audit.collect;

import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.store.ListingCursorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Book-keeping of a poll: counters, the cursor after each complete window, and the progress line per content type. */
@Component
public class PollProgress {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");

    private final ListingCursorStore cursors;
    private final TenantRegistry tenants;
    private final BlobFailures failures;
    private final CollectorStatus status;
    private final BackfillRequests backfills;

    public PollProgress(ListingCursorStore cursors, TenantRegistry tenants, BlobFailures failures, CollectorStatus status,
                        BackfillRequests backfills) {
        this.cursors = cursors;
        this.tenants = tenants;
        this.failures = failures;
        this.status = status;
        this.backfills = backfills;
    }

    public void begin(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            Exchange exchange) {
        exchange.setProperty(Headers.POLL_STATS, new PollStats());
        status.pollStarted(tenantId, contentType);
    }

    /** The poll's windows are planned: more than one means catching up, with progress and ETA. */
    public void planned(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            List<ListingWindow> windows) {
        status.planned(tenantId, contentType, windows);
    }

    /** After a blob's transaction committed. */
    public void blobCollected(BlobContent content, Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null) {
            stats.add(content.stats());
        }
        BlobStats b = content.stats();
        failures.succeeded(content.tenant().tenantId(), content.blob());
        status.collected(content.tenant().tenantId(), content.blob().contentType(), b, true);
        if (b.quarantinedCount() > 0) {
            LOG.error("tenant {} {} blob {}: {} set aside in table quarantine ({} record(s) of it stored): {}",
                    content.tenant().name(), content.blob().contentType(), content.blob().contentId(),
                    b.blobRejected() ? "the blob (or its rest) was" : b.quarantinedCount() + " element(s) were",
                    b.storedCount() + b.duplicateCount(), b.firstReason());
        }
    }

    /** Collecting one blob failed; the poll goes on with the next blob, the window stays open. */
    public void blobFailed(@Header(Headers.TENANT_ID) String tenantId, @ExchangeProperty(Headers.BLOB) ContentBlob blob,
            Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        failures.failed(tenants.get(tenantId).name(), tenantId, blob, e == null ? new IllegalStateException("unknown") : e);
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null) {
            stats.blobFailed();
        }
    }

    /** Every blob of the window is in the ledger unless one failed (in this window or an earlier one of the poll). */
    public void windowCompleted(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            ListingWindow window, Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        boolean held = stats != null && stats.cursorHeld;
        if (held) {
            LOG.warn("tenant {} {} window {}: a blob failed, the window is listed again on the next poll",
                    tenants.get(tenantId).name(), contentType, window);
        } else {
            cursors.advance(tenantId, contentType, window.end());
        }
        if (window.requested() && !held) {
            backfills.done(tenantId, contentType, window.end());
        }
        status.windowDone(tenantId, contentType, window, !held && !window.requested());
        if (stats != null) {
            PollStats.Counts c = stats.closeWindow();
            if (c.collected > 0) {
                LOG.info("tenant {} {} window {}: {}", tenants.get(tenantId).name(), contentType, window, c);
            }
        }
    }

    public void report(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            Exchange exchange) {
        status.succeeded(tenantId, contentType);
        PollStats s = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (s == null) {
            return;
        }
        long ms = Duration.ofNanos(System.nanoTime() - s.startedNanos).toMillis();
        LOG.debug("tenant {} {} poll done: {} window(s), {} ({} ms)", tenants.get(tenantId).name(), contentType,
                s.windows, s.poll, ms);
    }
}
