package org.o365audit.collect;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.o365audit.api.ListingPage;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.springframework.stereotype.Component;

/**
 * The blobs of one window still to collect, page after page: NextPageUri is followed until a page has none. Each
 * page is checked against the ledger in one go ({@link UncollectedBlobs}). Pages are fetched lazily, and the next
 * blob is handed out only when one of the poll's o365.parallel-blobs slots is free ({@link InFlightBlobs}), so a
 * window with many pages never sits in memory whole and the next page is listed while the last blobs of the
 * current one are still being collected. Before each page the tenant's pause flag is read, so a pause made on any
 * node ends a long poll at its next page ({@link TenantPausedException}).
 */
@Component
public class ContentListing {
    private final ManagementApiClient api;
    private final TenantRegistry tenants;
    private final UncollectedBlobs uncollected;
    private final TenantPause pause;

    public ContentListing(ManagementApiClient api, TenantRegistry tenants, UncollectedBlobs uncollected, TenantPause pause) {
        this.api = api;
        this.pause = pause;
        this.tenants = tenants;
        this.uncollected = uncollected;
    }

    public Iterator<ListedBlob> blobsIn(@Header(Headers.TENANT_ID) String tenantId,
            @Header(Headers.CONTENT_TYPE) String contentType, ListingWindow window, Exchange exchange) {
        Tenant tenant = tenants.get(tenantId);
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats == null) {
            throw new IllegalStateException("no poll in progress (pollProgress.begin sets one up)");
        }
        URI first = api.contentListing(tenant, contentType, window.start(), window.end());
        return new Iterator<>() {
            private final Deque<ListedBlob> buffer = new ArrayDeque<>();
            private URI next = first;

            private boolean failed;

            /** False once the poll is stopping (throttled, token refused) or a page failed: no further blob starts. */
            @Override
            public boolean hasNext() {
                return !failed && !stats.inFlight.stopping() && listed();
            }

            /** Waits until one of the poll's slots is free (the blob takes it: PollProgress.blobStarts). */
            @Override
            public ListedBlob next() {
                if (failed || !listed()) {
                    throw new NoSuchElementException();
                }
                stats.inFlight.awaitFree();
                return buffer.poll();
            }

            /** Lists pages until one has a blob still to collect; false at the end of the window. */
            private boolean listed() {
                try {
                    while (buffer.isEmpty() && next != null) {
                        if (pause.pausedNow(tenantId)) {
                            throw new TenantPausedException(tenant.name());
                        }
                        ListingPage page = api.listPage(tenant, contentType, next);
                        buffer.addAll(uncollected.of(tenantId, page.blobs()));
                        stats.listed(page.blobs().size());
                        next = page.next();
                    }
                } catch (RuntimeException e) {
                    failed = true;   // the poll fails with it; a split that ends drains its iterator: no second call
                    throw e;
                }
                return !buffer.isEmpty();
            }
        };
    }
}
