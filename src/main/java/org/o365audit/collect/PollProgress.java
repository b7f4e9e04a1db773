package org.o365audit.collect;

import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.auth.TokenException;
import org.o365audit.config.O365Properties;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.o365audit.store.BlobAttempts;
import org.o365audit.store.ListingCursorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Book-keeping of a poll: counters, the cursor after each complete window, and the progress line per content type. */
@Component
public class PollProgress {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");
    private static final String SLOT = "O365BlobSlot";

    private final ListingCursorStore cursors;
    private final TenantRegistry tenants;
    private final BlobAttempts attempts;
    private final O365Properties props;
    private final CollectorEvents status;
    private final BackfillRequests backfills;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    public PollProgress(ListingCursorStore cursors, TenantRegistry tenants, BlobAttempts attempts, CollectorEvents status,
                        BackfillRequests backfills, O365Properties props, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.cursors = cursors;
        this.tenants = tenants;
        this.attempts = attempts;
        this.props = props;
        this.status = status;
        this.backfills = backfills;
    }

    public void begin(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            Exchange exchange) {
        exchange.setProperty(Headers.POLL_STATS, new PollStats(props.getParallelBlobs()));
        status.pollStarted(tenantId, contentType);
    }

    /** The poll's windows are planned: more than one means catching up, with progress and ETA. */
    public void planned(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            List<ListingWindow> windows) {
        status.planned(tenantId, contentType, windows);
    }

    /** Last step inside the blob's transaction: its failed attempts, if it had any, are forgotten with it. */
    public void blobStored(BlobContent content, @ExchangeProperty(Headers.BLOB) ListedBlob listed) {
        if (listed == null || listed.failedAttempts() > 0) {
            attempts.collected(content.tenant().tenantId(), content.blob());
        }
    }

    /** After a blob's transaction committed. */
    public void blobCollected(BlobContent content, Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null) {
            stats.add(content.stats());
        }
        BlobStats b = content.stats();
        announcedToStored(content, exchange);
        status.collected(content.tenant().tenantId(), content.blob().contentType(), b, true);
        if (b.quarantinedCount() > 0) {
            LOG.error("tenant {} {} blob {}: {} set aside in table quarantine ({} record(s) of it stored): {}",
                    content.tenant().name(), content.blob().contentType(), Texts.printable(content.blob().contentId(), 600),
                    b.blobRejected() ? "the blob (or its rest) was" : b.quarantinedCount() + " element(s) were",
                    b.storedCount() + b.duplicateCount(), Texts.printable(b.firstReason(), 600));
        }
    }

    /**
     * o365_blob_announced_to_stored_seconds: from the blob's contentCreated (when Microsoft announced it) to its records
     * committed, by push (a webhook notification) or poll: how much latency push saves, per tenant and content type.
     */
    private void announcedToStored(BlobContent content, Exchange exchange) {
        java.time.Instant created = content.blob().contentCreated();
        if (created == null) {
            return;
        }
        Duration d = Duration.between(created, java.time.Instant.now());
        String via = exchange.getProperty(NotifiedBlobs.VIA, "poll", String.class);
        io.micrometer.core.instrument.Timer.builder("o365.blob.announced.to.stored")
                .description("Time from a blob's contentCreated to its records committed")
                .tags("tenant", content.tenant().name(), "content_type", content.blob().contentType(), "via", via)
                .register(meters).record(d.isNegative() ? Duration.ZERO : d);
    }

    /**
     * Collecting one blob failed, for whatever reason: the poll goes on with the next blob and the window stays
     * open. The attempt is counted in the database; after o365.blob-max-attempts the blob is quarantined. What
     * concerns the whole tenant (throttling, its token, its subscription) is not the blob's fault: it ends the
     * poll instead, uncounted.
     */
    public void blobFailed(@Header(Headers.TENANT_ID) String tenantId, @ExchangeProperty(Headers.BLOB) ListedBlob listed,
            Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = new IllegalStateException("unknown error");
        }
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (tenantWide(e)) {
            if (stats != null) {
                stats.inFlight.stop();
            }
            throw e;
        }
        ContentBlob blob = listed.blob();
        String error = describe(e);
        int n = attempts.failed(tenantId, blob, error);
        LOG.error("tenant {} {} blob {}: collection failed (attempt {} of {}), the window is retried on the next poll: {}",
                tenants.get(tenantId).name(), blob.contentType(), Texts.printable(blob.contentId(), 600), n,
                props.getBlobMaxAttempts(), Texts.printable(error, 600));
        if (stats != null) {
            stats.blobFailed();
        }
    }

    /** First step of a blob: it waits for one of the poll's o365.parallel-blobs slots before it is downloaded. */
    public void blobStarts(Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null) {
            stats.inFlight.take();
            exchange.setProperty(SLOT, Boolean.TRUE);
        }
    }

    /** Whatever happened to the blob: its slot, if it got one, is free for the next one of the poll. */
    public void blobDone(Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats != null && exchange.removeProperty(SLOT) != null) {
            stats.inFlight.done();
        }
    }

    static boolean tenantWide(Throwable e) {
        if (e instanceof TenantBackingOffException || e instanceof TokenException) {
            return true;
        }
        if (e instanceof ManagementApiException api) {
            return api.throttled() || api.status() == 401 || api.is("AF10001") || api.is("AF20010") || api.is("AF20011")
                    || api.is("AF20012") || api.is("AF20013") || api.is("AF20022") || api.is("AF20023");
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != e && sb.length() < 1500; c = c.getCause()) {
            sb.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
            e = c;
        }
        return sb.toString();
    }

    /** Every blob of the window is in the ledger unless one failed (in this window or an earlier one of the poll). */
    public void windowCompleted(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            ListingWindow window, Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        boolean held = stats != null && stats.cursorHeld();
        if (held) {
            LOG.warn("tenant {} {} window {}: a blob failed, the window is listed again on the next poll",
                    tenants.get(tenantId).name(), contentType, window);
        } else if (!window.requested()) {
            // an operator's window is bookkeeping of its own: the cursor only follows the regular windows
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
        LOG.debug("tenant {} {} poll done: {} ({} ms)", tenants.get(tenantId).name(), contentType, s.summary(), ms);
    }
}
