package org.o365audit.delayed;

import java.net.URI;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.collect.DelayedFeed;
import org.o365audit.collect.ListingWindow;
import org.o365audit.collect.RecordBatch;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Headers;
import org.springframework.stereotype.Component;

/**
 * The pages of one window of a delayed feed as record batches, fetched lazily (continuation token or
 * nextLink followed to the end), so the enricher and the store handle them like blob batches.
 */
@Component("delayedPages")
public class DelayedPages {
    private final TenantRegistry tenants;
    private final PowerBiActivityClient powerBi;
    private final DataverseAuditClient dataverse;

    public DelayedPages(TenantRegistry tenants, PowerBiActivityClient powerBi, DataverseAuditClient dataverse) {
        this.tenants = tenants;
        this.powerBi = powerBi;
        this.dataverse = dataverse;
    }

    public Iterator<RecordBatch> pages(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.FEED) String feedKey,
            ListingWindow window) {
        Tenant tenant = tenants.get(tenantId);
        DelayedFeed feed = DelayedFeed.byKey(tenant, feedKey);
        URI first = feed.kind() == DelayedFeed.Kind.POWERBI ? powerBi.first(tenant, window)
                : dataverse.first(feed.environmentUrl(), window);
        ContentBlob slice = new ContentBlob(feed.contentType(), feed.key() + "@" + window.start(), null, null, null);
        return new Iterator<>() {
            private URI next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public RecordBatch next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                FeedPage page = feed.kind() == DelayedFeed.Kind.POWERBI ? powerBi.page(tenant, next)
                        : dataverse.page(tenant, feed.environmentUrl(), next);
                next = page.next();
                BlobContent content = new BlobContent(tenant, slice, null, null, new BlobStats(slice));
                return new RecordBatch(content, page.records(), java.util.List.of());
            }
        };
    }
}
