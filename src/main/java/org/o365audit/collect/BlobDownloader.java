package org.o365audit.collect;

import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.api.ForeignHostException;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * Opens a content blob for streaming. A contentUri outside the tenant's API host, or a blob the API says
 * is expired (AF20051) or gone (AF20050), becomes a refusal that is quarantined and ledgered, so it is
 * recorded once and never retried; anything else (network, 5xx, throttling) fails the blob for a retry.
 */
@Component
public class BlobDownloader {
    private final ManagementApiClient api;
    private final TenantRegistry tenants;
    private final BlobFailures failures;

    public BlobDownloader(ManagementApiClient api, TenantRegistry tenants, BlobFailures failures) {
        this.api = api;
        this.tenants = tenants;
        this.failures = failures;
    }

    public BlobContent open(@Header(Headers.TENANT_ID) String tenantId, ContentBlob blob) {
        Tenant tenant = tenants.get(tenantId);
        BlobStats stats = new BlobStats(blob);
        String givingUp = failures.givingUp(tenantId, blob);
        if (givingUp != null) {
            return new BlobContent(tenant, blob, null, givingUp, stats);
        }
        try {
            return new BlobContent(tenant, blob, api.openBlob(tenant, blob), null, stats);
        } catch (ForeignHostException e) {
            return new BlobContent(tenant, blob, null, e.getMessage(), stats);
        } catch (IllegalArgumentException e) {
            return new BlobContent(tenant, blob, null, "contentUri is not a valid URI: " + e.getMessage(), stats);
        } catch (ManagementApiException e) {
            if (e.is("AF20051") || e.is("AF20050")) {
                return new BlobContent(tenant, blob, null, "content can no longer be fetched: " + e.getMessage(), stats);
            }
            throw e;
        }
    }
}
