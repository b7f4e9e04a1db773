package org.o365audit.collect;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
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

    public PollProgress(ListingCursorStore cursors, TenantRegistry tenants) {
        this.cursors = cursors;
        this.tenants = tenants;
    }

    public void begin(Exchange exchange) {
        exchange.setProperty(Headers.POLL_STATS, new PollStats());
    }

    /** After a blob's transaction committed. */
    public void blobCollected(BlobContent content, Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null) {
            stats.add(content.stats());
        }
        BlobStats b = content.stats();
        if (b.quarantinedCount() > 0) {
            LOG.error("tenant {} {} blob {}: {} set aside in table quarantine ({} record(s) of it stored): {}",
                    content.tenant().name(), content.blob().contentType(), content.blob().contentId(),
                    b.blobRejected() ? "the blob (or its rest) was" : b.quarantinedCount() + " element(s) were",
                    b.storedCount() + b.duplicateCount(), b.firstReason());
        }
    }

    /** Every blob of the window is in the ledger: the cursor may move past it. */
    public void windowCompleted(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            ListingWindow window, Exchange exchange) {
        cursors.advance(tenantId, contentType, window.end());
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null) {
            PollStats.Counts c = stats.closeWindow();
            if (c.collected > 0) {
                LOG.info("tenant {} {} window {}: {}", tenants.get(tenantId).name(), contentType, window, c);
            }
        }
    }

    public void report(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            Exchange exchange) {
        PollStats s = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (s == null) {
            return;
        }
        long ms = Duration.ofNanos(System.nanoTime() - s.startedNanos).toMillis();
        LOG.debug("tenant {} {} poll done: {} window(s), {} ({} ms)", tenants.get(tenantId).name(), contentType,
                s.windows, s.poll, ms);
    }
}
