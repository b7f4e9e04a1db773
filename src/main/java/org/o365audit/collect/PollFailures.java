package org.o365audit.collect;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.o365audit.api.ForeignHostException;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.auth.TokenException;
import org.o365audit.config.O365Properties;
import org.o365audit.record.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a failed poll means and what the operator should do, by the API's error code
 * (shared/docs/o365-api.md 1.7). Nothing here moves the cursor: the next poll retries from it.
 */
@Component
public class PollFailures {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.poll");

    private final SubscriptionManager subscriptions;
    private final TenantRegistry tenants;
    private final CollectorEvents status;
    private final O365Properties props;

    public PollFailures(SubscriptionManager subscriptions, TenantRegistry tenants, CollectorEvents status,
            O365Properties props) {
        this.subscriptions = subscriptions;
        this.tenants = tenants;
        this.status = status;
        this.props = props;
    }

    public void handle(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType,
            Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String who = "tenant " + tenants.get(tenantId).name() + " " + contentType;
        awaitBlobsInFlight(who, exchange);
        if (e instanceof TenantPausedException) {
            LOG.info("{}: paused during the poll; it ends here and the poll after the resume goes on from the cursor", who);
            return;
        }
        if (!(e instanceof SubscriptionManager.SubscriptionPendingException)) {
            status.failed(tenantId, contentType, e);
        }
        if (e instanceof TenantBackingOffException || e instanceof SubscriptionManager.SubscriptionPendingException) {
            LOG.info("{}: poll deferred: {}", who, e.getMessage());
        } else if (e instanceof ManagementApiException api) {
            if (api.is("AF20022")) {
                subscriptions.forget(tenantId, contentType);
                LOG.warn("{}: no subscription (AF20022); it is started on the next poll", who);
            } else if (api.is("AF20023")) {
                subscriptions.forget(tenantId, contentType);
                LOG.error("{}: the subscription is disabled (AF20023): unified audit logging is off or an admin disabled "
                        + "the subscription; turn auditing on in Microsoft Purview. It is restarted at most every 15 minutes. {}",
                        who, api.getMessage());
            } else if (api.is("AF10001") || api.is("AF20010") || api.is("AF20011") || api.is("AF20012") || api.is("AF20013")) {
                LOG.error("{}: the tenant or app is not set up for the API ({}): check tenant-id, the app's ActivityFeed.Read "
                        + "permission with admin consent, and that the tenant has a Microsoft 365 licence. {}", who, api.code(), api.getMessage());
            } else {
                LOG.error("{}: poll failed, retried on the next poll: {}", who, api.getMessage());
            }
        } else if (e instanceof TokenException) {
            LOG.error("{}: {}. Check client-id, client-secret or certificate, and admin consent.", who, e.getMessage());
        } else if (e instanceof ForeignHostException) {
            LOG.error("{}: {}", who, e.getMessage());
        } else {
            LOG.error("{}: poll failed, retried on the next poll: {}", who, e == null ? "unknown error" : e.toString(), e);
        }
    }

    /**
     * A failed poll still has blobs in flight on the other collecting threads (the split stops starting new ones
     * but does not wait for those): the poll ends only once they are done, so that the next poll of the same
     * tenant and content type never collects a blob that this one still holds.
     */
    private void awaitBlobsInFlight(String who, Exchange exchange) {
        PollStats stats = exchange.getProperty(Headers.POLL_STATS, PollStats.class);
        if (stats == null) {
            return;
        }
        stats.inFlight.stop();
        if (!stats.inFlight.awaitIdle(props.getHttpTimeout().multipliedBy(2))) {
            LOG.warn("{}: {} blob(s) of the failed poll still in flight; the poll ends without them", who,
                    stats.inFlight.inFlight());
        }
    }
}
