package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** {@code /subscriptions/list}, {@code /subscriptions/start} and {@code /subscriptions/stop}. */
final class SubscriptionOperations {

    private SubscriptionOperations() {
    }

    static SimResponse list(SimulatedTenant tenant) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        for (String type : ContentTypes.ALL) {
            SubscriptionState state = tenant.subscriptionState(type);
            if (state != SubscriptionState.NONE) {
                body.add(subscription(type, state, tenant.subscriptions().webhook(type)));
            }
        }
        return SimResponse.json(200, body);
    }

    /**
     * Starting an enabled subscription answers 400 AF20024 (undocumented in the reference, seen by
     * several collectors). Starting again within 15 minutes is refused, as the reference requires a
     * 15-minute wait between starts; Elastic recorded only the message of that refusal, so the code
     * AF20058 is the simulator's own choice.
     */
    static SimResponse start(SimRequest request, SimulatedTenant tenant) {
        String type = requireContentType(request);
        SubscriptionBook book = tenant.subscriptions();
        book.countStartCall(type);
        if (!ContentTypes.isKnown(type)) {
            throw invalidType(type);
        }
        JsonNode hook = request.json().path("webhook");
        if (hook.isObject()) {
            return startWithWebhook(type, hook, tenant);
        }
        SubscriptionBook.StartResult result = book.start(type, tenant.clock().instant());
        if (result.outcome() != SubscriptionBook.StartOutcome.TOO_SOON && book.webhook(type) != null) {
            // a start without a webhook removes the subscription's webhook: a property change
            book.webhook(type, null);
            book.set(type, SubscriptionState.ENABLED);
            return SimResponse.json(200, subscription(type, SubscriptionState.ENABLED, null));
        }
        return switch (result.outcome()) {
            case STARTED -> SimResponse.json(200, subscription(type, SubscriptionState.ENABLED, null));
            case ALREADY_ENABLED -> throw ApiError.badRequest("AF20024",
                    "The subscription is already enabled. No property change.");
            case TOO_SOON -> throw new ApiError(429, "AF20058",
                    "Too many frequent subscription start requests. Please retry again after "
                            + minutesAndSeconds(result.retryAfter()));
        };
    }

    /**
     * Start with a webhook (add, change, or re-enable a disabled or expired one): Microsoft first POSTs a validation
     * request to the address and adds the webhook only when it answered 200, else AF20021.
     */
    private static SimResponse startWithWebhook(String type, JsonNode body, SimulatedTenant tenant) {
        SubscriptionBook book = tenant.subscriptions();
        java.time.Instant now = tenant.clock().instant();
        Duration wait = book.acceptStart(type, now);
        if (wait != null) {
            throw new ApiError(429, "AF20058", "Too many frequent subscription start requests. Please retry again after "
                    + minutesAndSeconds(wait));
        }
        String address = body.path("address").asText("");
        String expiration = body.path("expiration").isNull() ? "" : body.path("expiration").asText("");
        SubscriptionBook.Webhook wanted = new SubscriptionBook.Webhook(address, body.path("authId").asText(null),
                expiration, "enabled");
        SubscriptionBook.Webhook current = book.webhook(type);
        if (book.get(type) == SubscriptionState.ENABLED && wanted.sameAs(current) && "enabled".equals(current.status())) {
            throw ApiError.badRequest("AF20024", "The subscription is already enabled. No property change.");
        }
        if (!expiration.isEmpty() && !java.time.Instant.parse(expiration).isAfter(now)) {
            throw ApiError.badRequest("AF20003", "Expiration " + expiration + " provided is set to past date and time.");
        }
        java.net.URI uri = java.net.URI.create(address);
        // the service requires https; the simulator also takes http on the loopback host (the tests' collector)
        boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equalsIgnoreCase(uri.getHost());
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !loopback) {
            throw ApiError.badRequest("AF20021", "The webhook endpoint {" + address + "} could not be validated. "
                    + "The address must begin with HTTPS.");
        }
        if (!tenant.notifier().validate(wanted)) {
            throw ApiError.badRequest("AF20021", "The webhook endpoint {" + address + "} could not be validated. "
                    + "The endpoint did not return HTTP 200.");
        }
        book.webhook(type, wanted);
        book.set(type, SubscriptionState.ENABLED);
        return SimResponse.json(200, subscription(type, SubscriptionState.ENABLED, wanted));
    }

    /** {@code GET /subscriptions/notifications}: the webhook's delivery attempts for blobs created in the window. */
    static SimResponse notifications(SimRequest request, SimulatedTenant tenant) {
        String type = requireContentType(request);
        if (!ContentTypes.isKnown(type)) {
            throw invalidType(type);
        }
        java.time.Instant now = tenant.clock().instant();
        java.time.Instant start = request.param("startTime") == null ? now.minus(Duration.ofHours(24)) : at(request.param("startTime"));
        java.time.Instant end = request.param("endTime") == null ? now : at(request.param("endTime"));
        return SimResponse.json(200, tenant.notifier().attempts(type, start, end));
    }

    private static java.time.Instant at(String t) {
        String s = t.length() == 10 ? t + "T00:00:00" : t.length() == 16 ? t + ":00" : t;
        try {
            return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("AF20002", "Invalid parameter type: " + t + ". Expected type: datetime");
        }
    }

    /** Stopping disables the subscription; content published while stopped is never listed later. */
    static SimResponse stop(SimRequest request, SimulatedTenant tenant) {
        String type = requireContentType(request);
        if (!ContentTypes.isKnown(type)) {
            throw invalidType(type);
        }
        if (tenant.subscriptionState(type) == SubscriptionState.NONE) {
            throw ApiError.badRequest("AF20022", "No subscription found for the specified content type");
        }
        tenant.subscriptionState(type, SubscriptionState.DISABLED);
        return SimResponse.empty(200);
    }

    static String requireContentType(SimRequest request) {
        String type = request.param("contentType");
        if (type == null || type.isEmpty()) {
            throw ApiError.badRequest("AF20001", "Missing parameter: contentType.");
        }
        return type;
    }

    static ApiError invalidType(String type) {
        return ApiError.badRequest("AF20020", "The specified content type is not valid: " + type + ".");
    }

    private static ObjectNode subscription(String type, SubscriptionState state, SubscriptionBook.Webhook hook) {
        ObjectNode node = Json.object();
        node.put("contentType", type);
        node.put("status", state == SubscriptionState.ENABLED ? "enabled" : "disabled");
        if (hook == null) {
            node.putNull("webhook");
        } else {
            // authId is not shown back (the reference's sample start answer has it; the list's has not)
            node.putObject("webhook").put("status", hook.status()).put("address", hook.address())
                    .put("expiration", hook.expiration().isEmpty() ? null : hook.expiration());
        }
        return node;
    }

    private static String minutesAndSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return (seconds / 60) + "m " + (seconds % 60) + "s";
    }
}
