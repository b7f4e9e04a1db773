package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.config.Tenant;
import org.o365audit.store.SubscriptionStarts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The webhook of an enabled subscription, checked on every (safety-net) poll of a tenant with push on: absent (not
 * validated yet), disabled (Microsoft does so after repeated failed deliveries), expired, or pointing elsewhere, it is
 * started again, under the same 15-minute rule as any start. Once an hour per content type the delivery report
 * (/subscriptions/notifications, the last 24 h) is read and its failed deliveries counted. Nothing here ends the
 * poll: polling collects everything whatever the webhook's state.
 */
@Component
public class Webhooks {
    static final Duration REPORT_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final ManagementApiClient api;
    private final SubscriptionStarts starts;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Instant> lastReport = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();

    public Webhooks(ManagementApiClient api, SubscriptionStarts starts, Clock clock, MeterRegistry meters) {
        this.api = api;
        this.starts = starts;
        this.clock = clock;
        this.meters = meters;
    }

    void check(Tenant tenant, String contentType, JsonNode webhook) {
        String problem = problem(tenant, webhook);
        if (problem != null) {
            restart(tenant, contentType, problem);
        }
        report(tenant, contentType);
    }

    /** Why the listed webhook does not deliver to us, or null when it does. */
    String problem(Tenant tenant, JsonNode webhook) {
        if (webhook == null || webhook.isMissingNode() || webhook.isNull()) {
            return "no webhook (not validated yet, or removed)";
        }
        String status = webhook.path("status").asText("");
        if (!"enabled".equalsIgnoreCase(status)) {
            return "webhook " + (status.isBlank() ? "without status" : status);
        }
        String expiration = webhook.path("expiration").asText("");
        if (!expiration.isBlank()) {
            try {
                if (!Instant.parse(expiration).isAfter(clock.instant())) {
                    return "webhook expired at " + expiration;
                }
            } catch (DateTimeParseException e) {
                // an expiration the service writes in another format: its status is what counts
            }
        }
        if (!tenant.webhookAddress().equals(webhook.path("address").asText())) {
            return "webhook posts to another address";
        }
        return null;
    }

    private void restart(Tenant tenant, String contentType, String problem) {
        Instant now = clock.instant();
        if (!starts.tryStart(tenant.tenantId(), contentType, now, SubscriptionManager.START_SPACING)) {
            LOG.debug("tenant {} {}: {}; started again once the 15-minute wait after the last start is over",
                    tenant.name(), contentType, problem);
            return;
        }
        try {
            api.startSubscription(tenant, contentType);
            LOG.warn("tenant {} {}: {}: subscription started again with the webhook", tenant.name(), contentType, problem);
        } catch (ManagementApiException e) {
            if (e.throttled() || e.retriable() || e.status() == 0) {
                starts.forgetStart(tenant.tenantId(), contentType, now);
            }
            // AF20021: Microsoft's validation request did not get a 200 from the address
            LOG.warn("tenant {} {}: {}; starting it again failed, polling goes on: {}", tenant.name(), contentType,
                    problem, e.getMessage());
        } catch (TenantBackingOffException e) {
            starts.forgetStart(tenant.tenantId(), contentType, now);
            throw e;
        }
    }

    /** Failed deliveries of the last 24 h, read at most once an hour: o365_webhook_failed_notifications. */
    private void report(Tenant tenant, String contentType) {
        String key = tenant.tenantId() + "|" + contentType;
        Instant now = clock.instant();
        Instant last = lastReport.get(key);
        if (last != null && now.isBefore(last.plus(REPORT_EVERY))) {
            return;
        }
        lastReport.put(key, now);
        List<JsonNode> attempts;
        try {
            attempts = api.notifications(tenant, contentType, now.minus(Duration.ofHours(24)).plusSeconds(60), now);
        } catch (ManagementApiException e) {
            LOG.warn("tenant {} {}: the webhook's delivery report could not be read: {}", tenant.name(), contentType,
                    e.getMessage());
            return;
        }
        int n = (int) attempts.stream().filter(a -> !a.path("notificationStatus").asText("").toLowerCase().startsWith("succe"))
                .count();
        failed.computeIfAbsent(key, k -> meters.gauge("o365.webhook.failed.notifications",
                Tags.of("tenant", tenant.name(), "content_type", contentType), new AtomicInteger())).set(n);
        if (n > 0) {
            LOG.warn("tenant {} {}: {} of {} webhook deliveries of the last 24 h failed (subscriptions/notifications);"
                    + " the safety-net poll collects those blobs", tenant.name(), contentType, n, attempts.size());
        }
    }
}
