package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Header;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.o365audit.store.SubscriptionStarts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes sure the subscription of a tenant and content type is enabled before listing: reads
 * /subscriptions/list, starts a missing or disabled subscription, treats AF20024 (already enabled) as
 * success and never starts the same subscription twice within 15 minutes, across restarts too.
 */
@Component("subscriptions")
public class SubscriptionManager {
    static final Duration START_SPACING = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionManager.class);

    private final Set<String> enabled = ConcurrentHashMap.newKeySet();
    private final ManagementApiClient api;
    private final TenantRegistry tenants;
    private final SubscriptionStarts starts;
    private final Clock clock;

    private final Webhooks webhooks;

    public SubscriptionManager(ManagementApiClient api, TenantRegistry tenants, SubscriptionStarts starts, Clock clock,
            Webhooks webhooks) {
        this.webhooks = webhooks;
        this.api = api;
        this.tenants = tenants;
        this.starts = starts;
        this.clock = clock;
    }

    public void ensureStarted(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.CONTENT_TYPE) String contentType) {
        String key = tenantId + "|" + contentType;
        Tenant tenant = tenants.get(tenantId);
        // with push on, every (safety-net) poll reads the list: Microsoft may disable or expire the webhook any time
        if (!tenant.pushEnabled() && enabled.contains(key)) {
            return;
        }
        for (JsonNode s : api.listSubscriptions(tenant)) {
            if (contentType.equalsIgnoreCase(s.path("contentType").asText())
                    && "enabled".equalsIgnoreCase(s.path("status").asText())) {
                enabled.add(key);
                if (tenant.pushEnabled()) {
                    webhooks.check(tenant, contentType, s.path("webhook"));
                }
                return;
            }
        }
        Instant now = clock.instant();
        // check and record in one compare-and-set, so two nodes never both start within 15 minutes
        if (!starts.tryStart(tenantId, contentType, now, START_SPACING)) {
            Instant last = starts.lastStart(tenantId, contentType);
            throw new SubscriptionPendingException("tenant " + tenant.name() + " " + contentType
                    + ": subscription not enabled; last start request at " + last
                    + ", the API allows the next one after " + (last == null ? now : last.plus(START_SPACING)));
        }
        try {
            api.startSubscription(tenant, contentType);
        } catch (ManagementApiException e) {
            if (e.throttled() || e.retriable() || e.status() == 0) {
                starts.forgetStart(tenantId, contentType, now);   // not carried out: the next poll may start it
            }
            throw e;
        } catch (TenantBackingOffException e) {
            starts.forgetStart(tenantId, contentType, now);
            throw e;
        }
        LOG.info("tenant {} {}: subscription started (a new subscription can take up to 12 hours to list content)",
                tenant.name(), contentType);
        enabled.add(key);
    }

    /** The API said the subscription is missing or disabled: check and start again on the next poll. */
    public void forget(String tenantId, String contentType) {
        enabled.remove(tenantId + "|" + contentType);
    }

    /** Raised when a start would break the 15-minute rule; the poll ends quietly and retries later. */
    public static class SubscriptionPendingException extends RuntimeException {
        public SubscriptionPendingException(String message) {
            super(message);
        }
    }
}
