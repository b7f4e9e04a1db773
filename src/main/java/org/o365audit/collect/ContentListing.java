package org.o365audit.collect;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.api.ListingPage;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.springframework.stereotype.Component;

/**
 * The blobs listed in one window, page after page: NextPageUri is followed until a page has none. Pages
 * are fetched lazily, so a window with many pages never sits in memory whole.
 */
@Component
public class ContentListing {
    private final ManagementApiClient api;
    private final TenantRegistry tenants;

    public ContentListing(ManagementApiClient api, TenantRegistry tenants) {
        this.api = api;
        this.tenants = tenants;
    }

    public Iterator<ContentBlob> blobsIn(@Header(Headers.TENANT_ID) String tenantId,
            @Header(Headers.CONTENT_TYPE) String contentType, ListingWindow window, Exchange exchange) {
        Tenant tenant = tenants.get(tenantId);
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        URI first = api.contentListing(tenant, contentType, window.start(), window.end());
        return new Iterator<>() {
            private final Deque<ContentBlob> buffer = new ArrayDeque<>();
            private URI next = first;

            @Override
            public boolean hasNext() {
                while (buffer.isEmpty() && next != null) {
                    ListingPage page = api.listPage(tenant, contentType, next);
                    buffer.addAll(page.blobs());
                    if (stats != null) {
                        stats.listed(page.blobs().size());
                    }
                    next = page.next();
                }
                return !buffer.isEmpty();
            }

            @Override
            public ContentBlob next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return buffer.poll();
            }
        };
    }
}
